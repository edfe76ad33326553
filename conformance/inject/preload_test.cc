// The preload library itself, driven through the probe program: each fault
// kind, skip/count/every, role targeting, disarming, and that an unarmed
// library changes nothing.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>

#include "conformance/inject/fault_plan.h"
#include "conformance/testing/run_process.h"

namespace forkcheck {
namespace {

std::string Runfile(const std::string& relative) {
  return std::string(std::getenv("TEST_SRCDIR")) + "/forkcheck/" + relative;
}

class PreloadTest : public testing::Test {
 protected:
  void SetUp() override { NewPlan(); }
  // The first process to load the library is the parent for the block's
  // whole life, so a role test starts each probe with a block of its own.
  void NewPlan() {
    std::string pattern = std::string(std::getenv("TEST_TMPDIR")) + "/preload.XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    std::string error;
    plan_ = FaultPlan::Create(pattern, &error);
    ASSERT_TRUE(plan_) << error;
  }
  // The probe's output; env(1) execs it in place, so it keeps the pid that
  // first loaded the library and counts as the parent.
  std::string Probe(const std::vector<std::string>& args, bool preload = true) {
    std::vector<std::string> argv = {"/usr/bin/env"};
    if (preload)
      for (const std::string& variable : plan_->Environment()) argv.push_back(variable);
    argv.push_back(Runfile("conformance/inject/probe"));
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessResult result = RunProcess(argv, Scaled(Millis(10000)));
    EXPECT_EQ(result.exit_code(), 0) << result.err;
    return result.out;
  }
  void Arm(Family family, int error, long count, Role role = Role::kAny) {
    ASSERT_TRUE(plan_->Arm(family, {error, 0, count, 1, 0, role}));
  }
  std::unique_ptr<FaultPlan> plan_;
};

std::string Lines(const std::string& call, const std::vector<std::string>& results) {
  std::string text;
  for (const std::string& result : results) text += call + " " + result + "\n";
  return text;
}

TEST_F(PreloadTest, UnarmedChangesNothing) {
  for (const char* call : {"fork", "_Fork", "accept", "accept4", "read", "recv", "recvfrom", "write", "send", "sendto",
                           "pipe-read", "pipe-write", "waitpid", "wait", "wait3", "wait4"}) {
    std::string plain = Probe({call, "3"}, false);
    EXPECT_EQ(Probe({call, "3"}), plain) << call;
    EXPECT_NE(plain.find(" "), std::string::npos);
  }
  EXPECT_EQ(plan_->Calls(Family::kFork), 3 + 3 + 4 * 3);  // the wait probes fork too
  EXPECT_EQ(plan_->Calls(Family::kRead), 9);  // pipes are not counted
  EXPECT_EQ(plan_->Injected(Family::kRead) + plan_->Injected(Family::kFork), 0);
}

TEST_F(PreloadTest, ForkFailsWithoutForking) {
  Arm(Family::kFork, EAGAIN, 2);
  EXPECT_EQ(Probe({"fork", "3"}), Lines("fork", {"EAGAIN", "EAGAIN", "ok"}));
  Arm(Family::kFork, ENOMEM, 1);
  EXPECT_EQ(Probe({"fork", "2"}), Lines("fork", {"ENOMEM", "ok"}));
  EXPECT_EQ(plan_->Injected(Family::kFork), 3);
}

// glibc's fork() calls _Fork() inside libc: each is seen once, as a fork.
TEST_F(PreloadTest, UnderscoreForkIsAForkToo) {
  Arm(Family::kFork, EAGAIN, 1);
  EXPECT_EQ(Probe({"_Fork", "2"}), Lines("_Fork", {"EAGAIN", "ok"}));
  EXPECT_EQ(Probe({"fork", "2"}), Lines("fork", {"ok", "ok"}));
  EXPECT_EQ(plan_->Calls(Family::kFork), 4);
  EXPECT_EQ(plan_->Injected(Family::kFork), 1);
}

TEST_F(PreloadTest, AcceptAndAccept4Errors) {
  for (int error : {EINTR, ECONNABORTED, EMFILE})
    for (const char* call : {"accept", "accept4"}) {
      Arm(Family::kAccept, error, 1);
      // EINTR needs an accept() that would block (an empty queue).
      std::vector<std::string> args = {call, "2"};
      if (error == EINTR) args.insert(args.begin(), "--block");
      EXPECT_EQ(Probe(args), Lines(call, {ErrnoName(error), "ok"})) << call << " " << ErrnoName(error);
    }
}

TEST_F(PreloadTest, SocketReadsAndWritesGetEintrWhenTheyWouldBlock) {
  for (const char* call : {"read", "recv", "recvfrom"}) {
    Arm(Family::kRead, EINTR, 1);
    EXPECT_EQ(Probe({"--block", call, "2"}), Lines(call, {"EINTR", "10"}));
  }
  for (const char* call : {"write", "send", "sendto"}) {
    Arm(Family::kWrite, EINTR, 1);
    EXPECT_EQ(Probe({"--block", call, "2"}), Lines(call, {"EINTR", "10"}));
  }
}

// SPEC.md, "What the kit injects": EINTR only where a real signal could
// cause it, the spared calls counted by reason.
TEST_F(PreloadTest, EintrOnlyWhereTheKernelCouldReturnIt) {
  Arm(Family::kRead, EINTR, -1);
  EXPECT_EQ(Probe({"read", "1"}), Lines("read", {"10"}));  // data ready: it cannot block
  EXPECT_EQ(Probe({"--block", "--handler=restart", "read", "1"}), Lines("read", {"10"}));
  EXPECT_EQ(Probe({"--block", "--handler=none", "read", "1"}), Lines("read", {"10"}));
  EXPECT_EQ(Probe({"--block", "--mask", "read", "1"}), Lines("read", {"10"}));
  FaultCounts read = plan_->Counts(Family::kRead);
  EXPECT_EQ(read.injected, 0);
  EXPECT_EQ(read.cannot_block, 1);
  EXPECT_EQ(read.restarting, 3);
  Arm(Family::kWaitpid, EINTR, -1);
  EXPECT_EQ(Probe({"--block", "--nohang", "waitpid", "1"}), Lines("waitpid", {"ok"}));
  EXPECT_EQ(Probe({"--block", "waitpid", "1"}), Lines("waitpid", {"EINTR"}));
  FaultCounts waits = plan_->Counts(Family::kWaitpid);
  EXPECT_EQ(waits.injected, 1);
  EXPECT_EQ(waits.cannot_block, 1);
  EXPECT_NE(plan_->Describe().find("could not block (WNOHANG, a child ready, or no child)"), std::string::npos)
      << plan_->Describe();
}

TEST_F(PreloadTest, ShortWritesNeedAHandlerOrANonBlockingSocket) {
  ASSERT_TRUE(plan_->Arm(Family::kWrite, {0, 0, -1, 1, 4, Role::kAny}));
  EXPECT_EQ(Probe({"--blocking", "--handler=none", "write", "1"}), Lines("write", {"10"}));
  EXPECT_EQ(Probe({"--blocking", "write", "1"}), Lines("write", {"4"}));
  EXPECT_EQ(Probe({"--handler=none", "write", "1"}), Lines("write", {"4"}));  // non-blocking
  EXPECT_EQ(plan_->Counts(Family::kWrite).uncuttable, 1);
  EXPECT_EQ(plan_->Shortened(Family::kWrite), 2);
}

TEST_F(PreloadTest, PipesAreLeftAlone) {
  Arm(Family::kRead, EINTR, -1);
  Arm(Family::kWrite, EINTR, -1);
  EXPECT_EQ(Probe({"pipe-read", "2"}), Lines("pipe-read", {"10", "10"}));
  EXPECT_EQ(Probe({"pipe-write", "2"}), Lines("pipe-write", {"10", "10"}));
  EXPECT_EQ(plan_->Injected(Family::kRead) + plan_->Injected(Family::kWrite), 0);
}

TEST_F(PreloadTest, ShortTransfersAreCapped) {
  ASSERT_TRUE(plan_->Arm(Family::kRead, {0, 0, -1, 1, 3, Role::kAny}));
  ASSERT_TRUE(plan_->Arm(Family::kWrite, {0, 0, -1, 1, 4, Role::kAny}));
  EXPECT_EQ(Probe({"recv", "2"}), Lines("recv", {"3", "3"}));
  EXPECT_EQ(Probe({"send", "2"}), Lines("send", {"4", "4"}));
  EXPECT_EQ(plan_->Shortened(Family::kRead), 2);
  EXPECT_EQ(plan_->Shortened(Family::kWrite), 2);
}

TEST_F(PreloadTest, BlockingWaitsGetEintr) {
  for (const char* call : {"waitpid", "wait", "wait3", "wait4"}) {
    Arm(Family::kWaitpid, EINTR, 1);
    EXPECT_EQ(Probe({"--block", call, "2"}), Lines(call, {"EINTR", "ok"})) << call;
  }
}

TEST_F(PreloadTest, SkipThenCountThenEvery) {
  ASSERT_TRUE(plan_->Arm(Family::kFork, {EAGAIN, 1, 2, 1, 0, Role::kAny}));
  EXPECT_EQ(Probe({"fork", "4"}), Lines("fork", {"ok", "EAGAIN", "EAGAIN", "ok"}));
  ASSERT_TRUE(plan_->Arm(Family::kRead, {EINTR, 0, -1, 2, 0, Role::kAny}));
  EXPECT_EQ(Probe({"--block", "read", "4"}), Lines("read", {"EINTR", "10", "EINTR", "10"}));
}

TEST_F(PreloadTest, RolesSeparateParentFromChildren) {
  Arm(Family::kRead, EINTR, -1, Role::kChildren);
  EXPECT_EQ(Probe({"--block", "read", "2"}), Lines("read", {"10", "10"}));
  EXPECT_EQ(plan_->Calls(Family::kRead, Role::kParent), 2);
  NewPlan();
  Arm(Family::kRead, EINTR, -1, Role::kChildren);
  EXPECT_EQ(Probe({"child", "--block", "read", "2"}), Lines("read", {"EINTR", "EINTR"}));
  EXPECT_EQ(plan_->Injected(Family::kRead, Role::kChildren), 2);
  EXPECT_EQ(plan_->Injected(Family::kRead, Role::kParent), 0);
}

TEST_F(PreloadTest, ParentRoleSparesChildren) {
  Arm(Family::kWrite, EINTR, -1, Role::kParent);
  EXPECT_EQ(Probe({"child", "--block", "write", "2"}), Lines("write", {"10", "10"}));
  NewPlan();
  Arm(Family::kWrite, EINTR, -1, Role::kParent);
  EXPECT_EQ(Probe({"--block", "write", "1"}), Lines("write", {"EINTR"}));
}

TEST_F(PreloadTest, DisarmLetsCallsThrough) {
  Arm(Family::kFork, EAGAIN, -1);
  EXPECT_EQ(Probe({"fork", "2"}), Lines("fork", {"EAGAIN", "EAGAIN"}));
  plan_->Disarm(Family::kFork);
  EXPECT_EQ(Probe({"fork", "2"}), Lines("fork", {"ok", "ok"}));
  EXPECT_EQ(plan_->Describe(), "preload: fork EAGAIN x2 [any process]");
}

}  // namespace
}  // namespace forkcheck
