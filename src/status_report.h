// Human-readable lines on stderr, each written with a single write(2) so
// lines from concurrent writers never interleave and nothing sits in a buffer.
#ifndef FORKCHECK_SRC_STATUS_REPORT_H_
#define FORKCHECK_SRC_STATUS_REPORT_H_

#include <sys/types.h>

#include <string>

#include "src/wait_status.h"

namespace forkcheck {

// "child PID exited with status N" / "child PID killed by signal N[ (core dumped)]"
std::string ReapLine(pid_t pid, const WaitStatus& status);
void ReportReaped(pid_t pid, const WaitStatus& status);
// "reference_server: MESSAGE"
void LogError(const std::string& message);
// "reference_server: worker PID: WHAT: strerror(err)", allocation-free for a
// forked worker (the std::string above may not be used there).
void LogWorkerError(const char* what, int err);

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_STATUS_REPORT_H_
