#include "src/spawner.h"

#include <unistd.h>

#include <cerrno>

#include "src/signals.h"

namespace forkcheck {
namespace {

void CloseIfOpen(int fd) {
  if (fd >= 0) close(fd);
}

// Runs with every signal blocked, so no parent handler can run in the child
// before its dispositions are reset.
void PrepareChild(const SpawnContext& ctx) {
  CloseIfOpen(ctx.listen_fd);
  for (int fd : ctx.parent_fds) CloseIfOpen(fd);
  CloseIfOpen(ctx.wake_fd);
  SetDisposition(SIGCHLD, SIG_DFL);
  SetDisposition(SIGTERM, SIG_DFL);
  SetDisposition(SIGINT, SIG_DFL);
  // EPIPE from write() is reported as an I/O error exit instead.
  SetDisposition(SIGPIPE, SIG_IGN);
  sigprocmask(SIG_SETMASK, &ctx.child_mask, nullptr);
}

// `child` runs in the child with every signal blocked and never returns.
template <typename Child>
pid_t ForkWithSignalsBlocked(const Child& child) {
  sigset_t all = FullSigset();
  sigset_t saved;
  sigprocmask(SIG_SETMASK, &all, &saved);
  pid_t pid = fork();
  if (pid == 0) child();
  const int fork_errno = errno;
  sigprocmask(SIG_SETMASK, &saved, nullptr);
  errno = fork_errno;
  return pid;
}

}  // namespace

pid_t SpawnChild(int conn, const SpawnContext& ctx) {
  return ForkWithSignalsBlocked([&] {
    PrepareChild(ctx);
    RunChildSession(conn, ctx.child);
  });
}

pid_t SpawnWorker(const SpawnContext& ctx, const WorkerConfig& config) {
  return ForkWithSignalsBlocked([&] { RunWorker(ctx, config); });
}

}  // namespace forkcheck
