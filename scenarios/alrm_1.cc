// ALRM-1: an idle client is disconnected within T plus a tolerance.
#include "conformance/l10n/tr.h"
#include "scenarios/alarm_timing.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kAlrm1 = {
    "ALRM-1", Level::kMust, "alarm", N_("disconnects an idle client within the idle timeout"),
    N_("arm alarm() (or setitimer) in the child, let the SIGALRM handler set a flag, and end the "
       "session when read() returns EINTR with the flag set; the parent then reaps the child"),
    0, Company::kWaiters};

Outcome Run(Context& context) {
  if (context.declared.idle_timeout_ms <= 0)
    return Outcome::Skip(Tr("no idle timeout declared: pass --idle-timeout=MS"));
  AlarmTiming timing(context.declared);
  std::string why;
  auto session = OpenSession(context.sut, &why);
  if (!session) return Outcome::Fail(why);
  Clock::time_point idle_since = Clock::now();
  std::string received;
  TcpClient::End end = AwaitSessionEnd(context.sut, *session, &received, timing.deadline());
  int idle = static_cast<int>(MillisSince(idle_since));
  if (end == TcpClient::End::kTimeout)
    return Outcome::Fail(Say("the idle client was still connected after {0} ms (timeout {1} ms, tolerance {2} ms)",
                             idle, timing.timeout().count(), timing.tolerance().count()));
  // Its child must end too (a prefork worker goes back to accept());
  // reaping it is REAP's concern.
  if (context.declared.model == "prefork")
    return Outcome::Pass(Say("idle client disconnected after {0} ms (timeout {1} ms)", idle, timing.timeout().count()));
  if (std::vector<pid_t> running = AwaitEnded({session->child}, Scaled(Millis(context.declared.reap_grace_ms)));
      !running.empty())
    return Outcome::Fail(Say("disconnected after {0} ms, but child {1} still runs", idle, session->child));
  return Outcome::Pass(
      Say("idle client disconnected after {0} ms (timeout {1} ms); its child ended", idle, timing.timeout().count()));
}

}  // namespace

FORKCHECK_SCENARIO(alrm_1, kAlrm1, Run);

}  // namespace forkcheck
