// The reaper property, for each --reaper strategy: random children with
// random outcomes and exit timing, random extra signals to the parent; the
// reaper collects exactly their (pid, status) multiset, nothing twice, and
// leaves no zombie. Each case runs in a forked helper (reaper_harness.h).
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "property_tests/reaper_case.h"
#include "property_tests/reaper_harness.h"

namespace forkcheck {
namespace {

constexpr int kMaxChildren = 40;

// Default budget (the folder must stay under 60 s): RC_PARAMS without a
// max_success gets max_success=40 per strategy. Runs before rapidcheck reads
// RC_PARAMS (its configuration is loaded on first use).
const bool kDefaultBudget = [] {
  const char* given = std::getenv("RC_PARAMS");
  std::string params = given ? given : "";
  if (params.find("max_success") == std::string::npos) {
    params = "max_success=40" + (params.empty() ? "" : " " + params);
    setenv("RC_PARAMS", params.c_str(), 1);
  }
  return true;
}();

RC_GTEST_PROP(ReaperProperty, HandlerCollectsExactlyEveryChildOnce, ()) {
  CheckReaper(ReaperKind::kHandler, *GenReaperCase(kMaxChildren), ScaledReaperLimits());
}

RC_GTEST_PROP(ReaperProperty, SignalfdCollectsExactlyEveryChildOnce, ()) {
  CheckReaper(ReaperKind::kSignalfd, *GenReaperCase(kMaxChildren), ScaledReaperLimits());
}

}  // namespace
}  // namespace forkcheck
