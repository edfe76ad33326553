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
  for (const char* call : {"fork", "accept", "accept4", "read", "recv", "recvfrom", "write", "send", "sendto",
                           "pipe-read", "pipe-write", "waitpid", "wait", "wait3", "wait4"}) {
    std::string plain = Probe({call, "3"}, false);
    EXPECT_EQ(Probe({call, "3"}), plain) << call;
    EXPECT_NE(plain.find(" "), std::string::npos);
  }
  EXPECT_EQ(plan_->Calls(Family::kFork), 3 + 4 * 3);  // the wait probes fork too
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

TEST_F(PreloadTest, AcceptAndAccept4Errors) {
  for (int error : {EINTR, ECONNABORTED, EMFILE})
    for (const char* call : {"accept", "accept4"}) {
      Arm(Family::kAccept, error, 1);
      EXPECT_EQ(Probe({call, "2"}), Lines(call, {ErrnoName(error), "ok"})) << call << " " << ErrnoName(error);
    }
}

TEST_F(PreloadTest, SocketReadsAndWritesGetEintr) {
  for (const char* call : {"read", "recv", "recvfrom"}) {
    Arm(Family::kRead, EINTR, 1);
    EXPECT_EQ(Probe({call, "2"}), Lines(call, {"EINTR", "10"}));
  }
  for (const char* call : {"write", "send", "sendto"}) {
    Arm(Family::kWrite, EINTR, 1);
    EXPECT_EQ(Probe({call, "2"}), Lines(call, {"EINTR", "10"}));
  }
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

TEST_F(PreloadTest, WaitFamilyGetsEintr) {
  for (const char* call : {"waitpid", "wait", "wait3", "wait4"}) {
    Arm(Family::kWaitpid, EINTR, 1);
    EXPECT_EQ(Probe({call, "2"}), Lines(call, {"EINTR", "ok"})) << call;
  }
}

TEST_F(PreloadTest, SkipThenCountThenEvery) {
  ASSERT_TRUE(plan_->Arm(Family::kFork, {EAGAIN, 1, 2, 1, 0, Role::kAny}));
  EXPECT_EQ(Probe({"fork", "4"}), Lines("fork", {"ok", "EAGAIN", "EAGAIN", "ok"}));
  ASSERT_TRUE(plan_->Arm(Family::kRead, {EINTR, 0, -1, 2, 0, Role::kAny}));
  EXPECT_EQ(Probe({"read", "4"}), Lines("read", {"EINTR", "10", "EINTR", "10"}));
}

TEST_F(PreloadTest, RolesSeparateParentFromChildren) {
  Arm(Family::kRead, EINTR, -1, Role::kChildren);
  EXPECT_EQ(Probe({"read", "2"}), Lines("read", {"10", "10"}));
  EXPECT_EQ(plan_->Calls(Family::kRead, Role::kParent), 2);
  NewPlan();
  Arm(Family::kRead, EINTR, -1, Role::kChildren);
  EXPECT_EQ(Probe({"child", "read", "2"}), Lines("read", {"EINTR", "EINTR"}));
  EXPECT_EQ(plan_->Injected(Family::kRead, Role::kChildren), 2);
  EXPECT_EQ(plan_->Injected(Family::kRead, Role::kParent), 0);
}

TEST_F(PreloadTest, ParentRoleSparesChildren) {
  Arm(Family::kWrite, EINTR, -1, Role::kParent);
  EXPECT_EQ(Probe({"child", "write", "2"}), Lines("write", {"10", "10"}));
  NewPlan();
  Arm(Family::kWrite, EINTR, -1, Role::kParent);
  EXPECT_EQ(Probe({"write", "1"}), Lines("write", {"EINTR"}));
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
