// Reaping inside the SIGCHLD handler into an async-signal-safe ring.
#ifndef FORKCHECK_SRC_HANDLER_REAPER_H_
#define FORKCHECK_SRC_HANDLER_REAPER_H_

#include "src/reaper.h"

namespace forkcheck {

// Process-wide: installs the SIGCHLD handler on construction and restores
// SIG_DFL on destruction. Create at most one at a time.
class HandlerReaper : public Reaper {
 public:
  HandlerReaper();
  ~HandlerReaper() override;

  int fd() const override { return -1; }
  void UnblockForWait(sigset_t* mask) const override;
  void Collect(ReapedList* out) override;
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_HANDLER_REAPER_H_
