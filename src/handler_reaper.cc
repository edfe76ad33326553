#include "src/handler_reaper.h"

#include <sys/wait.h>

#include <atomic>
#include <cerrno>
#include <csignal>

#include "src/eintr.h"
#include "src/ring_queue.h"
#include "src/signals.h"
#include "src/wakeup.h"

namespace forkcheck {
namespace {

RingQueue<Reaped, 1024> g_queue;
// The ring has one producer: a handler that finds another instance running
// (possible only when a foreign thread takes SIGCHLD) defers to the main loop.
std::atomic_flag g_producing = ATOMIC_FLAG_INIT;
// Set when zombies may have been left behind (ring full, or deferred above);
// the main loop then reaps itself, since no further SIGCHLD may ever come.
volatile sig_atomic_t g_rescan = 0;

void DrainIntoQueue() {
  while (!g_queue.Full()) {
    int status;
    pid_t pid = RetryAfterSignal(-1, waitpid, -1, &status, WNOHANG);
    if (pid <= 0) return;
    g_queue.Push({pid, status});
#ifdef FORKCHECK_PLANTED_BUG_REAP_ONCE
    return;  // test-only build: one waitpid per SIGCHLD, though signals coalesce
#endif
  }
  g_rescan = 1;
}

void OnSigchld(int) {
  const int saved_errno = errno;
  if (g_producing.test_and_set()) {
    g_rescan = 1;
  } else {
    DrainIntoQueue();
    g_producing.clear();
  }
  WakeFromHandler();
  errno = saved_errno;
}

}  // namespace

HandlerReaper::HandlerReaper() {
  SetDisposition(SIGCHLD, OnSigchld, SA_NOCLDSTOP | SA_RESTART);
}

HandlerReaper::~HandlerReaper() { SetDisposition(SIGCHLD, SIG_DFL); }

void HandlerReaper::UnblockForWait(sigset_t* mask) const {
  sigdelset(mask, SIGCHLD);
}

void HandlerReaper::Collect(std::vector<Reaped>* out) {
  Reaped item;
  while (g_queue.Pop(&item)) out->push_back(item);
  if (g_rescan) {
    g_rescan = 0;
    ReapAvailable(out);
  }
}

}  // namespace forkcheck
