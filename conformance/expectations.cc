#include "conformance/expectations.h"

#include <fstream>
#include <sstream>

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
  if (FindScenario(id) == nullptr) return "unknown requirement '" + id + "' (see forkcheck --list)";
  if (reason.empty()) return "no reason after " + id + " (expected 'ID reason...')";
  if (!into->reasons.emplace(id, reason).second) return id + " is listed twice";
  return "";
}

}  // namespace

std::optional<Expectations> LoadExpectations(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read the expectations file " + path;
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
