#include "src/signals.h"

namespace forkcheck {

sigset_t MakeSigset(std::initializer_list<int> signals) {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : signals) sigaddset(&set, sig);
  return set;
}

void SetDisposition(int sig, void (*handler)(int), int flags) {
  struct sigaction sa = {};
  sa.sa_handler = handler;
  sa.sa_flags = flags;
  sigaction(sig, &sa, nullptr);
}

ScopedSignalMask::ScopedSignalMask(const sigset_t& mask) {
  sigprocmask(SIG_SETMASK, &mask, &saved_);
}

ScopedSignalMask::~ScopedSignalMask() {
  sigprocmask(SIG_SETMASK, &saved_, nullptr);
}

}  // namespace forkcheck
