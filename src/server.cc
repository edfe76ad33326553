#include "src/server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "src/accept_errors.h"
#include "src/clock.h"
#include "src/exit_codes.h"
#include "src/status_report.h"
#include "src/stop_request.h"
#include "src/wait_status.h"
#include "src/wakeup.h"

namespace forkcheck {

Server::Server(ServerSetup setup) : setup_(std::move(setup)) {
  wait_mask_ = setup_.loop_mask;
  sigdelset(&wait_mask_, SIGTERM);
  sigdelset(&wait_mask_, SIGINT);
  setup_.reaper->UnblockForWait(&wait_mask_);
  spawn_.listen_fd = setup_.listen_fd;
  spawn_.parent_fds[0] = setup_.reaper->fd();
  spawn_.parent_fds[1] = setup_.events_fd;
  spawn_.parent_fds[2] = WakeupReadFd();
  spawn_.parent_fds[3] = WakeupWriteFd();
  spawn_.child_mask = setup_.child_mask;
  spawn_.child.idle_timeout_ms = setup_.options.idle_timeout_ms;
  spawn_.child.test_hooks = setup_.options.test_hooks;
}

int Server::Run() {
  Serve();
  Shutdown();
  return fatal_ ? kExitInternal : kExitOk;
}

void Server::Serve() {
  while (StopRequests() == 0 && !fatal_) {
    CollectReaped();
    const int64_t now = MonotonicMs();
    const bool watch = ListenerReady(now);
    const int remaining = BackoffRemaining(now);
    const int ready = Wait(watch, remaining > 0 ? remaining : -1);
    if (ready < 0 && errno != EINTR) {
      LogError(std::string("ppoll: ") + strerror(errno));
      fatal_ = true;
    }
    // EINTR means a handler ran; reaping happens at the top of the loop.
    if (ready > 0 && watch && (fds_[0].revents & (POLLIN | POLLERR))) {
      AcceptOne();
    }
  }
}

bool Server::ListenerReady(int64_t now_ms) const {
  return children_.size() < static_cast<size_t>(setup_.options.max_children) &&
         !accept_backoff_.Active(now_ms) && !fork_backoff_.Active(now_ms);
}

int Server::BackoffRemaining(int64_t now_ms) const {
  return std::max(accept_backoff_.Remaining(now_ms),
                  fork_backoff_.Remaining(now_ms));
}

// The only place signals are unblocked in the parent: ppoll swaps the mask
// atomically, so a SIGCHLD or SIGTERM can never slip in before we sleep.
int Server::Wait(bool watch_listener, int timeout_ms) {
  nfds_t n = 0;
  fds_[0] = {-1, 0, 0};
  if (watch_listener) fds_[n++] = {setup_.listen_fd, POLLIN, 0};
  const nfds_t wake = n;
  fds_[n++] = {WakeupReadFd(), POLLIN, 0};
  if (setup_.reaper->fd() >= 0) fds_[n++] = {setup_.reaper->fd(), POLLIN, 0};
  timespec ts = {timeout_ms / 1000, (timeout_ms % 1000) * 1000000L};
  int ready = ppoll(fds_, n, timeout_ms >= 0 ? &ts : nullptr, &wait_mask_);
  if (ready > 0 && (fds_[wake].revents & POLLIN)) DrainWakeup();
  return ready;
}

void Server::CollectReaped() {
  reaped_.clear();
  setup_.reaper->Collect(&reaped_);
  for (const Reaped& r : reaped_) {
    WaitStatus status(r.status);
    ReportReaped(r.pid, status);
    setup_.events->Reap(r.pid, status);
    children_.erase(r.pid);
  }
}

void Server::AcceptOne() {
  int conn = accept4(setup_.listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
  if (conn < 0) {
    OnAcceptError(errno);
    return;
  }
  accept_backoff_.Reset();
  Spawn(conn);
}

void Server::OnAcceptError(int err) {
  switch (ClassifyAcceptError(err)) {
    case AcceptAction::kRetry:
      return;
    case AcceptAction::kBackOff:
      LogError(std::string("accept: ") + strerror(err));
      accept_backoff_.Fail(MonotonicMs());
      return;
    case AcceptAction::kFatal:
      LogError(std::string("accept: ") + strerror(err));
      fatal_ = true;
      return;
  }
}

void Server::Spawn(int conn) {
  pid_t pid = SpawnChild(conn, spawn_);
  const int fork_errno = errno;
  // Closed at once in either case: on failure the client sees EOF right away.
  close(conn);
  if (pid < 0) {
    LogError(std::string("fork: ") + strerror(fork_errno));
    fork_backoff_.Fail(MonotonicMs());
    return;
  }
  fork_backoff_.Reset();
  children_.insert(pid);
  setup_.events->Spawn(pid);
}

void Server::Shutdown() {
  close(setup_.listen_fd);
  SignalChildren(SIGTERM);
  WaitForChildren(MonotonicMs() + setup_.options.shutdown_grace_ms, 2);
  SignalChildren(SIGKILL);
  WaitForChildren(-1, 3);
}

// Waits until no child is left, `deadline_ms` passes (-1: never) or the count
// of stop signals reaches `stop_requests_limit`.
void Server::WaitForChildren(int64_t deadline_ms, int stop_requests_limit) {
  constexpr int kRecheckMs = 100;
  for (;;) {
    CollectReaped();
    ForgetVanishedChildren();
    if (children_.empty() || StopRequests() >= stop_requests_limit) return;
    int64_t left = kRecheckMs;
    if (deadline_ms >= 0) left = std::min<int64_t>(left, deadline_ms - MonotonicMs());
    if (left <= 0) return;
    Wait(false, static_cast<int>(left));
  }
}

// Guards the shutdown loops against a pid somebody else already reaped.
void Server::ForgetVanishedChildren() {
  for (auto it = children_.begin(); it != children_.end();) {
    if (kill(*it, 0) < 0 && errno == ESRCH) {
      it = children_.erase(it);
    } else {
      ++it;
    }
  }
}

void Server::SignalChildren(int sig) {
  for (pid_t pid : children_) kill(pid, sig);
}

}  // namespace forkcheck
