#include "src/supervisor.h"

#include <algorithm>
#include <cerrno>

#include "src/clock.h"
#include "src/status_report.h"
#include "src/stop_request.h"
#include "src/wait_status.h"
#include "src/wakeup.h"

namespace forkcheck {

Supervisor::Supervisor(const ServerSetup* setup, std::initializer_list<int> wait_signals)
    : setup_(setup),
      children_(std::min<size_t>(static_cast<size_t>(std::max(setup->options.max_children, 1)), 4096)) {
  reaped_.reserve(256);
  wait_mask_ = setup_->loop_mask;
  sigdelset(&wait_mask_, SIGTERM);
  sigdelset(&wait_mask_, SIGINT);
  for (int sig : wait_signals) sigdelset(&wait_mask_, sig);
  setup_->reaper->UnblockForWait(&wait_mask_);
}

SpawnContext Supervisor::MakeSpawnContext() const {
  SpawnContext ctx;
  ctx.listen_fd = setup_->listen_fd;
  ctx.parent_fds[0] = setup_->reaper->fd();
  ctx.parent_fds[1] = setup_->events_fd;
  ctx.parent_fds[2] = WakeupReadFd();
  ctx.wake_fd = WakeupWriteFd();
  ctx.child_mask = setup_->child_mask;
  ctx.child.idle_timeout_ms = setup_->options.idle_timeout_ms;
  ctx.child.test_hooks = setup_->options.test_hooks;
  return ctx;
}

// The only place signals are unblocked in the parent: ppoll swaps the mask
// atomically, so a SIGCHLD or SIGTERM can never slip in before we sleep.
int Supervisor::Wait(int listen_fd, int timeout_ms, bool* listener_ready) {
  nfds_t n = 0;
  if (listen_fd >= 0) fds_[n++] = {listen_fd, POLLIN, 0};
  const nfds_t wake = n;
  fds_[n++] = {WakeupReadFd(), POLLIN, 0};
  if (setup_->reaper->fd() >= 0) fds_[n++] = {setup_->reaper->fd(), POLLIN, 0};
  timespec ts = {timeout_ms / 1000, (timeout_ms % 1000) * 1000000L};
  int ready = ppoll(fds_, n, timeout_ms >= 0 ? &ts : nullptr, &wait_mask_);
  if (ready > 0 && (fds_[wake].revents & POLLIN)) DrainWakeup();
  *listener_ready = ready > 0 && listen_fd >= 0 && (fds_[0].revents & (POLLIN | POLLERR));
  return ready;
}

const ReapedList& Supervisor::CollectReaped() {
  reaped_.clear();
  setup_->reaper->Collect(&reaped_);
  for (const Reaped& r : reaped_) {
    WaitStatus status(r.status);
    ReportReaped(r.pid, status);
    setup_->events->Reap(r.pid, status);
    children_.Erase(r.pid);
  }
  return reaped_;
}

void Supervisor::Adopt(pid_t pid) {
  children_.Insert(pid);
  setup_->events->Spawn(pid);
}

void Supervisor::StopChildren() {
  SignalChildren(SIGTERM);
  WaitForChildren(MonotonicMs() + setup_->options.shutdown_grace_ms, 2);
  SignalChildren(SIGKILL);
  WaitForChildren(-1, 3);
}

// Waits until no child is left, `deadline_ms` passes (-1: never) or the count
// of stop signals reaches `stop_requests_limit`.
void Supervisor::WaitForChildren(int64_t deadline_ms, int stop_requests_limit) {
  constexpr int kRecheckMs = 100;
  for (;;) {
    CollectReaped();
    ForgetVanishedChildren();
    if (children_.empty() || StopRequests() >= stop_requests_limit) return;
    int64_t left = kRecheckMs;
    if (deadline_ms >= 0) left = std::min<int64_t>(left, deadline_ms - MonotonicMs());
    if (left <= 0) return;
    bool unused;
    Wait(-1, static_cast<int>(left), &unused);
  }
}

// Guards the shutdown loops against a pid somebody else already reaped.
void Supervisor::ForgetVanishedChildren() {
  children_.EraseIf([](pid_t pid) { return kill(pid, 0) < 0 && errno == ESRCH; });
}

void Supervisor::SignalChildren(int sig) {
  for (pid_t pid : children_) kill(pid, sig);
}

}  // namespace forkcheck
