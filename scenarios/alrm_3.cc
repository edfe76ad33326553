// ALRM-3: activity re-arms the idle timer.
#include <thread>

#include "scenarios/alarm_timing.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kAlrm3 = {
    "ALRM-3", Level::kMust, "alarm", "re-arms the idle timer on activity",
    "call alarm() again after every successful read(): the timeout is for idleness, not for "
    "the whole session",
    kNeedsExactEcho, true};

Outcome Run(Context& context) {
  if (context.declared.idle_timeout_ms <= 0) return Outcome::Skip("no idle timeout declared: pass --idle-timeout=MS");
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
      return Outcome::Fail("with a byte every " + std::to_string(step.count()) + " ms, the session ended after " +
                           std::to_string(static_cast<int>(MillisSince(start))) + " ms (timeout " +
                           std::to_string(timing.timeout().count()) + " ms): the timer was not re-armed");
  }
  return Outcome::Pass("a byte every " + std::to_string(step.count()) + " ms kept the session alive for " +
                       std::to_string(static_cast<int>(MillisSince(start))) + " ms (timeout " +
                       std::to_string(timing.timeout().count()) + " ms)");
}

}  // namespace

FORKCHECK_SCENARIO(alrm_3, kAlrm3, Run);

}  // namespace forkcheck
