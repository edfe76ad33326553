// The parent: accept loop, reaping, reporting, graceful stop.
#ifndef FORKCHECK_SRC_SERVER_H_
#define FORKCHECK_SRC_SERVER_H_

#include <poll.h>
#include <signal.h>
#include <sys/types.h>

#include <memory>
#include <set>
#include <vector>

#include "src/backoff.h"
#include "src/event_log.h"
#include "src/options.h"
#include "src/reaper.h"
#include "src/spawner.h"

namespace forkcheck {

struct ServerSetup {
  Options options;
  int listen_fd = -1;
  std::unique_ptr<Reaper> reaper;
  EventLog* events = nullptr;
  int events_fd = -1;
  sigset_t loop_mask;   // current mask: SIGCHLD, SIGTERM, SIGINT blocked
  sigset_t child_mask;  // what children run with
};

class Server {
 public:
  explicit Server(ServerSetup setup);
  // Serves until SIGTERM/SIGINT; returns the process exit code.
  int Run();

 private:
  void Serve();
  void Shutdown();
  void WaitForChildren(int64_t deadline_ms, int stop_requests_limit);
  int Wait(bool watch_listener, int timeout_ms);
  bool ListenerReady(int64_t now_ms) const;
  int BackoffRemaining(int64_t now_ms) const;
  void CollectReaped();
  void ForgetVanishedChildren();
  void AcceptOne();
  void OnAcceptError(int err);
  void Spawn(int conn);
  void SignalChildren(int sig);

  ServerSetup setup_;
  sigset_t wait_mask_;
  SpawnContext spawn_;
  std::set<pid_t> children_;
  std::vector<Reaped> reaped_;
  Backoff accept_backoff_{10, 100};
  Backoff fork_backoff_{10, 200};
  bool fatal_ = false;
  pollfd fds_[3] = {};
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_SERVER_H_
