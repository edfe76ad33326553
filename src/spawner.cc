#include "src/spawner.h"

#include <unistd.h>

#include "src/signals.h"

namespace forkcheck {
namespace {

void CloseIfOpen(int fd) {
  if (fd >= 0) close(fd);
}

// Runs with the parent's handled signals blocked (see ForkInLoop), so no
// parent handler can run in the child before its dispositions are reset.
// SIGPIPE is already ignored: main() set it before any fork.
void PrepareChild(const SpawnContext& ctx) {
  CloseIfOpen(ctx.listen_fd);
  for (int fd : ctx.parent_fds) CloseIfOpen(fd);
  CloseIfOpen(ctx.wake_fd);
  SetDisposition(SIGCHLD, SIG_DFL);
  SetDisposition(SIGTERM, SIG_DFL);
  SetDisposition(SIGINT, SIG_DFL);
  sigprocmask(SIG_SETMASK, &ctx.child_mask, nullptr);
}

// Signals are blocked around fork() without a sigprocmask() pair of its
// own: every signal the parent handles (SIGCHLD, SIGTERM, SIGINT, SIGHUP)
// stays blocked throughout its loop and is unblocked only inside ppoll
// (Supervisor::Wait). Blocking the others too would cost two system calls
// per session and protect nothing: a handler for them is not ours, and it
// stays installed in the child anyway. `child` runs in the child and never
// returns.
template <typename Child>
pid_t ForkInLoop(pid_t (*fork_process)(), const Child& child) {
  pid_t pid = fork_process();
  if (pid == 0) child();
  return pid;
}

}  // namespace

// A session child runs only async-signal-safe calls and allocates nothing,
// so it needs none of what fork() adds to _Fork() (POSIX.1-2024): the
// atfork handlers, and resetting libc's and the dynamic loader's locks for
// a child that would use them. Those resets write three pages the child
// must then copy, once per connection. A worker runs a loop of its own:
// it gets the whole fork().
pid_t SpawnChild(int conn, const SpawnContext& ctx) {
  return ForkInLoop(_Fork, [&] {
    PrepareChild(ctx);
    RunChildSession(conn, ctx.child);
  });
}

pid_t SpawnWorker(const SpawnContext& ctx, const WorkerConfig& config) {
  return ForkInLoop(fork, [&] { RunWorker(ctx, config); });
}

}  // namespace forkcheck
