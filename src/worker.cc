#include "src/worker.h"

#include <poll.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "src/accept_errors.h"
#include "src/backoff.h"
#include "src/clock.h"
#include "src/exit_codes.h"
#include "src/signals.h"
#include "src/status_report.h"

namespace forkcheck {
namespace {

volatile sig_atomic_t g_stop = 0;

void OnStop(int) { g_stop = 1; }

class Worker {
 public:
  Worker(const SpawnContext& ctx, const WorkerConfig& config) : ctx_(ctx), config_(config) {}

  [[noreturn]] void Run();

 private:
  void Prepare();
  void TellParentReady();
  int NextConnection();
  bool WaitForListener();
  void WatchListenerExclusively();
  void OnAcceptError(int err);

  const SpawnContext& ctx_;
  const WorkerConfig& config_;
  sigset_t wait_mask_;
  int epoll_fd_ = -1;  // the listener with EPOLLEXCLUSIVE, or -1: ppoll
  Backoff accept_backoff_{10, 100};
};

// SIGTERM/SIGINT stay blocked except inside ppoll, as in the parent: a stop
// request never interrupts a session, and never slips in between checking
// the flag and going to sleep.
void Worker::Prepare() {
  for (int fd : ctx_.parent_fds) {
    if (fd >= 0) close(fd);
  }
  SetDisposition(SIGCHLD, SIG_DFL);
  SetDisposition(SIGHUP, SIG_DFL);
  SetDisposition(SIGTERM, OnStop);
  SetDisposition(SIGINT, OnStop);
  // SIGPIPE stays ignored, as main() set it: EPIPE is an I/O error exit.
  wait_mask_ = ctx_.child_mask;
  sigset_t run_mask = ctx_.child_mask;
  sigaddset(&run_mask, SIGTERM);
  sigaddset(&run_mask, SIGINT);
  sigprocmask(SIG_SETMASK, &run_mask, nullptr);
  WatchListenerExclusively();
  // An orphaned worker would otherwise accept on the shared listener forever.
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != config_.parent) g_stop = 1;
}

void Worker::TellParentReady() {
  config_.slot->ready.store(1);
  // A full pipe already guarantees the parent a wake-up, so EAGAIN is fine.
  ssize_t ignored = write(ctx_.wake_fd, "", 1);
  (void)ignored;
  close(ctx_.wake_fd);
}

void Worker::Run() {
  Prepare();
  if (config_.crash_at_start) _exit(kExitInternal);
  TellParentReady();
  uint32_t sessions = 0;
  while (config_.max_sessions == 0 || sessions < static_cast<uint32_t>(config_.max_sessions)) {
    const int conn = NextConnection();
    if (conn < 0) break;
    config_.slot->sessions.store(++sessions);
    ServeSession(conn, ctx_.child);
    close(conn);
  }
  _exit(kExitOk);
}

// The accepted connection, or -1 once asked to stop.
int Worker::NextConnection() {
  for (;;) {
    if (g_stop) return -1;
    if (!WaitForListener()) continue;
    const int conn = accept4(ctx_.listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn >= 0) {
      accept_backoff_.Reset();
      return conn;
    }
    OnAcceptError(errno);
  }
}

// Polling the shared listener wakes every idle worker for each connection
// (the losers' accept4 fails with EAGAIN: the listener is non-blocking), and
// a blocking accept() could not be left race-free on a stop request. An
// epoll set of its own with EPOLLEXCLUSIVE (Linux 4.5) wakes one worker per
// connection, and epoll_pwait swaps the signal mask atomically like ppoll.
void Worker::WatchListenerExclusively() {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) return;
  epoll_event event = {};
  event.events = EPOLLIN | EPOLLEXCLUSIVE;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, ctx_.listen_fd, &event) == 0) return;
  close(epoll_fd_);
  epoll_fd_ = -1;
}

bool Worker::WaitForListener() {
  const int backoff_ms = accept_backoff_.Remaining(MonotonicMs());
  if (backoff_ms > 0) {
    timespec ts = {backoff_ms / 1000, (backoff_ms % 1000) * 1000000L};
    ppoll(nullptr, 0, &ts, &wait_mask_);
    return false;
  }
  if (epoll_fd_ >= 0) {
    epoll_event event;
    return epoll_pwait(epoll_fd_, &event, 1, -1, &wait_mask_) > 0;
  }
  pollfd fd = {ctx_.listen_fd, POLLIN, 0};
  return ppoll(&fd, 1, nullptr, &wait_mask_) > 0;
}

void Worker::OnAcceptError(int err) {
  switch (ClassifyAcceptError(err)) {
    case AcceptAction::kRetry:
      return;
    case AcceptAction::kBackOff:
      LogWorkerError("accept", err);
      accept_backoff_.Fail(MonotonicMs());
      return;
    case AcceptAction::kFatal:
      LogWorkerError("accept", err);
      _exit(kExitInternal);
  }
}

}  // namespace

void RunWorker(const SpawnContext& ctx, const WorkerConfig& config) {
  Worker worker(ctx, config);
  worker.Run();
}

}  // namespace forkcheck
