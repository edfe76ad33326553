#ifndef FORKCHECK_HARNESS_EXCHANGE_SCRIPT_H_
#define FORKCHECK_HARNESS_EXCHANGE_SCRIPT_H_

#include <re2/re2.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace forkcheck {

// One step of an exchange file: `send TEXT` (with \r \n \t \\ escapes) or
// `expect REGEX` (RE2, partly matching one received line).
struct ExchangeStep {
  enum Kind { kSend, kExpect } kind;
  std::string text;              // kSend: the bytes; kExpect: the pattern as written
  std::shared_ptr<RE2> pattern;  // kExpect
  int line = 0;                  // in the file, for messages
};

// Parses an exchange file ('#' comments and blank lines ignored). Empty,
// with a one-line `error` naming the file and line, when it cannot.
std::optional<std::vector<ExchangeStep>> ParseExchange(const std::string& text, const std::string& file,
                                                       std::string* error);

}  // namespace forkcheck

#endif  // FORKCHECK_HARNESS_EXCHANGE_SCRIPT_H_
