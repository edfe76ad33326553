#include "src/backoff.h"

#include <algorithm>

namespace forkcheck {

int Backoff::Fail(int64_t now_ms) {
  int delay = next_delay_ms_ == 0 ? initial_ms_ : next_delay_ms_;
  delay = std::min(delay, max_ms_);
  next_delay_ms_ = std::min(delay * 2, max_ms_);
  until_ms_ = now_ms + delay;
  return delay;
}

int Backoff::Remaining(int64_t now_ms) const {
  return Active(now_ms) ? static_cast<int>(until_ms_ - now_ms) : 0;
}

}  // namespace forkcheck
