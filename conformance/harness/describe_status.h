#ifndef FORKCHECK_HARNESS_DESCRIBE_STATUS_H_
#define FORKCHECK_HARNESS_DESCRIBE_STATUS_H_

#include <string>

namespace forkcheck {

// "exited with status N" / "was killed by signal N (core dumped)", decoded
// with the libc W* macros only: the kit shares no decoder with any server.
std::string DescribeWaitStatus(int status);

// "SIGTERM" for SIGTERM; "signal 77" for a number with no name.
std::string SignalName(int signo);

}  // namespace forkcheck

#endif  // FORKCHECK_HARNESS_DESCRIBE_STATUS_H_
