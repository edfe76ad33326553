// ALRM-1: an idle client is disconnected within T plus a tolerance.
#include "scenarios/alarm_timing.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kAlrm1 = {
    "ALRM-1", Level::kMust, "alarm", "disconnects an idle client within the idle timeout",
    "arm alarm() (or setitimer) in the child, let the SIGALRM handler set a flag, and end the "
    "session when read() returns EINTR with the flag set; the parent then reaps the child",
    0, true};

Outcome Run(Context& context) {
  if (context.declared.idle_timeout_ms <= 0) return Outcome::Skip("no idle timeout declared: pass --idle-timeout=MS");
  AlarmTiming timing(context.declared);
  std::string why;
  auto session = OpenSession(context.sut, &why);
  if (!session) return Outcome::Fail(why);
  Clock::time_point idle_since = Clock::now();
  std::string received;
  TcpClient::End end = AwaitSessionEnd(context.sut, *session, &received, timing.deadline());
  double idle = MillisSince(idle_since);
  if (end == TcpClient::End::kTimeout)
    return Outcome::Fail("the idle client was still connected after " + std::to_string(static_cast<int>(idle)) +
                         " ms (timeout " + std::to_string(timing.timeout().count()) + " ms, tolerance " +
                         std::to_string(timing.tolerance().count()) + " ms)");
  // Its child must end too (a prefork worker goes back to accept());
  // reaping it is REAP's concern.
  if (context.declared.model == "prefork")
    return Outcome::Pass("idle client disconnected after " + std::to_string(static_cast<int>(idle)) +
                         " ms (timeout " + std::to_string(timing.timeout().count()) + " ms)");
  if (std::vector<pid_t> running = AwaitEnded({session->child}, Scaled(Millis(context.declared.reap_grace_ms)));
      !running.empty())
    return Outcome::Fail("disconnected after " + std::to_string(static_cast<int>(idle)) + " ms, but child " +
                         std::to_string(session->child) + " still runs");
  return Outcome::Pass("idle client disconnected after " + std::to_string(static_cast<int>(idle)) +
                       " ms (timeout " + std::to_string(timing.timeout().count()) + " ms); its child ended");
}

}  // namespace

FORKCHECK_SCENARIO(alrm_1, kAlrm1, Run);

}  // namespace forkcheck
