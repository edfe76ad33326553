#include "conformance/harness/deadline.h"

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace forkcheck {
namespace {

double InitialScale() {
  const char* env = std::getenv("FORKCHECK_TIMEOUT_SCALE");
  if (env == nullptr) return 1.0;
  double value = std::atof(env);
  return value > 0 ? value : 1.0;
}

double g_scale = InitialScale();

}  // namespace

void SetTimeoutScale(double factor) { g_scale = factor; }
double TimeoutScale() { return g_scale; }

Millis Scaled(Millis base) {
  return Millis(static_cast<long long>(base.count() * g_scale));
}

Millis Deadline::Remaining() const {
  auto left = std::chrono::duration_cast<Millis>(end_ - Clock::now());
  return std::max(left, Millis(0));
}

int Deadline::RemainingMsForPoll() const {
  auto left = std::chrono::duration_cast<Millis>(end_ - Clock::now()).count();
  if (left <= 0) return 0;
  return static_cast<int>(std::min<long long>(left + 1, 1 << 30));
}

bool PollUntil(const std::function<bool()>& condition, Millis budget,
               Millis interval) {
  Deadline deadline(budget);
  for (;;) {
    if (condition()) return true;
    if (deadline.Expired()) return false;
    std::this_thread::sleep_for(std::min(interval, deadline.Remaining()));
  }
}

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace forkcheck
