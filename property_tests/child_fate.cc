#include "property_tests/child_fate.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace forkcheck {
namespace {

std::string CoreDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir ? dir : "/tmp";
}

// Runs in the child only: async-signal-safe calls from here on.
// `hold` is read after a stop: the child must not exit before the parent saw
// it continued, or waitpid(WCONTINUED) would report the exit instead.
[[noreturn]] void BecomeFate(const ChildFate& fate, const char* core_dir, int hold) {
  if (fate.kind == ChildFate::Kind::kExit) _exit(fate.value);
  rlimit limit{fate.core_limit ? RLIM_INFINITY : 0, fate.core_limit ? RLIM_INFINITY : 0};
  setrlimit(RLIMIT_CORE, &limit);
  if (chdir(core_dir) != 0) _exit(126);
  // A group of its own: a stop signal to an orphaned group would be dropped.
  if (fate.kind == ChildFate::Kind::kStop) setpgid(0, 0);
  signal(fate.value, SIG_DFL);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, fate.value);
  sigprocmask(SIG_UNBLOCK, &only, nullptr);
  raise(fate.value);
  if (fate.kind != ChildFate::Kind::kStop) _exit(127);
  char byte;
  while (read(hold, &byte, 1) < 0 && errno == EINTR) {
  }
  _exit(0);
}

int WaitFor(pid_t pid, int flags) {
  int status = -1;
  while (waitpid(pid, &status, flags) < 0 && errno == EINTR) {
  }
  return status;
}

void RemoveCores(pid_t pid) {
  std::remove((CoreDir() + "/core").c_str());
  std::remove((CoreDir() + "/core." + std::to_string(pid)).c_str());
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const ChildFate& fate) {
  switch (fate.kind) {
    case ChildFate::Kind::kExit:
      return os << "_exit(" << fate.value << ")";
    case ChildFate::Kind::kSignal:
      return os << "raise(" << fate.value << ") with RLIMIT_CORE "
                << (fate.core_limit ? "unlimited" : "0");
    case ChildFate::Kind::kStop:
      return os << "raise(" << fate.value << ") then SIGCONT";
  }
  return os;
}

const std::vector<int>& TerminatingSignals() {
  static const std::vector<int> signals = [] {
    std::vector<int> all;
    for (int sig = 1; sig < 32; ++sig) {
      bool ignored = sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
      bool stops = sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
      if (!ignored && !stops) all.push_back(sig);
    }
    // 32 and 33 belong to glibc's threads implementation.
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; ++sig) all.push_back(sig);
    return all;
  }();
  return signals;
}

const std::vector<int>& StoppingSignals() {
  static const std::vector<int> signals = {SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU};
  return signals;
}

bool DumpsCore(int signo) {
  for (int sig : {SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGXCPU,
                  SIGXFSZ, SIGSYS})
    if (sig == signo) return true;
  return false;
}

rc::Gen<ChildFate> GenChildFate() {
  using Kind = ChildFate::Kind;
  return rc::gen::oneOf(
      rc::gen::map(rc::gen::inRange(0, 256), [](int code) { return ChildFate{Kind::kExit, code, false}; }),
      rc::gen::map(rc::gen::pair(rc::gen::elementOf(TerminatingSignals()), rc::gen::arbitrary<bool>()),
                   [](std::pair<int, bool> sig) { return ChildFate{Kind::kSignal, sig.first, sig.second}; }),
      rc::gen::map(rc::gen::elementOf(StoppingSignals()),
                   [](int sig) { return ChildFate{Kind::kStop, sig, false}; }));
}

bool CoresWork() {
  static const bool works = [] {
    std::vector<int> statuses = LiveStatuses({ChildFate::Kind::kSignal, SIGABRT, true});
    return !statuses.empty() && WIFSIGNALED(statuses[0]) && WCOREDUMP(statuses[0]);
  }();
  return works;
}

std::vector<int> LiveStatuses(const ChildFate& fate) {
  std::string core_dir = CoreDir();
  int hold[2];
  if (pipe(hold) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    close(hold[1]);
    BecomeFate(fate, core_dir.c_str(), hold[0]);
  }
  close(hold[0]);
  if (pid < 0) {
    close(hold[1]);
    return {};
  }
  std::vector<int> statuses;
  if (fate.kind == ChildFate::Kind::kStop) {
    statuses.push_back(WaitFor(pid, WUNTRACED));
    kill(pid, SIGCONT);
    statuses.push_back(WaitFor(pid, WCONTINUED));
  }
  close(hold[1]);
  statuses.push_back(WaitFor(pid, 0));
  RemoveCores(pid);
  return statuses;
}

std::vector<Decoded> ExpectedDecodings(const ChildFate& fate) {
  switch (fate.kind) {
    case ChildFate::Kind::kExit:
      return {Decoded::Exited(fate.value)};
    case ChildFate::Kind::kSignal:
      return {Decoded::Killed(fate.value, fate.core_limit && DumpsCore(fate.value) && CoresWork())};
    case ChildFate::Kind::kStop:
      return {Decoded::Stopped(fate.value), Decoded::Continued(), Decoded::Exited(0)};
  }
  return {};
}

}  // namespace forkcheck
