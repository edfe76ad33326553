#include "conformance/report.h"

#include <algorithm>
#include <cmath>

#include "conformance/l10n/tr.h"

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

namespace {

bool Listed(const RequirementResult& result) { return !result.expectation.empty(); }

// gettext gives the catalogue's header for "".
const char* Translated(const char* text) { return text == nullptr || *text == '\0' ? "" : Tr(text); }

}  // namespace

const char* TitleOf(const Requirement& requirement) { return Translated(requirement.title); }

const char* HintOf(const Requirement& requirement) { return Translated(requirement.hint); }

const char* StatusName(const RequirementResult& result) {
  if (Listed(result) && result.verdict == Verdict::kFail) return "XFAIL";
  if (Listed(result) && result.verdict == Verdict::kPass) return "XPASS";
  return VerdictName(result.verdict);
}

int RunReport::Count(Verdict verdict) const {
  return static_cast<int>(std::count_if(results.begin(), results.end(), [&](const RequirementResult& r) {
    return r.verdict == verdict && !(Listed(r) && (verdict == Verdict::kFail || verdict == Verdict::kPass));
  }));
}

int RunReport::MustFailures() const {
  return static_cast<int>(std::count_if(results.begin(), results.end(), [](const RequirementResult& r) {
    return r.verdict == Verdict::kFail && !Listed(r) && r.scenario->requirement.level == Level::kMust;
  }));
}

int RunReport::ExpectedFailures() const {
  return static_cast<int>(std::count_if(results.begin(), results.end(), [](const RequirementResult& r) {
    return Listed(r) && r.verdict == Verdict::kFail;
  }));
}

int RunReport::UnexpectedPasses() const {
  return static_cast<int>(std::count_if(results.begin(), results.end(), [](const RequirementResult& r) {
    return Listed(r) && r.verdict == Verdict::kPass;
  }));
}

std::vector<std::string> Diagnoses(const RunReport& report) {
  struct Symptom {
    std::string death;
    std::vector<std::string> ids;
    bool always_after_child = true;
  };
  std::vector<Symptom> symptoms;  // in order of first sight
  for (const RequirementResult& result : report.results) {
    if (result.verdict != Verdict::kFail || Listed(result) || result.server_death.empty()) continue;
    auto same = std::find_if(symptoms.begin(), symptoms.end(),
                             [&](const Symptom& symptom) { return symptom.death == result.server_death; });
    if (same == symptoms.end()) same = symptoms.insert(symptoms.end(), {result.server_death, {}, true});
    same->ids.push_back(result.scenario->requirement.id);
    same->always_after_child = same->always_after_child && result.died_after_child;
  }
  std::vector<std::string> lines;
  for (const Symptom& symptom : symptoms) {
    if (symptom.ids.size() < 2) continue;
    std::string others;
    for (size_t i = 1; i < symptom.ids.size(); ++i) others += (i > 1 ? ", " : "") + symptom.ids[i];
    if (symptom.always_after_child)
      // TRANSLATORS: {1} is how the server ended ("exited with status 1"); {2}, {3} are IDs.
      lines.push_back(
          Say("in {0} cases the server {1}, each time right after one of its children ended; "
              "{2} showed it first: fix that first ({3} failed the same way)",
              symptom.ids.size(), symptom.death, symptom.ids[0], others));
    else
      lines.push_back(Say("in {0} cases the server {1}; {2} showed it first: fix that first ({3} failed the same way)",
                          symptom.ids.size(), symptom.death, symptom.ids[0], others));
  }
  return lines;
}

}  // namespace forkcheck
