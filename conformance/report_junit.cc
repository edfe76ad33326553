#include <fstream>
#include <sstream>

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
        << EscapeMarkup(std::string(requirement.id) + " " + requirement.title) << "\" time=\""
        << Seconds(result.duration_ms) << "\"";
    std::string status = StatusName(result);
    if (status == "PASS") {
      out << "/>\n";
      continue;
    }
    out << ">\n";
    if (status == "XFAIL") {
      out << "      <skipped message=\"" << EscapeMarkup("expected failure (XFAIL): " + result.expectation) << "\"/>\n";
    } else if (status == "XPASS") {
      out << "      <failure message=\"" << EscapeMarkup(std::string(requirement.id) + " passed (XPASS)") << "\">"
          << EscapeMarkup("listed as a known failure (" + result.expectation +
                       "), but it passed: take it off the expectations file")
          << "</failure>\n";
    } else if (result.verdict == Verdict::kFail) {
      out << "      <failure message=\"" << EscapeMarkup(std::string(LevelName(requirement.level)) + " " +
                                                      requirement.id + " failed")
          << "\">" << EscapeMarkup(result.evidence + "\nhint: " + requirement.hint) << "</failure>\n";
    } else if (result.verdict == Verdict::kBlocked) {
      out << "      <skipped message=\"" << EscapeMarkup("blocked by " + result.blocked_by + ": " + result.evidence)
          << "\"/>\n";
    } else {
      out << "      <skipped message=\"" << EscapeMarkup(result.evidence) << "\"/>\n";
    }
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
  if (!out) {
    *error = "cannot write the JUnit report to " + path;
    return false;
  }
  return true;
}

}  // namespace forkcheck
