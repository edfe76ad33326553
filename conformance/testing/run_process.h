#ifndef FORKCHECK_CONFORMANCE_TESTING_RUN_PROCESS_H_
#define FORKCHECK_CONFORMANCE_TESTING_RUN_PROCESS_H_

#include <string>
#include <vector>

#include "conformance/harness/deadline.h"

namespace forkcheck {

struct ProcessResult {
  int status = -1;  // raw wait status; -1 if it had to be killed
  bool timed_out = false;
  std::string out;
  std::string err;
  int exit_code() const;
  double wall_ms = 0;
};

// Runs argv to completion, capturing stdout and stderr; SIGKILLs it (and
// everything below it) if it outlives `budget`.
ProcessResult RunProcess(const std::vector<std::string>& argv, Millis budget);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_TESTING_RUN_PROCESS_H_
