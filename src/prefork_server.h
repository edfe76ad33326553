// --mode=prefork: the parent keeps --workers workers accepting and only
// supervises: reaps and reports them, respawns the dead (with a crash-loop
// guard), replaces them one by one on SIGHUP, stops them on SIGTERM/SIGINT.
#ifndef FORKCHECK_SRC_PREFORK_SERVER_H_
#define FORKCHECK_SRC_PREFORK_SERVER_H_

#include <sys/types.h>

#include <cstdint>
#include <map>

#include "src/backoff.h"
#include "src/crash_guard.h"
#include "src/scoreboard.h"
#include "src/server_setup.h"
#include "src/spawn_context.h"
#include "src/supervisor.h"

namespace forkcheck {

class PreforkServer {
 public:
  explicit PreforkServer(ServerSetup setup);
  // Supervises until SIGTERM/SIGINT; returns the process exit code.
  int Run();

 private:
  struct Worker {
    int64_t started_ms;
    int slot;
    unsigned generation;  // bumped by each SIGHUP: older ones are replaced
    bool retiring;        // asked to stop
  };

  void Supervise();
  void AccountReaped(int64_t now_ms);
  void OnWorkerDeath(pid_t pid, const Worker& worker, int64_t now_ms);
  bool NewWorkerHealthy(int64_t now_ms) const;
  void NoticeReload();
  void RetireReplacedWorker();
  void SpawnMissing(int64_t now_ms);
  bool SpawnOne(int64_t now_ms);
  int Accepting() const;
  int Stale() const;
  bool CurrentAllReady() const;
  int WaitTimeout(int64_t now_ms) const;

  ServerSetup setup_;
  Supervisor supervisor_;
  SpawnContext spawn_;
  Scoreboard scoreboard_;
  std::map<pid_t, Worker> workers_;
  CrashGuard crash_guard_;
  Backoff fork_backoff_{10, 200};
  unsigned generation_ = 0;
  unsigned reloads_seen_ = 0;
  int spawned_ = 0;
  bool fatal_ = false;
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_PREFORK_SERVER_H_
