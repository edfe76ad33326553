// A prefork worker: waits for a connection, accepts it, serves the session
// with fork mode's session code, and again, until asked to stop.
#ifndef FORKCHECK_SRC_WORKER_H_
#define FORKCHECK_SRC_WORKER_H_

#include <sys/types.h>

#include "src/scoreboard.h"
#include "src/spawn_context.h"

namespace forkcheck {

struct WorkerConfig {
  pid_t parent = 0;             // when it dies, the worker stops as on SIGTERM
  int max_sessions = 0;         // exit 0 after this many; 0 = never
  bool crash_at_start = false;  // --test-crash-workers: exit 1 at once
  WorkerSlot* slot = nullptr;
};

// Runs in the forked worker with every signal blocked. Exits 0 when asked to
// stop (SIGTERM/SIGINT) while waiting, or after `max_sessions`; a session that
// does not end with the client's EOF ends the worker with that session's
// code, as it would end a fork mode child. Allocates nothing.
[[noreturn]] void RunWorker(const SpawnContext& ctx, const WorkerConfig& config);

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_WORKER_H_
