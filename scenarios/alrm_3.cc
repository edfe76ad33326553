// ALRM-3: activity re-arms the idle timer.
#include <thread>

#include "conformance/l10n/tr.h"
#include "scenarios/alarm_timing.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kAlrm3 = {
    "ALRM-3", Level::kMust, "alarm", N_("re-arms the idle timer on activity"),
    N_("call alarm() again after every successful read(): the timeout is for idleness, not for "
       "the whole session"),
    kNeedsExactEcho, Company::kWaiters, /*long_running=*/true};

Outcome Run(Context& context) {
  if (context.declared.idle_timeout_ms <= 0)
    return Outcome::Skip(Tr("no idle timeout declared: pass --idle-timeout=MS"));
  AlarmTiming timing(context.declared);
  std::string why;
  auto session = OpenSession(context.sut, &why);
  if (!session) return Outcome::Fail(why);
  Millis step(timing.timeout().count() * 6 / 10);
  Clock::time_point start = Clock::now();
  for (int beat = 1; beat <= 4; ++beat) {
    // The gap between bytes is what the test controls.
    std::this_thread::sleep_until(start + step * beat);
    std::string byte(1, static_cast<char>('a' + beat));
    if (!session->client.SendAll(byte, Scaled(Millis(200))) ||
        session->client.ReadUpTo(1, timing.tolerance()) != byte)
      return Outcome::Fail(
          Say("with a byte every {0} ms, the session ended after {1} ms (timeout {2} ms): the timer was not re-armed",
              step.count(), static_cast<int>(MillisSince(start)), timing.timeout().count()));
  }
  return Outcome::Pass(Say("a byte every {0} ms kept the session alive for {1} ms (timeout {2} ms)", step.count(),
                           static_cast<int>(MillisSince(start)), timing.timeout().count()));
}

}  // namespace

FORKCHECK_SCENARIO(alrm_3, kAlrm3, Run);

}  // namespace forkcheck
