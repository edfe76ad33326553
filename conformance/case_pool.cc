#include "conformance/case_pool.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "conformance/case_wire.h"
#include "conformance/harness/describe_status.h"
#include "conformance/harness/own_children.h"
#include "conformance/l10n/tr.h"

namespace forkcheck {
namespace {

// This run's command line, told to run one case: the internal flags go
// before the server command's "--".
std::vector<std::string> CaseArgv(const std::vector<std::string>& argv, const CaseJob& job) {
  std::vector<std::string> args = argv;
  auto dashes = std::find(args.begin() + 1, args.end(), "--");
  args.insert(dashes, {std::string("--internal-case=") + job.scenario->requirement.id,
                       "--internal-seed=" + std::to_string(job.seed)});
  return args;
}

Company CompanyOf(const CaseJob& job) { return job.scenario->requirement.company; }

// The cases that share the cores, then those that only wait, then those
// that run alone; within each, the long ones first. In the catalogue's
// order every alone case would wait for the cases beside it to end and
// leave a core idle, and a long case started late would end the run alone.
// Each case has a seed of its own and results are printed in the
// catalogue's order, so the order they run in changes no verdict.
std::vector<size_t> RunOrder(const std::vector<CaseJob>& jobs) {
  std::vector<size_t> order;
  for (Company company : {Company::kAny, Company::kWaiters, Company::kNone})
    for (bool long_running : {true, false})
      for (size_t i = 0; i < jobs.size(); ++i)
        if (CompanyOf(jobs[i]) == company && jobs[i].scenario->requirement.long_running == long_running)
          order.push_back(i);
  return order;
}

}  // namespace

// argv is built before fork(): the child only dups, unblocks and execs.
bool CasePool::Start(size_t index, const CaseJob& job, Running* running) {
  std::vector<std::string> args = CaseArgv(argv_, job);
  std::vector<char*> pointers;
  for (std::string& arg : args) pointers.push_back(arg.data());
  pointers.push_back(nullptr);
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return false;
  pid_t pid = fork();
  if (pid < 0) {
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    return false;
  }
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    dup2(pipe_fds[1], STDOUT_FILENO);
    execv("/proc/self/exe", pointers.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  *running = {index, pid, pipe_fds[0], "", Clock::now() + budget_};
  return true;
}

CaseResult CasePool::Collect(Running& running, const CaseJob& job) {
  close(running.out);
  std::optional<int> status = AwaitOwnChild(running.pid, Scaled(Millis(10000)));
  std::string error;
  std::optional<CaseResult> result = CaseResultFromJson(running.text, &error);
  if (result) return *result;
  CaseResult failed;
  failed.scenario = job.scenario;
  // TRANSLATORS: {0} is how the case process ended ("exited with status 1"); {1} why it gave no result.
  failed.outcome =
      Outcome::Fail(status ? Say("kit error: the case process {0}; {1}", DescribeWaitStatus(*status), error)
                           : Say("kit error: the case process did not end; {0}", error));
  return failed;
}

void CasePool::FinishOne(const std::vector<CaseJob>& jobs, const std::function<void(size_t, CaseResult)>& done) {
  for (;;) {
    std::vector<pollfd> fds;
    for (const Running& running : running_) fds.push_back({running.out, POLLIN, 0});
    poll(fds.data(), fds.size(), 100);
    for (size_t i = 0; i < running_.size(); ++i) {
      Running& running = running_[i];
      bool overdue = Clock::now() > running.deadline;
      if (overdue) kill(running.pid, SIGKILL);
      char buffer[65536];
      ssize_t n = fds[i].revents ? read(running.out, buffer, sizeof buffer) : -1;
      if (n > 0) running.text.append(buffer, static_cast<size_t>(n));
      if (n != 0 && !overdue) continue;
      if (Terminating()) AwaitTermination();
      Running ended = std::move(running);
      running_.erase(running_.begin() + static_cast<long>(i));
      done(ended.index, Collect(ended, jobs[ended.index]));
      return;
    }
  }
}

// A case joins only cases of its own company, and a kNone case none.
bool CasePool::MayJoin(const std::vector<CaseJob>& jobs, size_t index) const {
  if (running_.empty()) return true;
  Company company = CompanyOf(jobs[index]);
  if (company == Company::kNone || static_cast<int>(running_.size()) >= jobs_) return false;
  return std::all_of(running_.begin(), running_.end(),
                     [&](const Running& running) { return CompanyOf(jobs[running.index]) == company; });
}

void CasePool::Run(const std::vector<CaseJob>& jobs, const std::function<void(size_t)>& started,
                   const std::function<void(size_t, CaseResult)>& done) {
  for (size_t i : RunOrder(jobs)) {
    while (!MayJoin(jobs, i)) FinishOne(jobs, done);
    Running running;
    if (!Start(i, jobs[i], &running)) {
      CaseResult failed;
      failed.scenario = jobs[i].scenario;
      failed.outcome = Outcome::Fail(Say("kit error: cannot start a case process: {0}", std::strerror(errno)));
      done(i, failed);
      continue;
    }
    started(i);
    running_.push_back(std::move(running));
  }
  while (!running_.empty()) FinishOne(jobs, done);
}

}  // namespace forkcheck
