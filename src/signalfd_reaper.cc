#include "src/signalfd_reaper.h"

#include <sys/signalfd.h>
#include <unistd.h>

#include "src/io.h"
#include "src/signals.h"

namespace forkcheck {

std::unique_ptr<Reaper> SignalfdReaper::Create() {
  // SIG_IGN would make the kernel auto-reap and hide exit statuses.
  SetDisposition(SIGCHLD, SIG_DFL, SA_NOCLDSTOP);
  sigset_t chld = MakeSigset({SIGCHLD});
  int fd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) return nullptr;
  return std::unique_ptr<Reaper>(new SignalfdReaper(fd));
}

SignalfdReaper::~SignalfdReaper() { close(fd_); }

void SignalfdReaper::DrainSignalfd() {
  signalfd_siginfo info[16];
  while (ReadRetryingEintr(fd_, info, sizeof info) > 0) {
  }
}

void SignalfdReaper::Collect(ReapedList* out) {
  DrainSignalfd();
  ReapAvailable(out);
}

}  // namespace forkcheck
