#include "conformance/harness/exchange_protocol.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "conformance/harness/lines.h"
#include "conformance/l10n/tr.h"

namespace forkcheck {
namespace {

// Reads until a line after `*from` matches `step`; "" or what went wrong
// (within `budget`, the whole exchange's).
std::string Expect(TcpClient& client, const ExchangeStep& step, std::string* received, size_t* from,
                   const Deadline& deadline, Millis budget) {
  size_t found_from = *from;
  auto met = [&](const std::string& got) {
    found_from = *from;
    return FindLine(got, *step.pattern, &found_from);
  };
  if (client.ReadUntil(received, met, deadline.Remaining())) {
    *from = found_from;
    return "";
  }
  std::string rest = received->substr(*from);
  // TRANSLATORS: {0} is the step's line in the exchange file, {1} its regex.
  if (rest.empty()) return Say("step {0}: no line matching /{1}/ (nothing more came) within {2} ms", step.line, step.text, budget.count());
  return Say("step {0}: no line matching /{1}/; got '{2}' within {3} ms", step.line, step.text, FirstLine(rest),
             budget.count());
}

}  // namespace

std::shared_ptr<const Protocol> ExchangeProtocol::Load(const std::string& file, std::string* error) {
  std::error_code ignored;
  if (!file.empty() && std::filesystem::is_directory(file, ignored)) {
    *error = Say("cannot read exchange file '{0}': it is a directory", file);
    return nullptr;
  }
  std::ifstream in(file);
  if (file.empty() || !in) {
    *error = Say("cannot read exchange file '{0}': {1}", file, std::strerror(errno ? errno : ENOENT));
    return nullptr;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto steps = ParseExchange(text.str(), file, error);
  if (!steps) return nullptr;
  return std::make_shared<ExchangeProtocol>(file, std::move(*steps));
}

std::string ExchangeProtocol::Serve(TcpClient& client, Millis budget) const {
  Deadline deadline(budget);
  std::string received;
  size_t from = 0;
  for (const ExchangeStep& step : steps_) {
    std::string failure = step.kind == ExchangeStep::kSend
                              ? (client.SendAll(step.text, deadline.Remaining())
                                     ? ""
                                     : Say("step {0}: could not send within {1} ms", step.line, budget.count()))
                              : Expect(client, step, &received, &from, deadline, budget);
    if (!failure.empty()) return failure;
  }
  return "";
}

void ExchangeProtocol::Start(TcpClient& client) const {
  for (const ExchangeStep& step : steps_) {
    if (step.kind == ExchangeStep::kExpect) return;
    client.SendAll(step.text, Scaled(Millis(200)));
  }
}

bool ExchangeProtocol::Answered(TcpClient& client, std::string* so_far, Millis budget) const {
  for (const ExchangeStep& step : steps_) {
    if (step.kind != ExchangeStep::kExpect) continue;
    size_t from = 0;
    return client.ReadUntil(
        so_far, [&](const std::string& got) { from = 0; return FindLine(got, *step.pattern, &from); }, budget);
  }
  return true;
}

}  // namespace forkcheck
