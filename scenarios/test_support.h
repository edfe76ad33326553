#ifndef FORKCHECK_SCENARIOS_TEST_SUPPORT_H_
#define FORKCHECK_SCENARIOS_TEST_SUPPORT_H_

#include <string>
#include <vector>

#include "conformance/run_case.h"

namespace forkcheck {

// Path of a binary in this test's runfiles, e.g. "scenarios/testdata/mutant_server".
std::string RunfilePath(const std::string& relative);

// The parser of the default status line format.
const StatusParser& DefaultParser();

// The mutant server with `bug`, declared with every profile it supports.
CaseConfig MutantConfig(const std::string& bug);

// The reference server with the given reaper strategy, all profiles on.
CaseConfig ReferenceConfig(const std::string& reaper);

// Runs scenario `id` once with `config`.
CaseResult RunScenario(const std::string& id, const CaseConfig& config);

// "REAP-2" -> "REAP_2": a requirement ID as a GoogleTest name.
std::string GtestName(std::string text);

// Defined by each test binary: registers its cases (testing::RegisterTest).
// The shared main makes the test a subreaper, then calls it.
void RegisterScenarioTests();

}  // namespace forkcheck

#endif  // FORKCHECK_SCENARIOS_TEST_SUPPORT_H_
