// Forking a connection handler (_Fork) or a prefork worker (fork), with the
// signal discipline around it.
#ifndef FORKCHECK_SRC_SPAWNER_H_
#define FORKCHECK_SRC_SPAWNER_H_

#include <sys/types.h>

#include "src/child_path.h"
#include "src/spawn_context.h"
#include "src/worker.h"

namespace forkcheck {

// Returns the child's pid, or -1 with errno set. The caller closes `conn`.
CHILD_PATH pid_t SpawnChild(int conn, const SpawnContext& ctx);
// Returns the worker's pid, or -1 with errno set.
pid_t SpawnWorker(const SpawnContext& ctx, const WorkerConfig& config);

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_SPAWNER_H_
