#include <fstream>
#include <sstream>

#include "conformance/l10n/tr.h"
#include "conformance/markup.h"
#include "conformance/report.h"

namespace forkcheck {
namespace {

std::string Seconds(double ms) {
  std::ostringstream out;
  out.precision(3);
  out << std::fixed << ms / 1000.0;
  return out.str();
}

}  // namespace

bool WriteJunit(const std::string& path, const RunReport& report, std::string* error) {
  std::ofstream out(path);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"forkcheck\" tests=\"" << report.results.size() << "\" failures=\""
      << report.Count(Verdict::kFail) + report.UnexpectedPasses() << "\" time=\"" << Seconds(report.duration_ms)
      << "\">\n"
      << "  <testsuite name=\"forkcheck\" tests=\"" << report.results.size() << "\" failures=\""
      << report.Count(Verdict::kFail) + report.UnexpectedPasses() << "\" skipped=\""
      << report.Count(Verdict::kSkip) + report.Count(Verdict::kBlocked) + report.ExpectedFailures() << "\" time=\""
      << Seconds(report.duration_ms) << "\">\n"
      << "    <properties><property name=\"seed\" value=\"" << report.seed << "\"/></properties>\n";
  for (const RequirementResult& result : report.results) {
    const Requirement& requirement = result.scenario->requirement;
    out << "    <testcase classname=\"forkcheck." << requirement.profile << "\" name=\""
        << EscapeMarkup(std::string(requirement.id) + " " + TitleOf(requirement)) << "\" time=\""
        << Seconds(result.duration_ms) << "\"";
    std::string status = StatusName(result);
    if (status == "PASS") {
      out << "/>\n";
      continue;
    }
    out << ">\n";
    if (status == "XFAIL") {
      out << "      <skipped message=\"" << EscapeMarkup(Say("expected failure (XFAIL): {0}", result.expectation))
          << "\"/>\n";
    } else if (status == "XPASS") {
      out << "      <failure message=\"" << EscapeMarkup(Say("{0} passed (XPASS)", requirement.id)) << "\">"
          << EscapeMarkup(Say("listed as a known failure ({0}), but it passed: take it off the expectations file",
                              result.expectation))
          << "</failure>\n";
    } else if (result.verdict == Verdict::kFail) {
      // TRANSLATORS: {0} is a level (MUST, SHOULD), {1} a requirement ID: "MUST REAP-2 failed".
      out << "      <failure message=\""
          << EscapeMarkup(Say("{0} {1} failed", LevelName(requirement.level), requirement.id)) << "\">"
          << EscapeMarkup(result.evidence + "\n" + Say("hint: {0}", HintOf(requirement))) << "</failure>\n";
    } else if (result.verdict == Verdict::kBlocked) {
      out << "      <skipped message=\"" << EscapeMarkup(Say("blocked by {0}: {1}", result.blocked_by, result.evidence))
          << "\"/>\n";
    } else {
      out << "      <skipped message=\"" << EscapeMarkup(result.evidence) << "\"/>\n";
    }
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
  if (!out) {
    *error = Say("cannot write the JUnit report to {0}", path);
    return false;
  }
  return true;
}

}  // namespace forkcheck
