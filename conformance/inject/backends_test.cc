// The backends end to end, against the mutant server: an unarmed preload
// changes nothing; a static server is reached through strace; the cgroup
// pids controller makes fork() fail for real. Each test that needs a
// capability this machine lacks is skipped with the reason.
#include <gtest/gtest.h>

#include "conformance/harness/own_children.h"
#include "conformance/harness/procfs.h"
#include "conformance/inject/fault_plan.h"
#include "conformance/inject/pids_cgroup.h"
#include "conformance/inject/strace_backend.h"
#include "scenarios/test_support.h"

namespace forkcheck {
namespace {

std::string TempDir() {
  std::string pattern = std::string(std::getenv("TEST_TMPDIR")) + "/backends.XXXXXX";
  return mkdtemp(pattern.data()) ? pattern : "";
}

std::unique_ptr<Sut> StartMutant(const std::string& binary, const std::string& bug,
                                 const std::vector<std::string>& env = {}) {
  SutSpec spec;
  spec.argv = {RunfilePath("scenarios/testdata/" + binary), "--port={port}", "--bug=" + bug};
  spec.extra_env = env;
  spec.workdir = TempDir();
  std::string error;
  auto sut = Sut::Start(spec, &error);
  EXPECT_TRUE(sut) << error;
  return sut;
}

std::string Echo(Sut& sut, const std::string& payload) {
  auto client = sut.Connect();
  if (!client) return "(no connection)";
  return EchoExchange(*client, payload, 4096, 1, Scaled(Millis(10000))).received;
}

TEST(PreloadBackend, UnarmedServerEchoesIdentically) {
  std::string payload(300000, '\0');
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i * 7919 % 251);
  std::string error;
  auto plan = FaultPlan::Create(TempDir(), &error);
  ASSERT_TRUE(plan) << error;
  auto plain = StartMutant("mutant_server", "none");
  auto preloaded = StartMutant("mutant_server", "none", plan->Environment());
  ASSERT_TRUE(plain && preloaded);
  EXPECT_EQ(Echo(*plain, payload), payload);
  EXPECT_EQ(Echo(*preloaded, payload), payload);
  EXPECT_GT(plan->Calls(Family::kAccept, Role::kParent), 0) << "the library was not loaded";
  EXPECT_GT(plan->Calls(Family::kRead, Role::kChildren), 0);
  EXPECT_EQ(plan->Injected(Family::kRead) + plan->Injected(Family::kAccept), 0);
}

void SkipWithoutStrace() {
  std::string why;
  if (!MakeStraceBackend(TempDir(), &why)) GTEST_SKIP() << why;
}

CaseConfig StaticConfig(const std::string& bug) {
  CaseConfig config = MutantConfig(bug);
  config.spec.argv[0] = RunfilePath("scenarios/testdata/mutant_server_static");
  config.seed = 11;
  return config;
}

TEST(StraceBackend, ReachesStaticServerAndPassesItWithoutBug) {
  SkipWithoutStrace();
  if (testing::Test::IsSkipped()) return;
  for (const char* id : {"INTR-2", "FORK-1", "WAIT-1"}) {
    CaseResult result = RunScenario(id, StaticConfig("none"));
    EXPECT_EQ(result.outcome.verdict, Verdict::kPass) << id << ": " << result.outcome.evidence;
    EXPECT_NE(result.outcome.evidence.find("strace:"), std::string::npos) << result.outcome.evidence;
  }
  EXPECT_TRUE(DescendantsOf(getpid()).empty()) << "processes left behind";
}

TEST(StraceBackend, FlagsStaticServerBugs) {
  SkipWithoutStrace();
  if (testing::Test::IsSkipped()) return;
  for (auto [id, bug] : {std::pair{"INTR-2", "eintr-fatal"}, std::pair{"FORK-1", "exit-on-fork-fail"},
                         std::pair{"WAIT-1", "wait-eintr-gives-up"}}) {
    CaseResult result = RunScenario(id, StaticConfig(bug));
    EXPECT_EQ(result.outcome.verdict, Verdict::kFail) << id << " on " << bug << ": " << result.outcome.evidence;
  }
  EXPECT_TRUE(DescendantsOf(getpid()).empty()) << "processes left behind";
}

// A refused client sees its connection end; true when it did within 1 s.
bool Refused(Sut& sut) {
  auto client = sut.Connect();
  if (!client) return true;
  std::string ignored;
  return client->ReadToEnd(&ignored, Scaled(Millis(1000))) != TcpClient::End::kTimeout;
}

TEST(PidsCgroup, RealForkFailure) {
  auto sut = StartMutant("mutant_server", "none");
  ASSERT_TRUE(sut);
  std::string why;
  auto group = PidsCgroup::Create(sut->pid(), &why);
  if (!group) GTEST_SKIP() << why;
  ASSERT_TRUE(group->Freeze(&why)) << why;
  EXPECT_TRUE(Refused(*sut));
  EXPECT_NE(sut->OutputTail(5).find("fork"), std::string::npos) << sut->OutputTail(5);
  ASSERT_TRUE(group->Thaw(&why)) << why;
  EXPECT_EQ(Echo(*sut, "again\n"), "again\n");
}

TEST(PidsCgroup, FlagsExitOnForkFail) {
  auto sut = StartMutant("mutant_server", "exit-on-fork-fail");
  ASSERT_TRUE(sut);
  std::string why;
  auto group = PidsCgroup::Create(sut->pid(), &why);
  if (!group) GTEST_SKIP() << why;
  ASSERT_TRUE(group->Freeze(&why)) << why;
  Refused(*sut);
  EXPECT_TRUE(PollUntil([&] { return !sut->Alive(); }, Scaled(Millis(2000))));
}

}  // namespace
}  // namespace forkcheck

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  forkcheck::BecomeSubreaper();
  return RUN_ALL_TESTS();
}
