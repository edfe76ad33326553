#include "src/server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "src/accept_errors.h"
#include "src/clock.h"
#include "src/exit_codes.h"
#include "src/spawner.h"
#include "src/status_report.h"
#include "src/stop_request.h"

namespace forkcheck {

Server::Server(ServerSetup setup)
    : setup_(std::move(setup)), supervisor_(&setup_, {}), spawn_(supervisor_.MakeSpawnContext()) {}

int Server::Run() {
  Serve();
  close(setup_.listen_fd);
  supervisor_.StopChildren();
  return fatal_ ? kExitInternal : kExitOk;
}

void Server::Serve() {
  while (StopRequests() == 0 && !fatal_) {
    supervisor_.CollectReaped();
    const int64_t now = MonotonicMs();
    const bool watch = ListenerReady(now);
    const int remaining = BackoffRemaining(now);
    bool acceptable = false;
    const int ready = supervisor_.Wait(watch ? setup_.listen_fd : -1, remaining > 0 ? remaining : -1,
                                       &acceptable);
    if (ready < 0 && errno != EINTR) {
      LogError(std::string("ppoll: ") + strerror(errno));
      fatal_ = true;
    }
    // EINTR means a handler ran; reaping happens at the top of the loop.
    if (acceptable) AcceptOne();
  }
}

bool Server::ListenerReady(int64_t now_ms) const {
  return supervisor_.live() < static_cast<size_t>(setup_.options.max_children) &&
         !accept_backoff_.Active(now_ms) && !fork_backoff_.Active(now_ms);
}

int Server::BackoffRemaining(int64_t now_ms) const {
  return std::max(accept_backoff_.Remaining(now_ms),
                  fork_backoff_.Remaining(now_ms));
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
  supervisor_.Adopt(pid);
}

}  // namespace forkcheck
