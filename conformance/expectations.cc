#include "conformance/expectations.h"

#include <fstream>
#include <sstream>

#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"

namespace forkcheck {
namespace {

std::string Trim(const std::string& text) {
  size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

// One line: "" when it holds nothing, else the error for it.
std::string ParseLine(const std::string& raw, Expectations* into) {
  std::string line = Trim(raw.substr(0, raw.find('#')));
  if (line.empty()) return "";
  std::istringstream words(line);
  std::string id;
  words >> id;
  std::string reason = Trim(line.substr(id.size()));
  if (FindScenario(id) == nullptr) return Say("unknown requirement '{0}' (see forkcheck --list)", id);
  if (reason.empty()) return Say("no reason after {0} (expected 'ID reason...')", id);
  if (!into->reasons.emplace(id, reason).second) return Say("{0} is listed twice", id);
  return "";
}

}  // namespace

std::optional<Expectations> LoadExpectations(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = Say("cannot read the expectations file {0}", path);
    return std::nullopt;
  }
  Expectations expectations;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (std::string problem = ParseLine(line, &expectations); !problem.empty()) {
      *error = path + ":" + std::to_string(number) + ": " + problem;
      return std::nullopt;
    }
  }
  return expectations;
}

}  // namespace forkcheck
