// ECHO-1: every byte comes back unchanged, 1 byte to 1 MiB, random chunks.
#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kEcho1 = {
    "ECHO-1", Level::kMust, "core", N_("echoes every byte unchanged (1 B to 1 MiB, random chunks)"),
    N_("the child must loop read()/write() until read() returns 0, and finish short writes: "
       "write() may accept fewer bytes than asked"),
    kNeedsExactEcho};

std::string FirstDifference(const std::string& sent, const std::string& got) {
  size_t at = 0;
  while (at < sent.size() && at < got.size() && sent[at] == got[at]) ++at;
  if (at == sent.size() && at == got.size()) return "";
  if (at == got.size()) return Say("the echo stops after {0} bytes", at);
  if (at == sent.size()) return Say("{0} extra bytes after the echo", got.size() - at);
  return Say("byte {0} differs", at);
}

Outcome Run(Context& context) {
  const size_t sizes[] = {1, 1000, 65536 + 7, 1 << 20};
  for (size_t size : sizes) {
    std::string payload = RandomBytes(context.random, size);  // before connecting: no idle time
    auto client = context.sut.Connect();
    if (!client) return Outcome::Fail(Say("could not connect to port {0}", context.sut.port()));
    EchoResult result = EchoExchange(*client, payload, 1 + context.random() % 65536,
                                     context.random(), Scaled(Millis(10000)));
    std::string difference = FirstDifference(payload, result.received);
    if (!difference.empty())
      return Outcome::Fail(Say("payload of {0} bytes: {1} (received {2})", size, difference, result.received.size()));
  }
  return Outcome::Pass(Tr("4 payloads (1 B, 1000 B, 64 KiB+7, 1 MiB) echoed byte for byte"));
}

}  // namespace

FORKCHECK_SCENARIO(echo_1, kEcho1, Run);

}  // namespace forkcheck
