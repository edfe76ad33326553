#include "conformance/harness/status_report.h"

#include <re2/re2.h>
#include <sys/wait.h>

#include <cstdlib>

#include "conformance/l10n/tr.h"

namespace forkcheck {

const char kDefaultStatusPattern[] =
    R"(child (?P<pid>\d+) (?:exited with status (?P<code>\d+)|killed by signal (?P<signal>\d+))(?P<core> \(core dumped\))?)";

std::unique_ptr<StatusParser> StatusParser::Create(const std::string& pattern,
                                                   std::string* error) {
  std::unique_ptr<StatusParser> parser(new StatusParser);
  parser->regex_ = std::make_unique<re2::RE2>(pattern, re2::RE2::Quiet);
  if (!parser->regex_->ok()) {
    *error = Say("--status-pattern is not a valid regular expression: {0}", parser->regex_->error());
    return nullptr;
  }
  const auto& groups = parser->regex_->NamedCapturingGroups();
  bool decodable = groups.count("raw") || groups.count("code") || groups.count("signal");
  if (!groups.count("pid") || !decodable) {
    *error = Tr("--status-pattern needs a named group 'pid' and either 'raw' or 'code'/'signal'");
    return nullptr;
  }
  return parser;
}

StatusParser::~StatusParser() = default;

std::optional<StatusReport> StatusParser::Parse(const std::string& line) const {
  const auto& groups = regex_->NamedCapturingGroups();
  int count = regex_->NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> match(static_cast<size_t>(count));
  if (!regex_->Match(line, 0, line.size(), re2::RE2::UNANCHORED, match.data(), count))
    return std::nullopt;
  auto group = [&](const char* name) -> std::string {
    auto it = groups.find(name);
    if (it == groups.end() || match[static_cast<size_t>(it->second)].data() == nullptr) return "";
    return std::string(match[static_cast<size_t>(it->second)]);
  };
  StatusReport report;
  report.line = line;
  report.pid = std::atoi(group("pid").c_str());
  if (std::string raw = group("raw"); !raw.empty()) {
    int status = std::atoi(raw.c_str());
    report.exited = WIFEXITED(status);
    report.code = report.exited ? WEXITSTATUS(status) : -1;
    report.signal = WIFSIGNALED(status) ? WTERMSIG(status) : -1;
    report.core = WIFSIGNALED(status) && WCOREDUMP(status);
  } else if (std::string code = group("code"); !code.empty()) {
    report.exited = true;
    report.code = std::atoi(code.c_str());
  } else if (std::string signal = group("signal"); !signal.empty()) {
    report.signal = std::atoi(signal.c_str());
    report.core = !group("core").empty();
  } else {
    return std::nullopt;
  }
  return report;
}

std::vector<StatusReport> StatusParser::ParseAll(const std::vector<LogLine>& lines) const {
  std::vector<StatusReport> reports;
  for (const LogLine& line : lines)
    if (auto report = Parse(line.text)) {
      report->stream = line.stream;
      reports.push_back(*report);
    }
  return reports;
}

std::vector<StatusReport> StatusParser::ReportsFor(const std::vector<LogLine>& lines,
                                                   pid_t pid) const {
  std::vector<StatusReport> reports;
  for (const StatusReport& report : ParseAll(lines))
    if (report.pid == pid) reports.push_back(report);
  return reports;
}

}  // namespace forkcheck
