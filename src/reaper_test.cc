// Both reaping strategies, in-process in a forked helper: many children exit
// at once (SIGCHLDs coalesce); every one is reaped exactly once.
#include "src/reaper.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "src/clock.h"
#include "src/signals.h"
#include "src/testing/test_env.h"
#include "src/wakeup.h"

namespace forkcheck {
namespace {

enum HelperExit {
  kOk = 0,
  kSetupFailed = 10,
  kForkFailed,
  kStranger,
  kTwice,
  kBadStatus,
  kMissing,
  kLeftover,
};

std::set<pid_t> ForkBlockedChildren(int n, const int gate[2]) {
  std::set<pid_t> pids;
  for (int i = 0; i < n; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      close(gate[1]);
      char c;
      while (read(gate[0], &c, 1) < 0) {
      }
      _exit(pid_t{getpid()} % 256);
    }
    if (pid < 0) _exit(kForkFailed);
    pids.insert(pid);
  }
  return pids;
}

// Returns one of HelperExit: runs in a forked helper process.
int ReapScenario(ReaperKind kind, int n) {
  sigset_t chld = MakeSigset({SIGCHLD});
  sigprocmask(SIG_BLOCK, &chld, nullptr);
  if (!InitWakeup()) return kSetupFailed;
  std::unique_ptr<Reaper> reaper = MakeReaper(kind);
  int gate[2];
  if (!reaper || pipe(gate) < 0) return kSetupFailed;
  std::set<pid_t> pids = ForkBlockedChildren(n, gate);
  close(gate[1]);  // every child sees EOF and exits at once

  sigset_t wait_mask;
  sigprocmask(SIG_BLOCK, nullptr, &wait_mask);
  reaper->UnblockForWait(&wait_mask);
  std::set<pid_t> seen;
  ReapedList reaped;
  const int64_t deadline = MonotonicMs() + testing::ScaledMs(20000);
  while (seen.size() < pids.size() && MonotonicMs() < deadline) {
    pollfd fds[2] = {{WakeupReadFd(), POLLIN, 0}, {reaper->fd(), POLLIN, 0}};
    timespec ts = {0, 100 * 1000000};
    ppoll(fds, reaper->fd() >= 0 ? 2 : 1, &ts, &wait_mask);
    DrainWakeup();
    reaped.clear();
    reaper->Collect(&reaped);
    for (const Reaped& r : reaped) {
      if (pids.count(r.pid) == 0) return kStranger;
      if (!seen.insert(r.pid).second) return kTwice;
      if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != r.pid % 256) {
        return kBadStatus;
      }
    }
  }
  if (seen.size() != pids.size()) return kMissing;
  if (waitpid(-1, nullptr, WNOHANG) != -1 || errno != ECHILD) return kLeftover;
  return kOk;
}

int RunInHelper(ReaperKind kind, int n) {
  pid_t helper = fork();
  if (helper == 0) _exit(ReapScenario(kind, n));
  int status = 0;
  waitpid(helper, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

TEST(ReaperTest, HandlerReaps200SimultaneousExits) {
  EXPECT_EQ(RunInHelper(ReaperKind::kHandler, 200), kOk);
}

TEST(ReaperTest, SignalfdReaps200SimultaneousExits) {
  EXPECT_EQ(RunInHelper(ReaperKind::kSignalfd, 200), kOk);
}

// More children than the handler's ring holds: the overflow path reaps the
// rest from the main loop.
TEST(ReaperTest, HandlerSurvivesRingOverflow) {
  EXPECT_EQ(RunInHelper(ReaperKind::kHandler, 1100), kOk);
}

}  // namespace
}  // namespace forkcheck
