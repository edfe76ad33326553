#include <cstdio>
#include <sstream>

#include "conformance/l10n/tr.h"
#include "conformance/progress.h"
#include "conformance/report.h"

namespace forkcheck {
namespace {

std::string Fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

// The label padded to ten columns ("evidence: "), or one past its end when
// a translation is longer; the lines after the first are indented as far.
void PrintIndented(std::ostream& out, const char* label, const std::string& text) {
  std::string head = label;
  size_t columns = DisplayColumns(head);
  head += std::string(columns < 10 ? 10 - columns : 1, ' ');
  std::string indent(DisplayColumns(head), ' ');
  std::istringstream lines(text);
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    out << "       " << (first ? head : indent) << line << "\n";
    first = false;
  }
}

Colour StatusColour(const std::string& status) {
  if (status == "PASS") return Colour::kGreen;
  if (status == "FAIL") return Colour::kRed;
  if (status == "BLOCK") return Colour::kYellow;
  if (status == "XFAIL") return Colour::kMagenta;
  if (status == "XPASS") return Colour::kCyan;
  return Colour::kDim;
}

std::string VerdictWord(const RunReport& report, bool color) {
  // TRANSLATORS: the verdict at the end of the summary line.
  if (!report.Failed()) return Paint(Tr("CONFORMS"), Colour::kGreen, color);
  // TRANSLATORS: the verdict at the end of the summary line.
  if (report.MustFailures() > 0) return Paint(Tr("DOES NOT CONFORM"), Colour::kRed, color);
  // TRANSLATORS: the verdict at the end of the summary line: the run failed because a known failure passed.
  return Paint(Tr("XPASS: UPDATE THE EXPECTATIONS"), Colour::kCyan, color);
}

}  // namespace

void PrintResultLine(std::ostream& out, const RequirementResult& result, bool verbose, bool color) {
  const Requirement& requirement = result.scenario->requirement;
  const std::string status = StatusName(result);
  char head[64];
  std::snprintf(head, sizeof head, "  %-8s %-6s ", requirement.id, LevelName(requirement.level));
  std::string duration = Fixed(result.duration_ms, 0);
  out << Paint(status, StatusColour(status), color) << head << TitleOf(requirement) << "  "
      << (result.runs > 1 ? Say("({0} ms, {1} runs)", duration, result.runs) : Say("({0} ms)", duration)) << "\n";
  // TRANSLATORS: the labels under a result line, each followed by its text.
  const char* evidence = Tr("evidence:");
  if (!result.expectation.empty() && (result.verdict == Verdict::kFail || result.verdict == Verdict::kPass)) {
    std::string expected = result.expectation;
    if (result.verdict == Verdict::kPass)
      // TRANSLATORS: {0} is the reason given in the expectations file.
      expected = Say("{0} (listed as a known failure, but it passed: take it off the expectations file)", expected);
    PrintIndented(out, Tr("expected:"), expected);
    if (verbose || result.verdict == Verdict::kFail) PrintIndented(out, evidence, result.evidence);
  } else if (result.verdict == Verdict::kFail) {
    PrintIndented(out, evidence, result.evidence);
    PrintIndented(out, Tr("hint:"), HintOf(requirement));
  } else if (result.verdict == Verdict::kBlocked) {
    // TRANSLATORS: after "blocked:", {0} is the requirement ID that blocked this one, {1} the evidence.
    std::string by = Say("by {0}: {1}", result.blocked_by, result.evidence);
    PrintIndented(out, Tr("blocked:"), by);
  } else if (result.verdict == Verdict::kSkip || verbose) {
    if (!result.evidence.empty())
      PrintIndented(out, result.verdict == Verdict::kSkip ? Tr("reason:") : evidence, result.evidence);
  }
}

void PrintSummary(std::ostream& out, const RunReport& report, bool color) {
  LatencySummary latency = SummarizeLatency(report.zombie_lifetimes_ms);
  out << "\n";
  if (latency.samples == 0 && report.reaped_before_seen == 0) {
    out << Tr("reap latency (zombie lifetime seen through /proc): no zombie observed");
  } else if (latency.samples == 0) {
    out << Say(
        "reap latency (zombie lifetime seen through /proc): every child ({0}) was reaped before a sample saw "
        "it a zombie",
        report.reaped_before_seen);
  } else if (report.reaped_before_seen == 0) {
    out << Say("reap latency (zombie lifetime seen through /proc): p50 {0} ms, p99 {1} ms, max {2} ms over {3} zombies",
               Fixed(latency.p50, 1), Fixed(latency.p99, 1), Fixed(latency.max, 1), latency.samples);
  } else {
    out << Say(
        "reap latency (zombie lifetime seen through /proc): p50 {0} ms, p99 {1} ms, max {2} ms over {3} "
        "zombies; {4} more reaped before a sample saw them",
        Fixed(latency.p50, 1), Fixed(latency.p99, 1), Fixed(latency.max, 1), latency.samples,
        report.reaped_before_seen);
  }
  out << "\n";
  int passed = report.Count(Verdict::kPass), failed = report.Count(Verdict::kFail);
  int blocked = report.Count(Verdict::kBlocked), skipped = report.Count(Verdict::kSkip);
  int must_failures = report.MustFailures();
  std::string seconds = Fixed(report.duration_ms / 1000.0, 1), verdict = VerdictWord(report, color);
  if (report.ExpectedFailures() + report.UnexpectedPasses() == 0)
    // TRANSLATORS: the summary line: counts of requirements, the seconds the run took, its seed,
    // and last the verdict (CONFORMS, DOES NOT CONFORM ...).
    out << Say("summary: {0} passed, {1} failed ({2} MUST), {3} blocked, {4} skipped in {5} s, seed {6}: {7}", passed,
               failed, must_failures, blocked, skipped, seconds, report.seed, verdict);
  else if (report.xpass_fails)
    out << Say(
        "summary: {0} passed, {1} failed ({2} MUST), {3} blocked, {4} skipped, {5} expected failures (XFAIL), "
        "{6} unexpected passes (XPASS) in {7} s, seed {8}: {9}",
        passed, failed, must_failures, blocked, skipped, report.ExpectedFailures(), report.UnexpectedPasses(), seconds,
        report.seed, verdict);
  else
    out << Say(
        "summary: {0} passed, {1} failed ({2} MUST), {3} blocked, {4} skipped, {5} expected failures (XFAIL), "
        "{6} unexpected passes (XPASS, --xpass=warn) in {7} s, seed {8}: {9}",
        passed, failed, must_failures, blocked, skipped, report.ExpectedFailures(), report.UnexpectedPasses(), seconds,
        report.seed, verdict);
  out << "\n";
  for (const std::string& diagnosis : Diagnoses(report)) out << Say("diagnosis: {0}", diagnosis) << "\n";
}

}  // namespace forkcheck
