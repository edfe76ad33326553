#include "src/testing/poll_until.h"

#include <chrono>
#include <thread>

#include "src/testing/test_env.h"

namespace forkcheck::testing {

bool PollUntil(const std::function<bool()>& condition, int timeout_ms) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(ScaledMs(timeout_ms));
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return condition();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace forkcheck::testing
