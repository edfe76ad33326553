// Small pure pieces: backoff, crash-loop guard, accept errno policy, hook
// parsing, ring queue, EINTR helper, reap line format.
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "src/accept_errors.h"
#include "src/backoff.h"
#include "src/crash_guard.h"
#include "src/eintr.h"
#include "src/ring_queue.h"
#include "src/status_report.h"
#include "src/test_hooks.h"

namespace forkcheck {
namespace {

TEST(BackoffTest, DoublesAndIsBounded) {
  Backoff b(10, 200);
  EXPECT_FALSE(b.Active(0));
  EXPECT_EQ(b.Fail(0), 10);
  EXPECT_TRUE(b.Active(9));
  EXPECT_FALSE(b.Active(10));
  EXPECT_EQ(b.Remaining(4), 6);
  EXPECT_EQ(b.Fail(100), 20);
  EXPECT_EQ(b.Fail(100), 40);
  EXPECT_EQ(b.Fail(100), 80);
  EXPECT_EQ(b.Fail(100), 160);
  EXPECT_EQ(b.Fail(100), 200);
  EXPECT_EQ(b.Fail(100), 200);
  b.Reset();
  EXPECT_FALSE(b.Active(100));
  EXPECT_EQ(b.Fail(100), 10);
}

TEST(CrashGuardTest, EarlyDeathsDoubleTheDelayUpToTheCap) {
  CrashGuard g;
  int64_t now = 1000;
  std::vector<int> delays;
  for (int i = 0; i < 8; ++i) {
    const int delay = g.OnDeath(now, now - 5, 0, false);
    EXPECT_TRUE(g.Active(now));
    EXPECT_EQ(g.Remaining(now), delay);
    delays.push_back(delay);
    now += delay;
    EXPECT_FALSE(g.Active(now));
  }
  EXPECT_EQ(delays, (std::vector<int>{100, 200, 400, 800, 1600, 3200, 5000, 5000}));
}

TEST(CrashGuardTest, ServedOrLongLivedWorkersAreNoEarlyDeath) {
  CrashGuard g;
  EXPECT_EQ(g.OnDeath(10000, 9999, 1, false), 0);  // accepted a connection
  EXPECT_EQ(g.OnDeath(10000, 9000, 0, false), 0);  // lived kEarlyMs
  EXPECT_FALSE(g.Active(10000));
  EXPECT_EQ(g.OnDeath(10000, 9001, 0, false), 100);
}

TEST(CrashGuardTest, AHealthyNewWorkerEndsTheStreak) {
  CrashGuard g;
  EXPECT_EQ(g.OnDeath(1000, 999, 0, false), 100);
  EXPECT_EQ(g.OnDeath(1100, 1099, 0, false), 200);
  // A worker started before the last early death proves nothing.
  EXPECT_EQ(g.OnDeath(5000, 900, 7, false), 0);
  EXPECT_EQ(g.OnDeath(5001, 5000, 0, false), 400);
  // One started after it that lived long enough does.
  EXPECT_EQ(g.OnDeath(7000, 5100, 0, false), 0);
  EXPECT_EQ(g.OnDeath(7001, 7000, 0, false), 100);
  EXPECT_EQ(g.OnDeath(7101, 7100, 0, false), 200);
  // So does a live one the caller found healthy.
  EXPECT_EQ(g.OnDeath(9000, 8999, 0, true), 100);
  EXPECT_EQ(g.last_early_ms(), 9000);
}

TEST(AcceptErrorsTest, Policy) {
  for (int e : {EINTR, EAGAIN, ECONNABORTED, EPROTO, ENETDOWN, EHOSTUNREACH,
                ENOPROTOOPT, EHOSTDOWN, ENONET, ENETUNREACH, EPERM}) {
    EXPECT_EQ(ClassifyAcceptError(e), AcceptAction::kRetry) << e;
  }
  for (int e : {EMFILE, ENFILE, ENOBUFS, ENOMEM}) {
    EXPECT_EQ(ClassifyAcceptError(e), AcceptAction::kBackOff) << e;
  }
  for (int e : {EBADF, EINVAL, ENOTSOCK}) {
    EXPECT_EQ(ClassifyAcceptError(e), AcceptAction::kFatal) << e;
  }
}

Hook Parse(const std::string& s) { return ParseHook(s.data(), s.size()); }

TEST(TestHooksTest, Recognized) {
  Hook h = Parse("!exit 7\nrest");
  EXPECT_EQ(h.kind, Hook::Kind::kExit);
  EXPECT_EQ(h.arg, 7);
  EXPECT_EQ(h.length, 8u);
  EXPECT_EQ(Parse("!raise 11\n").kind, Hook::Kind::kRaise);
  EXPECT_EQ(Parse("!sleep 250\r\n").arg, 250);
  EXPECT_EQ(Parse("!sleep 250\r\n").length, 12u);
}

TEST(TestHooksTest, RejectedAsOrdinaryData) {
  for (const char* s : {"!exit 7", "!exit\n", "!exit x\n", "!exit 256\n",
                        "!exit -1\n", "!raise 65\n", " !exit 1\n", "!exits 1\n",
                        "!exit 1 2\n", "hello\n", ""}) {
    EXPECT_EQ(Parse(s).kind, Hook::Kind::kNone) << s;
  }
}

TEST(RingQueueTest, FifoAndFull) {
  RingQueue<int, 4> q;
  EXPECT_TRUE(q.Empty());
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(q.Push(i));
  EXPECT_TRUE(q.Full());
  EXPECT_FALSE(q.Push(99));
  int v;
  for (int round = 0; round < 10; ++round) {
    ASSERT_TRUE(q.Pop(&v));
    EXPECT_EQ(v, round);
    EXPECT_TRUE(q.Push(round + 4));
  }
  int count = 0;
  while (q.Pop(&v)) ++count;
  EXPECT_EQ(count, 4);
  EXPECT_FALSE(q.Pop(&v));
}

TEST(EintrTest, RetriesOnlyEintr) {
  int calls = 0;
  auto flaky = [&calls](int fail_times) {
    if (calls++ < fail_times) {
      errno = EINTR;
      return -1;
    }
    return 42;
  };
  EXPECT_EQ(RetryAfterSignal(-1, flaky, 3), 42);
  EXPECT_EQ(calls, 4);
  auto broken = [] {
    errno = EBADF;
    return -1;
  };
  EXPECT_EQ(RetryAfterSignal(-1, broken), -1);
  EXPECT_EQ(errno, EBADF);
}

TEST(StatusReportTest, ReapLineFormat) {
  EXPECT_EQ(ReapLine(12, WaitStatus(3 << 8)), "child 12 exited with status 3");
  EXPECT_EQ(ReapLine(13, WaitStatus(9)), "child 13 killed by signal 9");
  EXPECT_EQ(ReapLine(14, WaitStatus(11 | 0x80)),
            "child 14 killed by signal 11 (core dumped)");
}

TEST(StatusReportTest, WorkerErrorLineNeedsNoAllocation) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const int saved = dup(STDERR_FILENO);
  dup2(fds[1], STDERR_FILENO);
  LogWorkerError("accept", EMFILE);
  dup2(saved, STDERR_FILENO);
  close(saved);
  close(fds[1]);
  char buf[256];
  ssize_t n = read(fds[0], buf, sizeof buf);
  close(fds[0]);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, static_cast<size_t>(n)),
            "reference_server: worker " + std::to_string(getpid()) + ": accept: Too many open files\n");
}

}  // namespace
}  // namespace forkcheck
