#ifndef FORKCHECK_CONFORMANCE_REPORT_H_
#define FORKCHECK_CONFORMANCE_REPORT_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "conformance/harness/event_log.h"
#include "scenarios/scenario.h"

namespace forkcheck {

// The verdict for one requirement over all its runs (--repeat).
struct RequirementResult {
  const Scenario* scenario = nullptr;
  Verdict verdict = Verdict::kPass;
  std::string evidence;
  std::string blocked_by;    // with Verdict::kBlocked: the requirement that blocked it
  std::string expectation;   // why it is a known failure (--expectations), or ""
  std::string server_death;  // how the server died in the first failed run, if it did
  bool died_after_child = false;  // ... within 300 ms of one of its children
  double duration_ms = 0;
  int runs = 0;
  int failures = 0;
  // What the timeline shows: the event log of the first failed run (else
  // the last run), its server's pid, and when that run began (ms since the
  // suite began).
  std::vector<Event> events;
  pid_t server_pid = 0;
  double started_ms = 0;
};

struct LatencySummary {
  double p50 = 0, p99 = 0, max = 0;
  size_t samples = 0;
};
LatencySummary SummarizeLatency(std::vector<double> lifetimes_ms);

struct RunReport {
  std::vector<std::string> sut;
  std::vector<std::string> profiles;
  int reap_grace_ms = 1000;  // as the checks used it: scaled by --timeout-scale
  uint64_t seed = 0;
  std::vector<RequirementResult> results;
  std::vector<double> zombie_lifetimes_ms;
  int reaped_before_seen = 0;  // children reaped within one /proc sample
  double duration_ms = 0;

  bool xpass_fails = true;

  // Count of kFail leaves out the expected failures (XFAIL).
  int Count(Verdict verdict) const;
  int MustFailures() const;
  int ExpectedFailures() const;   // XFAIL
  int UnexpectedPasses() const;   // XPASS
  // Whether the run fails: a MUST failure, or an XPASS unless --xpass=warn.
  bool Failed() const { return MustFailures() > 0 || (xpass_fails && UnexpectedPasses() > 0); }
};

// A requirement's title and hint in the reader's language (the scenario
// tables mark them with N_); an empty one stays empty.
const char* TitleOf(const Requirement& requirement);
const char* HintOf(const Requirement& requirement);

// PASS, FAIL, SKIP, BLOCK, or XFAIL / XPASS for a requirement listed in the
// expectations file that failed / passed.
const char* StatusName(const RequirementResult& result);

// One line per symptom that recurred across failed cases: "in 9 cases the
// server exited with status 1, right after one of its children ended;
// REAP-1 showed it first: fix that first".
std::vector<std::string> Diagnoses(const RunReport& report);

// `color`: the status word and the verdict in colour (a terminal without NO_COLOR).
void PrintResultLine(std::ostream& out, const RequirementResult& result, bool verbose, bool color = false);
void PrintSummary(std::ostream& out, const RunReport& report, bool color = false);
bool WriteJson(const std::string& path, const RunReport& report, std::string* error);
bool WriteJunit(const std::string& path, const RunReport& report, std::string* error);
// One self-contained page (inline CSS and SVG, no network): verdict, table,
// and per case its evidence, hint and process timeline.
bool WriteHtml(const std::string& path, const RunReport& report, std::string* error);
// Chrome Trace Event Format (Perfetto, chrome://tracing): the same events.
bool WriteTrace(const std::string& path, const RunReport& report, std::string* error);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_REPORT_H_
