// What main() hands to the parent's loop, in either mode.
#ifndef FORKCHECK_SRC_SERVER_SETUP_H_
#define FORKCHECK_SRC_SERVER_SETUP_H_

#include <signal.h>

#include <memory>

#include "src/event_log.h"
#include "src/options.h"
#include "src/reaper.h"

namespace forkcheck {

struct ServerSetup {
  Options options;
  int listen_fd = -1;
  std::unique_ptr<Reaper> reaper;
  EventLog* events = nullptr;
  int events_fd = -1;
  sigset_t loop_mask;   // current mask: the signals main() manages are blocked
  sigset_t child_mask;  // what children run with
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_SERVER_SETUP_H_
