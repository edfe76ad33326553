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

}  // namespace forkcheck
