// --mode=fork (the default): the parent accepts, forks one child per
// connection, reaps, reports, and stops gracefully.
#ifndef FORKCHECK_SRC_SERVER_H_
#define FORKCHECK_SRC_SERVER_H_

#include <cstdint>

#include "src/backoff.h"
#include "src/server_setup.h"
#include "src/spawn_context.h"
#include "src/supervisor.h"

namespace forkcheck {

class Server {
 public:
  explicit Server(ServerSetup setup);
  // Serves until SIGTERM/SIGINT; returns the process exit code.
  int Run();

 private:
  void Serve();
  bool ListenerReady(int64_t now_ms) const;
  int BackoffRemaining(int64_t now_ms) const;
  void AcceptOne();
  void OnAcceptError(int err);
  void Spawn(int conn);

  ServerSetup setup_;
  Supervisor supervisor_;
  SpawnContext spawn_;
  Backoff accept_backoff_{10, 100};
  Backoff fork_backoff_{10, 200};
  bool fatal_ = false;
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_SERVER_H_
