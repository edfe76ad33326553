// Small pure pieces: backoff, accept errno policy, hook parsing, ring queue,
// EINTR helper, reap line format.
#include <cerrno>
#include <string>

#include <gtest/gtest.h>

#include "src/accept_errors.h"
#include "src/backoff.h"
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

}  // namespace
}  // namespace forkcheck
