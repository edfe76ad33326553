// fork() of one connection handler, with the signal discipline around it.
#ifndef FORKCHECK_SRC_SPAWNER_H_
#define FORKCHECK_SRC_SPAWNER_H_

#include <signal.h>
#include <sys/types.h>

#include "src/child_session.h"

namespace forkcheck {

struct SpawnContext {
  int listen_fd = -1;
  // Parent-only descriptors (reaper, self-pipe, event log); -1 = unused.
  int parent_fds[4] = {-1, -1, -1, -1};
  sigset_t child_mask;  // the mask the child runs with
  ChildConfig child;
};

// Returns the child's pid, or -1 with errno set. The caller closes `conn`.
pid_t SpawnChild(int conn, const SpawnContext& ctx);

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_SPAWNER_H_
