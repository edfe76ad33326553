#include "conformance/report.h"

#include <algorithm>
#include <cmath>

namespace forkcheck {

LatencySummary SummarizeLatency(std::vector<double> lifetimes_ms) {
  LatencySummary summary;
  summary.samples = lifetimes_ms.size();
  if (lifetimes_ms.empty()) return summary;
  std::sort(lifetimes_ms.begin(), lifetimes_ms.end());
  auto at = [&](double quantile) {
    size_t index = static_cast<size_t>(std::ceil(quantile * static_cast<double>(lifetimes_ms.size()))) - 1;
    return lifetimes_ms[std::min(index, lifetimes_ms.size() - 1)];
  };
  summary.p50 = at(0.50);
  summary.p99 = at(0.99);
  summary.max = lifetimes_ms.back();
  return summary;
}

int RunReport::Count(Verdict verdict) const {
  return static_cast<int>(std::count_if(results.begin(), results.end(),
                                        [&](const RequirementResult& r) { return r.verdict == verdict; }));
}

int RunReport::MustFailures() const {
  return static_cast<int>(std::count_if(results.begin(), results.end(), [](const RequirementResult& r) {
    return r.verdict == Verdict::kFail && r.scenario->requirement.level == Level::kMust;
  }));
}

std::vector<std::string> Diagnoses(const RunReport& report) {
  std::vector<std::pair<std::string, std::vector<std::string>>> by_symptom;  // in order of first sight
  for (const RequirementResult& result : report.results) {
    if (result.verdict != Verdict::kFail || result.server_death.empty()) continue;
    auto same = std::find_if(by_symptom.begin(), by_symptom.end(),
                             [&](const auto& entry) { return entry.first == result.server_death; });
    if (same == by_symptom.end()) same = by_symptom.insert(by_symptom.end(), {result.server_death, {}});
    same->second.push_back(result.scenario->requirement.id);
  }
  std::vector<std::string> lines;
  for (const auto& [symptom, ids] : by_symptom) {
    if (ids.size() < 2) continue;
    std::string others;
    for (size_t i = 1; i < ids.size(); ++i) others += (i > 1 ? ", " : "") + ids[i];
    lines.push_back("in " + std::to_string(ids.size()) + " cases the server " + symptom + "; " + ids[0] +
                    " showed it first: fix that first (" + others + " failed the same way)");
  }
  return lines;
}

}  // namespace forkcheck
