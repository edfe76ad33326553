#include "conformance/inject/signal_interrupter.h"

#include <dirent.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "conformance/harness/deadline.h"
#include "conformance/harness/procfs.h"

namespace forkcheck {
namespace {

std::vector<long> SyscallsOf(Family family) {
  switch (family) {
    case Family::kAccept: return {SYS_accept, SYS_accept4};
    case Family::kRead: return {SYS_read, SYS_recvfrom};
    case Family::kWrite: return {SYS_write, SYS_sendto};
    case Family::kWaitpid: return {SYS_wait4, SYS_waitid};
    case Family::kFork: break;
  }
  return {};
}

}  // namespace

SignalInterrupter::SignalInterrupter(pid_t server, Family family, const FaultRule& rule)
    : server_(server), thread_([this, family, rule] { Run(family, rule); }) {}

SignalInterrupter::~SignalInterrupter() {
  stop_ = true;
  thread_.join();
}

pid_t SignalInterrupter::SleepingInCall(Family family) const {
  std::vector<long> wanted = SyscallsOf(family);
  std::string tasks = "/proc/" + std::to_string(server_) + "/task";
  DIR* dir = opendir(tasks.c_str());
  if (dir == nullptr) return 0;
  pid_t sleeping = 0;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    long call = SleepingSyscall(tasks + "/" + entry->d_name);
    for (long number : wanted)
      if (call == number) sleeping = std::atoi(entry->d_name);
  }
  closedir(dir);
  return sleeping;
}

// One signal per sleeping call, to the thread that sleeps in it (a
// process-directed signal may go to any thread that does not block it):
// after sending, it leaves the call 5 ms to end or begin anew.
void SignalInterrupter::Run(Family family, FaultRule rule) {
  long skip = rule.skip;
  while (!stop_ && (rule.count < 0 || sent_ < rule.count)) {
    pid_t thread = SleepingInCall(family);
    if (thread == 0) {
      // The sampling period of /proc/PID/task/*/syscall.
      std::this_thread::sleep_for(Millis(1));
      continue;
    }
    ++seen_;
    SignalMasks masks = ReadSignalMasks(thread);
    if (skip > 0) {
      --skip;
    } else if (!(masks.caught & SignalBit(SIGCHLD)) || (masks.blocked & SignalBit(SIGCHLD))) {
      ++uncaught_;
    } else if (syscall(SYS_tgkill, server_, thread, SIGCHLD) == 0) {
      ++sent_;
    }
    std::this_thread::sleep_for(Millis(5));
  }
}

FaultCounts SignalInterrupter::Counts() const {
  FaultCounts counts;
  counts.candidates = seen_;
  counts.injected = sent_;
  counts.restarting = uncaught_;
  counts.calls = seen_;
  counts.every_call = false;
  return counts;
}

}  // namespace forkcheck
