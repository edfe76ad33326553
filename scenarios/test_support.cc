#include "scenarios/test_support.h"

#include <cstdlib>
#include <memory>

#include "conformance/reference_server.h"

namespace forkcheck {
const StatusParser& DefaultParser() {
  static std::string error;
  static std::unique_ptr<StatusParser> parser = StatusParser::Create(kDefaultStatusPattern, &error);
  return *parser;
}

std::string RunfilePath(const std::string& relative) {
  const char* root = std::getenv("TEST_SRCDIR");
  return std::string(root ? root : ".") + "/forkcheck/" + relative;
}

CaseConfig MutantConfig(const std::string& bug) {
  CaseConfig config;
  config.declared.profiles = {"core", "status", "hooks", "alarm", "limit", "shutdown"};
  config.declared.idle_timeout_ms = 1000;
  config.declared.max_children = 80;
  config.declared.shutdown_grace_ms = 2000;
  config.spec.argv = {RunfilePath("scenarios/testdata/mutant_server"), "--port={port}", "--bug=" + bug,
                      "--test-hooks", "--idle-timeout=1000", "--max-children=80"};
  config.status = &DefaultParser();
  config.case_budget = Millis(60000);
  return config;
}

CaseConfig ReferenceConfig(const std::string& reaper) {
  ReferenceDeclarations reference = ReferenceServerDeclarations(reaper);
  CaseConfig config;
  config.spec.argv = reference.command;
  config.declared = reference.declared;
  config.status = &DefaultParser();
  return config;
}

std::string GtestName(std::string text) {
  for (char& c : text)
    if (c == '-') c = '_';
  return text;
}

CaseResult RunScenario(const std::string& id, const CaseConfig& config) {
  const Scenario* scenario = FindScenario(id);
  if (scenario == nullptr) {
    CaseResult missing;
    missing.outcome = Outcome::Fail("no scenario registered for " + id);
    return missing;
  }
  return RunCase(*scenario, config);
}

}  // namespace forkcheck
