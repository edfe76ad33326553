#include "src/wait_status.h"

#include <sys/wait.h>

namespace forkcheck {

WaitStatus::WaitStatus(int raw) : raw_(raw) {
  if (WIFEXITED(raw)) {
    kind_ = Kind::kExited;
    code_ = WEXITSTATUS(raw);
  } else if (WIFSIGNALED(raw)) {
    kind_ = Kind::kKilled;
    signal_ = WTERMSIG(raw);
    core_ = WCOREDUMP(raw);
  } else if (WIFSTOPPED(raw)) {
    kind_ = Kind::kStopped;
    signal_ = WSTOPSIG(raw);
  } else if (WIFCONTINUED(raw)) {
    kind_ = Kind::kContinued;
  }
}

std::string WaitStatus::Describe() const {
  switch (kind_) {
    case Kind::kExited:
      return "exited with status " + std::to_string(code_);
    case Kind::kKilled:
      return "killed by signal " + std::to_string(signal_) +
             (core_ ? " (core dumped)" : "");
    case Kind::kStopped:
      return "stopped by signal " + std::to_string(signal_);
    case Kind::kContinued:
      return "continued";
    case Kind::kUnknown:
      break;
  }
  return "unknown status " + std::to_string(raw_);
}

}  // namespace forkcheck
