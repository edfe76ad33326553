#ifndef FORKCHECK_CONFORMANCE_SUITE_H_
#define FORKCHECK_CONFORMANCE_SUITE_H_

#include <ostream>
#include <vector>

#include "conformance/expectations.h"
#include "conformance/options.h"
#include "conformance/report.h"

namespace forkcheck {

// The scenarios --only/--skip select, in SPEC.md order.
std::vector<const Scenario*> SelectScenarios(const RunnerOptions& options);

// Runs every selected case (--repeat times), printing one line per
// requirement to `out` as its verdict is known.
// A requirement listed in `expected` is reported XFAIL when it fails and
// XPASS when it passes.
RunReport RunSuite(const RunnerOptions& options, const StatusParser* status, const Expectations& expected,
                   std::ostream& out);

void PrintList(std::ostream& out);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_SUITE_H_
