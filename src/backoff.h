// Bounded exponential back-off, expressed as a "not before" deadline so the
// main loop can keep reaping while it waits.
#ifndef FORKCHECK_SRC_BACKOFF_H_
#define FORKCHECK_SRC_BACKOFF_H_

#include <cstdint>

namespace forkcheck {

class Backoff {
 public:
  Backoff(int initial_ms, int max_ms) : initial_ms_(initial_ms), max_ms_(max_ms) {}

  // Records a failure at `now_ms`; returns the delay chosen.
  int Fail(int64_t now_ms);
  void Reset() { next_delay_ms_ = 0; until_ms_ = 0; }
  bool Active(int64_t now_ms) const { return now_ms < until_ms_; }
  // Milliseconds left, 0 when inactive.
  int Remaining(int64_t now_ms) const;

 private:
  int initial_ms_;
  int max_ms_;
  int next_delay_ms_ = 0;
  int64_t until_ms_ = 0;
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_BACKOFF_H_
