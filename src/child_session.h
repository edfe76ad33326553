// Everything a forked child does with its connection.
#ifndef FORKCHECK_SRC_CHILD_SESSION_H_
#define FORKCHECK_SRC_CHILD_SESSION_H_

#include "src/child_path.h"

namespace forkcheck {

struct ChildConfig {
  int idle_timeout_ms = 0;
  bool test_hooks = false;
};

// Echoes until the client's EOF, then exits 0; exits kExitIoError or
// kExitIdleTimeout otherwise. Signal dispositions and mask must be reset.
CHILD_PATH [[noreturn]] void RunChildSession(int conn, const ChildConfig& config);

// For prefork workers: returns (idle timer disarmed, `conn` still open) only
// when the client's EOF ended the session with everything echoed; any other
// end exits the process with the code RunChildSession would have used.
CHILD_PATH void ServeSession(int conn, const ChildConfig& config);

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_CHILD_SESSION_H_
