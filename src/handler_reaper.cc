#include "src/handler_reaper.h"

#include <sys/wait.h>

#include <atomic>
#include <cerrno>
#include <csignal>

#include "src/eintr.h"
#include "src/parent_only.h"
#include "src/ring_queue.h"
#include "src/signals.h"
#include "src/wakeup.h"

namespace forkcheck {
namespace {

// What the handler writes, in parent-only memory (parent_only.h): a write
// to it after fork() copies no page. Children reset SIGCHLD before they
// unblock it, so the handler never runs where this is not mapped.
struct HandlerState {
  RingQueue<Reaped, 1024> queue;
  // The ring has one producer: a handler that finds another instance running
  // (possible only when a foreign thread takes SIGCHLD) defers to the main loop.
  std::atomic_flag producing = ATOMIC_FLAG_INIT;
  // Set when zombies may have been left behind (ring full, or deferred above);
  // the main loop then reaps itself, since no further SIGCHLD may ever come.
  volatile sig_atomic_t rescan = 0;
};

HandlerState* g_state = nullptr;
bool g_state_mapped = false;

void ReleaseState() {
  if (g_state_mapped) {
    g_state->~HandlerState();
    UnmapParentOnly(g_state, sizeof(HandlerState));
  } else {
    delete g_state;
  }
  g_state = nullptr;
}

void DrainIntoQueue() {
  while (!g_state->queue.Full()) {
    int status;
    pid_t pid = RetryAfterSignal(-1, waitpid, -1, &status, WNOHANG);
    if (pid <= 0) return;
    g_state->queue.Push({pid, status});
#ifdef FORKCHECK_PLANTED_BUG_REAP_ONCE
    return;  // test-only build: one waitpid per SIGCHLD, though signals coalesce
#endif
  }
  g_state->rescan = 1;
}

void OnSigchld(int) {
  const int saved_errno = errno;
  if (g_state->producing.test_and_set()) {
    g_state->rescan = 1;
  } else {
    DrainIntoQueue();
    g_state->producing.clear();
  }
  WakeFromHandler();
  errno = saved_errno;
}

}  // namespace

HandlerReaper::HandlerReaper() {
  void* memory = MapParentOnly(sizeof(HandlerState));
  // Without parent-only pages (mmap failed) ordinary memory serves, slower.
  g_state_mapped = memory != nullptr;
  g_state = g_state_mapped ? new (memory) HandlerState : new HandlerState;
  SetDisposition(SIGCHLD, OnSigchld, SA_NOCLDSTOP | SA_RESTART);
}

HandlerReaper::~HandlerReaper() {
  SetDisposition(SIGCHLD, SIG_DFL);
  ReleaseState();
}

void HandlerReaper::UnblockForWait(sigset_t* mask) const {
  sigdelset(mask, SIGCHLD);
}

void HandlerReaper::Collect(ReapedList* out) {
  Reaped item;
  while (g_state->queue.Pop(&item)) out->push_back(item);
  if (g_state->rescan) {
    g_state->rescan = 0;
    ReapAvailable(out);
  }
}

}  // namespace forkcheck
