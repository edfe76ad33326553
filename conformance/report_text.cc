#include <cstdio>
#include <sstream>

#include "conformance/progress.h"
#include "conformance/report.h"

namespace forkcheck {
namespace {

std::string Fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

void PrintIndented(std::ostream& out, const char* label, const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    out << "       " << (first ? label : "          ") << line << "\n";
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
  if (!report.Failed()) return Paint("CONFORMS", Colour::kGreen, color);
  if (report.MustFailures() > 0) return Paint("DOES NOT CONFORM", Colour::kRed, color);
  return Paint("XPASS: UPDATE THE EXPECTATIONS", Colour::kCyan, color);
}

}  // namespace

void PrintResultLine(std::ostream& out, const RequirementResult& result, bool verbose, bool color) {
  const Requirement& requirement = result.scenario->requirement;
  const std::string status = StatusName(result);
  char head[160];
  std::snprintf(head, sizeof head, "  %-8s %-6s %s", requirement.id, LevelName(requirement.level), requirement.title);
  out << Paint(status, StatusColour(status), color) << head << "  (" << Fixed(result.duration_ms, 0) << " ms";
  if (result.runs > 1) out << ", " << result.runs << " runs";
  out << ")\n";
  if (!result.expectation.empty() && (result.verdict == Verdict::kFail || result.verdict == Verdict::kPass)) {
    PrintIndented(out, "expected: ", result.expectation + (result.verdict == Verdict::kPass
                                                                ? " (listed as a known failure, but it passed: "
                                                                  "take it off the expectations file)"
                                                                : ""));
    if (verbose || result.verdict == Verdict::kFail) PrintIndented(out, "evidence: ", result.evidence);
  } else if (result.verdict == Verdict::kFail) {
    PrintIndented(out, "evidence: ", result.evidence);
    PrintIndented(out, "hint:     ", requirement.hint);
  } else if (result.verdict == Verdict::kBlocked) {
    PrintIndented(out, "blocked:  ", "by " + result.blocked_by + ": " + result.evidence);
  } else if (result.verdict == Verdict::kSkip || verbose) {
    if (!result.evidence.empty()) PrintIndented(out, result.verdict == Verdict::kSkip ? "reason:   " : "evidence: ", result.evidence);
  }
}

void PrintSummary(std::ostream& out, const RunReport& report, bool color) {
  LatencySummary latency = SummarizeLatency(report.zombie_lifetimes_ms);
  out << "\nreap latency (zombie lifetime seen through /proc): ";
  if (latency.samples == 0 && report.reaped_before_seen == 0) {
    out << "no zombie observed\n";
  } else if (latency.samples == 0) {
    out << "every child (" << report.reaped_before_seen << ") was reaped before a sample saw it a zombie\n";
  } else {
    out << "p50 " << Fixed(latency.p50, 1) << " ms, p99 " << Fixed(latency.p99, 1) << " ms, max "
        << Fixed(latency.max, 1) << " ms over " << latency.samples << " zombies";
    if (report.reaped_before_seen > 0) out << "; " << report.reaped_before_seen << " more reaped before a sample saw them";
    out << "\n";
  }
  int must_failures = report.MustFailures();
  out << "summary: " << report.Count(Verdict::kPass) << " passed, " << report.Count(Verdict::kFail)
      << " failed (" << must_failures << " MUST), " << report.Count(Verdict::kBlocked) << " blocked, "
      << report.Count(Verdict::kSkip) << " skipped";
  if (report.ExpectedFailures() + report.UnexpectedPasses() > 0)
    out << ", " << report.ExpectedFailures() << " expected failures (XFAIL), " << report.UnexpectedPasses()
        << " unexpected passes (XPASS" << (report.xpass_fails ? "" : ", --xpass=warn") << ")";
  out << " in " << Fixed(report.duration_ms / 1000.0, 1) << " s, seed " << report.seed << ": "
      << VerdictWord(report, color) << "\n";
  for (const std::string& diagnosis : Diagnoses(report)) out << "diagnosis: " << diagnosis << "\n";
}

}  // namespace forkcheck
