// Prefork mode: memory shared by the parent and its workers, one slot per
// worker, written only by that worker and read by the parent.
#ifndef FORKCHECK_SRC_SCOREBOARD_H_
#define FORKCHECK_SRC_SCOREBOARD_H_

#include <atomic>
#include <cstdint>
#include <vector>

namespace forkcheck {

struct WorkerSlot {
  std::atomic<uint32_t> ready;     // 1 once the worker waits for connections
  std::atomic<uint32_t> sessions;  // connections it accepted
};

class Scoreboard {
 public:
  Scoreboard() = default;
  ~Scoreboard();
  Scoreboard(const Scoreboard&) = delete;
  Scoreboard& operator=(const Scoreboard&) = delete;

  // Maps `slots` zeroed slots shared with future children. False (errno set)
  // on failure.
  bool Create(int slots);
  // A free slot, reset, or -1 when all are taken.
  int Claim();
  void Release(int index);
  WorkerSlot* slot(int index) const { return slots_ + index; }

 private:
  WorkerSlot* slots_ = nullptr;
  std::vector<bool> used_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_SCOREBOARD_H_
