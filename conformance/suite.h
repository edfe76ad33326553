#ifndef FORKCHECK_CONFORMANCE_SUITE_H_
#define FORKCHECK_CONFORMANCE_SUITE_H_

#include <ostream>
#include <vector>

#include "conformance/expectations.h"
#include "conformance/options.h"
#include "conformance/progress.h"
#include "conformance/report.h"
#include "conformance/run_case.h"

namespace forkcheck {

// The scenarios --only/--skip select, in SPEC.md order.
std::vector<const Scenario*> SelectScenarios(const RunnerOptions& options);

// How every case of this run starts its server.
CaseConfig ConfigFor(const RunnerOptions& options, const StatusParser* status);

// Runs every selected case (--repeat times), --jobs of them side by side, printing one line per
// requirement to `out` as its verdict is known.
// A requirement listed in `expected` is reported XFAIL when it fails and
// XPASS when it passes. A live `style` shows the running case on one line
// that its result line replaces; the result lines are coloured if it says so.
RunReport RunSuite(const RunnerOptions& options, const StatusParser* status, const Expectations& expected,
                   std::ostream& out, TerminalStyle style = {});

// Every requirement: ID, level, profile, title; and why those the chosen
// protocol or process model cannot exercise are skipped.
void PrintList(std::ostream& out, const RunnerOptions& options);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_SUITE_H_
