#include "conformance/harness/exchange_script.h"

#include <sstream>

#include "conformance/l10n/tr.h"

namespace forkcheck {
namespace {

bool Unescape(const std::string& text, std::string* out) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      *out += text[i];
      continue;
    }
    if (++i == text.size()) return false;
    switch (text[i]) {
      case 'r': *out += '\r'; break;
      case 'n': *out += '\n'; break;
      case 't': *out += '\t'; break;
      case '\\': *out += '\\'; break;
      default: return false;
    }
  }
  return true;
}

std::optional<ExchangeStep> ParseStep(const std::string& line, int number, std::string* why) {
  size_t space = line.find(' ');
  std::string verb = line.substr(0, space), argument = space == std::string::npos ? "" : line.substr(space + 1);
  ExchangeStep step{ExchangeStep::kSend, "", nullptr, number};
  if (verb == "send") {
    if (!Unescape(argument, &step.text)) *why = Say("bad escape in '{0}' (known: \\r \\n \\t \\\\)", argument);
    else if (step.text.empty()) *why = Tr("send needs some text");
    return why->empty() ? std::optional(step) : std::nullopt;
  }
  if (verb == "expect") {
    step.kind = ExchangeStep::kExpect;
    step.text = argument;
    step.pattern = std::make_shared<RE2>(argument, RE2::Quiet);
    if (argument.empty()) *why = Tr("expect needs a regex");
    else if (!step.pattern->ok()) *why = Say("invalid regex '{0}': {1}", argument, step.pattern->error());
    return why->empty() ? std::optional(step) : std::nullopt;
  }
  *why = Say("unknown step '{0}' (a step is 'send TEXT' or 'expect REGEX')", verb);
  return std::nullopt;
}

}  // namespace

std::optional<std::vector<ExchangeStep>> ParseExchange(const std::string& text, const std::string& file,
                                                       std::string* error) {
  std::vector<ExchangeStep> steps;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::string why;
    auto step = ParseStep(line, number, &why);
    if (!step) {
      // TRANSLATORS: {2} says what is wrong with the line.
      *error = Say("exchange file {0} line {1}: {2}", file, number, why);
      return std::nullopt;
    }
    steps.push_back(std::move(*step));
  }
  if (steps.empty()) {
    *error = Say("exchange file {0} has no steps ('send TEXT' or 'expect REGEX', one per line)", file);
    return std::nullopt;
  }
  return steps;
}

}  // namespace forkcheck
