#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>

#include "conformance/l10n/tr.h"
#include "conformance/report.h"

namespace forkcheck {

bool WriteJson(const std::string& path, const RunReport& report, std::string* error) {
  nlohmann::json results = nlohmann::json::array();
  for (const RequirementResult& result : report.results) {
    const Requirement& requirement = result.scenario->requirement;
    std::string status = StatusName(result);
    for (char& c : status) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (status == "block") status = "blocked";
    nlohmann::json entry = {{"id", requirement.id},
                            {"level", LevelName(requirement.level)},
                            {"profile", requirement.profile},
                            {"title", TitleOf(requirement)},
                            {"status", status},
                            {"evidence", result.evidence},
                            {"hint", result.verdict == Verdict::kFail ? HintOf(requirement) : ""},
                            {"duration_ms", static_cast<int64_t>(result.duration_ms)},
                            {"runs", result.runs},
                            {"failed_runs", result.failures}};
    if (result.verdict == Verdict::kBlocked) entry["blocked_by"] = result.blocked_by;
    if (!result.expectation.empty()) entry["expectation"] = result.expectation;
    results.push_back(entry);
  }
  LatencySummary latency = SummarizeLatency(report.zombie_lifetimes_ms);
  nlohmann::json document = {
      {"sut", report.sut},
      {"seed", report.seed},
      {"results", results},
      {"summary",
       {{"passed", report.Count(Verdict::kPass)},
        {"failed", report.Count(Verdict::kFail)},
        {"skipped", report.Count(Verdict::kSkip)},
        {"blocked", report.Count(Verdict::kBlocked)},
        {"xfail", report.ExpectedFailures()},
        {"xpass", report.UnexpectedPasses()},
        {"must_failed", report.MustFailures()},
        {"conforms", !report.Failed()},
        {"duration_ms", static_cast<int64_t>(report.duration_ms)}}},
      {"diagnosis", Diagnoses(report)},
      {"reap_latency_ms",
       {{"p50", latency.p50}, {"p99", latency.p99}, {"max", latency.max}, {"samples", latency.samples},
        {"reaped_before_seen", report.reaped_before_seen}}}};
  std::ofstream out(path);
  out << document.dump(2) << "\n";
  if (!out) {
    *error = Say("cannot write the JSON report to {0}", path);
    return false;
  }
  return true;
}

}  // namespace forkcheck
