#include "src/wakeup.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "src/io.h"

namespace forkcheck {
namespace {

int g_read_fd = -1;
volatile sig_atomic_t g_write_fd = -1;
// Static TLS in the executable: reading it in a handler is async-signal-safe.
thread_local volatile sig_atomic_t t_loop_thread = 0;

}  // namespace

bool InitWakeup() {
  int fds[2];
  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0) return false;
  g_read_fd = fds[0];
  g_write_fd = fds[1];
  t_loop_thread = 1;
  return true;
}

int WakeupReadFd() { return g_read_fd; }
int WakeupWriteFd() { return g_write_fd; }

void WakeFromHandler() {
  if (t_loop_thread) return;
  const int saved_errno = errno;
  if (g_write_fd >= 0) {
    // A full pipe already guarantees a wake-up, so EAGAIN is fine.
    ssize_t ignored = write(g_write_fd, "", 1);
    (void)ignored;
  }
  errno = saved_errno;
}

void DrainWakeup() {
  char buf[64];
  while (ReadRetryingEintr(g_read_fd, buf, sizeof buf) > 0) {
  }
}

}  // namespace forkcheck
