// ECHO-1: every byte comes back unchanged, 1 byte to 1 MiB, random chunks.
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kEcho1 = {
    "ECHO-1", Level::kMust, "core", "echoes every byte unchanged (1 B to 1 MiB, random chunks)",
    "the child must loop read()/write() until read() returns 0, and finish short writes: "
    "write() may accept fewer bytes than asked",
    kNeedsExactEcho};

std::string FirstDifference(const std::string& sent, const std::string& got) {
  size_t at = 0;
  while (at < sent.size() && at < got.size() && sent[at] == got[at]) ++at;
  if (at == sent.size() && at == got.size()) return "";
  if (at == got.size()) return "the echo stops after " + std::to_string(at) + " bytes";
  if (at == sent.size()) return std::to_string(got.size() - at) + " extra bytes after the echo";
  return "byte " + std::to_string(at) + " differs";
}

Outcome Run(Context& context) {
  const size_t sizes[] = {1, 1000, 65536 + 7, 1 << 20};
  for (size_t size : sizes) {
    std::string payload = RandomBytes(context.random, size);  // before connecting: no idle time
    auto client = context.sut.Connect();
    if (!client) return Outcome::Fail("could not connect to port " + std::to_string(context.sut.port()));
    EchoResult result = EchoExchange(*client, payload, 1 + context.random() % 65536,
                                     context.random(), Scaled(Millis(10000)));
    std::string difference = FirstDifference(payload, result.received);
    if (!difference.empty())
      return Outcome::Fail("payload of " + std::to_string(size) + " bytes: " + difference +
                           " (received " + std::to_string(result.received.size()) + ")");
  }
  return Outcome::Pass("4 payloads (1 B, 1000 B, 64 KiB+7, 1 MiB) echoed byte for byte");
}

}  // namespace

FORKCHECK_SCENARIO(echo_1, kEcho1, Run);

}  // namespace forkcheck
