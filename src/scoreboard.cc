#include "src/scoreboard.h"

#include <sys/mman.h>

namespace forkcheck {

static_assert(std::atomic<uint32_t>::is_always_lock_free,
              "the slots are shared between processes");

Scoreboard::~Scoreboard() {
  if (slots_ != nullptr) munmap(slots_, used_.size() * sizeof(WorkerSlot));
}

bool Scoreboard::Create(int slots) {
  const size_t bytes = static_cast<size_t>(slots) * sizeof(WorkerSlot);
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return false;
  slots_ = static_cast<WorkerSlot*>(p);
  used_.assign(static_cast<size_t>(slots), false);
  return true;
}

int Scoreboard::Claim() {
  for (size_t i = 0; i < used_.size(); ++i) {
    if (used_[i]) continue;
    used_[i] = true;
    slots_[i].ready.store(0);
    slots_[i].sessions.store(0);
    return static_cast<int>(i);
  }
  return -1;
}

void Scoreboard::Release(int index) { used_[static_cast<size_t>(index)] = false; }

}  // namespace forkcheck
