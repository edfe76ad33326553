// Signal mask and disposition helpers shared by the parent and the child.
#ifndef FORKCHECK_SRC_SIGNALS_H_
#define FORKCHECK_SRC_SIGNALS_H_

#include <signal.h>

#include <initializer_list>

#include "src/child_path.h"

namespace forkcheck {

sigset_t MakeSigset(std::initializer_list<int> signals);

// Installs `handler` (or SIG_DFL / SIG_IGN) with an empty sa_mask plus `flags`.
CHILD_PATH void SetDisposition(int sig, void (*handler)(int), int flags = 0);

// Scoped sigprocmask(SIG_SETMASK): restores the previous mask on destruction.
class ScopedSignalMask {
 public:
  explicit ScopedSignalMask(const sigset_t& mask);
  ~ScopedSignalMask();
  ScopedSignalMask(const ScopedSignalMask&) = delete;
  ScopedSignalMask& operator=(const ScopedSignalMask&) = delete;

 private:
  sigset_t saved_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_SIGNALS_H_
