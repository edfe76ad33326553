// Stable exit codes of reference_server and of its per-connection children.
// Documented in src/README.md; scripts and the conformance kit rely on them.
#ifndef FORKCHECK_SRC_EXIT_CODES_H_
#define FORKCHECK_SRC_EXIT_CODES_H_

namespace forkcheck {

enum ExitCode : int {
  kExitOk = 0,           // server: graceful stop; child: client EOF, all echoed
  kExitInternal = 1,     // server: unexpected fatal system error
  kExitUsage = 2,        // server: bad command line
  kExitIoError = 3,      // child: read/write error on the connection
  kExitIdleTimeout = 4,  // child: no bytes received for --idle-timeout ms
  kExitListen = 5,       // server: cannot set up the listening socket
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_EXIT_CODES_H_
