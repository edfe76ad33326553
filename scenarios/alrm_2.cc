// ALRM-2: data arriving near the idle deadline is never corrupted or hung.
#include <algorithm>
#include <thread>

#include "conformance/l10n/tr.h"
#include "scenarios/alarm_timing.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kAlrm2 = {
    "ALRM-2", Level::kMust, "alarm", N_("never corrupts or hangs when data arrives near the deadline"),
    N_("the SIGALRM handler may run between read() and write(): only set a flag there, and let "
       "the echo loop end the session cleanly; never write to the client from the handler"),
    kNeedsExactEcho, Company::kWaiters};

struct Probe {
  Session session;
  Clock::time_point send_at;
  std::string payload;
};

Outcome Run(Context& context) {
  if (context.declared.idle_timeout_ms <= 0)
    return Outcome::Skip(Tr("no idle timeout declared: pass --idle-timeout=MS"));
  AlarmTiming timing(context.declared);
  std::vector<Probe> probes;
  for (int offset = -50; offset <= 50; offset += 10) {
    std::string why;
    auto session = OpenSession(context.sut, &why);
    if (!session) return Outcome::Fail(why);
    Clock::time_point send_at = Clock::now() + timing.timeout() + Millis(offset);
    probes.push_back({std::move(*session), send_at, "near deadline " + std::to_string(offset) + " ms\n"});
  }
  std::sort(probes.begin(), probes.end(),
            [](const Probe& a, const Probe& b) { return a.send_at < b.send_at; });
  for (Probe& probe : probes) {
    // The send time is what the sweep varies; waiting for it is the test.
    std::this_thread::sleep_until(probe.send_at);
    probe.session.client.SendAll(probe.payload, Scaled(Millis(200)));
    probe.session.client.ShutdownWrite();
  }
  int complete = 0;
  for (Probe& probe : probes) {
    std::string received;
    TcpClient::End end =
        AwaitSessionEnd(context.sut, probe.session, &received, timing.deadline() + Scaled(Millis(1000)));
    // The line sent, without its newline: the payload is data, not a message.
    std::string line = probe.payload.substr(0, probe.payload.size() - 1);
    // The line came back whole, then the half-close was not answered.
    if (end == TcpClient::End::kTimeout && received == probe.payload)
      throw Blocked("ECHO-2", Say("\"{0}\" was echoed whole, but the connection did not end after the half-close "
                                  "(ECHO-2)",
                                  line));
    if (end == TcpClient::End::kTimeout)
      return Outcome::Fail(Say("\"{0}\": the connection neither echoed and ended nor was closed (hang)", line));
    if (probe.payload.compare(0, received.size(), received) != 0 || received.size() > probe.payload.size())
      return Outcome::Fail(Say("\"{0}\": got back \"{1}\", which is not a prefix of what was sent", line, received));
    if (received == probe.payload) ++complete;
  }
  return Outcome::Pass(
      Say("11 sends from T-50 ms to T+50 ms: {0} fully echoed, the rest cut cleanly; nothing corrupted or hung",
          complete));
}

}  // namespace

FORKCHECK_SCENARIO(alrm_2, kAlrm2, Run);

}  // namespace forkcheck
