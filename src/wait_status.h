// Decoding of a raw waitpid(2) status word: the one place W* macros are used.
#ifndef FORKCHECK_SRC_WAIT_STATUS_H_
#define FORKCHECK_SRC_WAIT_STATUS_H_

#include <string>

namespace forkcheck {

class WaitStatus {
 public:
  enum class Kind { kExited, kKilled, kStopped, kContinued, kUnknown };

  explicit WaitStatus(int raw);

  Kind kind() const { return kind_; }
  int raw() const { return raw_; }
  bool exited() const { return kind_ == Kind::kExited; }
  bool killed() const { return kind_ == Kind::kKilled; }
  bool stopped() const { return kind_ == Kind::kStopped; }
  bool continued() const { return kind_ == Kind::kContinued; }
  int exit_code() const { return code_; }   // meaningful if exited()
  int signal() const { return signal_; }    // if killed() or stopped()
  bool core_dumped() const { return core_; }

  // "exited with status N", "killed by signal N", "killed by signal N (core
  // dumped)", "stopped by signal N" or "continued".
  std::string Describe() const;

 private:
  int raw_;
  Kind kind_ = Kind::kUnknown;
  int code_ = 0;
  int signal_ = 0;
  bool core_ = false;
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_WAIT_STATUS_H_
