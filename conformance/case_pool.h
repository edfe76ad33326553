#ifndef FORKCHECK_CONFORMANCE_CASE_POOL_H_
#define FORKCHECK_CONFORMANCE_CASE_POOL_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "conformance/run_case.h"

namespace forkcheck {

// One run of one requirement.
struct CaseJob {
  const Scenario* scenario = nullptr;
  uint64_t seed = 0;
};

// Runs cases in processes of their own (this program re-executed with
// --internal-case), at most `jobs` at once. Each case process is the
// subreaper of its server's tree and kills all of it, so cases running side
// by side never touch each other's processes. Requirement::company says what
// may run beside a case: a case that measures time or CPU never shares the
// cores with load.
class CasePool {
 public:
  // `argv`: this run's own command line; `budget`: how long a case process
  // may take before it is killed (already scaled).
  CasePool(std::vector<std::string> argv, int jobs, Millis budget)
      : argv_(std::move(argv)), jobs_(jobs), budget_(budget) {}

  // Calls `started(i)` when jobs[i] starts and `done(i, result)` when it
  // ends, in the order they end; returns when every job has.
  void Run(const std::vector<CaseJob>& jobs, const std::function<void(size_t)>& started,
           const std::function<void(size_t, CaseResult)>& done);

 private:
  struct Running {
    size_t index;
    pid_t pid;
    int out;
    std::string text;
    Clock::time_point deadline;
  };
  bool Start(size_t index, const CaseJob& job, Running* running);
  bool MayJoin(const std::vector<CaseJob>& jobs, size_t index) const;
  // Waits for one running case to end and hands its result to `done`.
  void FinishOne(const std::vector<CaseJob>& jobs, const std::function<void(size_t, CaseResult)>& done);
  CaseResult Collect(Running& running, const CaseJob& job);

  std::vector<std::string> argv_;
  int jobs_;
  Millis budget_;
  std::vector<Running> running_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_CASE_POOL_H_
