// The fuzz machine finds the coalesced-SIGCHLD bug (one waitpid per SIGCHLD)
// in two independent servers and shrinks it to a short schedule naming REAP-2.
#include <gtest/gtest.h>

#include "conformance/fuzz/fuzz.h"
#include "property_tests/runfiles.h"

namespace forkcheck {
namespace {

void ExpectShortReap2(FuzzOptions options) {
  options.seed = 1;
  options.runs = 60;
  options.declared.reap_grace_ms = 200;  // each failing replay waits this long
  FuzzResult result = RunFuzz(options);
  std::string report = FormatFuzzResult(options, result);
  ASSERT_TRUE(result.found) << report;
  EXPECT_EQ(result.requirement, "REAP-2") << report;
  EXPECT_LE(result.steps.size(), 5u) << report;
  EXPECT_NE(result.replay.find("--seed=" + std::to_string(result.seed) + " --runs=1"), std::string::npos);
  std::cout << report;
}

TEST(ServerModelPlanted, ReferenceServerBuiltWithReapOnce) {
  FuzzOptions options;
  options.argv = {Runfile("src/reference_server_reap_once"), "--port={port}", "--test-hooks"};
  options.declared.profiles = {"core", "status", "hooks"};
  ExpectShortReap2(options);
}

TEST(ServerModelPlanted, MutantServerWithReapOnce) {
  FuzzOptions options;
  options.argv = {Runfile("scenarios/testdata/mutant_server"), "--port={port}", "--bug=reap-once", "--test-hooks"};
  options.declared.profiles = {"core", "hooks"};
  ExpectShortReap2(options);
}

}  // namespace
}  // namespace forkcheck
