// Prefork servers (--model=prefork): the reference server's prefork mode
// passes every check that applies to it, with both reapers; PREF-1..4 fail
// on the mutant server's prefork mode with exactly their bug.
#include <gtest/gtest.h>

#include <string>

#include "conformance/harness/procfs.h"
#include "scenarios/model.h"
#include "scenarios/test_support.h"

namespace forkcheck {
namespace {

constexpr int kSessionsPerWorker = 5;

void DeclarePrefork(CaseConfig* config) {
  config->declared.model = "prefork";
  config->declared.profiles.insert("prefork");
  config->declared.max_children = 0;
  config->declared.max_sessions_per_worker = kSessionsPerWorker;
}

CaseConfig ReferencePrefork(const std::string& reaper) {
  CaseConfig config = ReferenceConfig(reaper);
  if (config.spec.argv.empty()) return config;
  // The pool size is the cap: the reference rejects --max-children here.
  config.spec.argv = {config.spec.argv[0], "--port={port}", "--reaper=" + reaper, "--test-hooks",
                      "--idle-timeout=" + std::to_string(config.declared.idle_timeout_ms),
                      "--shutdown-grace=" + std::to_string(config.declared.shutdown_grace_ms), "--mode=prefork",
                      "--workers=4",
                      "--max-sessions-per-worker=" + std::to_string(kSessionsPerWorker)};
  DeclarePrefork(&config);
  return config;
}

CaseConfig MutantPrefork(const std::string& bug) {
  CaseConfig config = MutantConfig(bug);
  config.spec.argv.insert(config.spec.argv.end(), {"--mode=prefork", "--workers=4",
                                                   "--max-sessions-per-worker=" + std::to_string(kSessionsPerWorker)});
  DeclarePrefork(&config);
  return config;
}

class PreforkCase : public testing::Test {
 public:
  PreforkCase(CaseConfig config, std::string id, bool expect_fail)
      : config_(std::move(config)), id_(std::move(id)), expect_fail_(expect_fail) {}
  void TestBody() override {
    ASSERT_FALSE(config_.spec.argv.empty()) << "server not found in runfiles";
    config_.seed = 20261126;
    CaseResult result = RunScenario(id_, config_);
    EXPECT_TRUE(DescendantsOf(getpid()).empty()) << "processes left behind after " << id_;
    std::string mismatch = ModelMismatch(FindScenario(id_)->requirement, config_.declared);
    if (!mismatch.empty()) {
      EXPECT_EQ(result.outcome.verdict, Verdict::kSkip) << result.outcome.evidence;
      EXPECT_EQ(result.outcome.evidence, mismatch);
    } else if (expect_fail_) {
      EXPECT_EQ(result.outcome.verdict, Verdict::kFail) << id_ << ": " << result.outcome.evidence;
    } else {
      if (result.outcome.verdict == Verdict::kSkip) GTEST_SKIP() << result.outcome.evidence;
      EXPECT_EQ(result.outcome.verdict, Verdict::kPass) << id_ << ": " << result.outcome.evidence;
    }
  }

 private:
  CaseConfig config_;
  std::string id_;
  bool expect_fail_;
};

void Register(const std::string& suite, const std::string& name, CaseConfig config, const std::string& id,
              bool expect_fail) {
  testing::RegisterTest(suite.c_str(), name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                        [config, id, expect_fail]() -> testing::Test* { return new PreforkCase(config, id, expect_fail); });
}

struct Planted {
  const char* id;
  const char* bug;
};
const Planted kPlanted[] = {
    {"PREF-1", "no-respawn"},
    {"PREF-2", "tight-crash-loop"},
    {"PREF-3", "no-recycle"},
    {"PREF-4", "hup-kills-sessions"},
    {"EMFILE-1", "emfile-spin"},
};

}  // namespace

void RegisterScenarioTests() {
  for (const char* reaper : {"handler", "signalfd"})
    for (const Scenario& scenario : AllScenarios())
      Register(std::string("ReferencePrefork_") + reaper, GtestName(scenario.requirement.id),
               ReferencePrefork(reaper), scenario.requirement.id, false);
  for (const Planted& planted : kPlanted) {
    Register("MutantPreforkFails", GtestName(planted.id) + "_" + GtestName(planted.bug), MutantPrefork(planted.bug),
             planted.id, true);
    Register("MutantPreforkPasses", GtestName(planted.id), MutantPrefork("none"), planted.id, false);
  }
}

}  // namespace forkcheck
