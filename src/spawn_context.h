// What a forked child (fork mode) or worker (prefork mode) inherits and must
// close, and how it runs.
#ifndef FORKCHECK_SRC_SPAWN_CONTEXT_H_
#define FORKCHECK_SRC_SPAWN_CONTEXT_H_

#include <signal.h>

#include "src/child_session.h"

namespace forkcheck {

struct SpawnContext {
  int listen_fd = -1;  // closed by children, kept by workers
  // Parent-only descriptors (reaper, event log, self-pipe read end); -1 = unused.
  int parent_fds[3] = {-1, -1, -1};
  // The self-pipe's write end: closed by children; workers poke it once
  // ready, so the parent's loop wakes up to see it.
  int wake_fd = -1;
  sigset_t child_mask;  // the mask the child runs its session with
  ChildConfig child;
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_SPAWN_CONTEXT_H_
