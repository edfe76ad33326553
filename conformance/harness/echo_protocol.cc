#include "conformance/harness/echo_protocol.h"

#include "conformance/l10n/tr.h"

namespace forkcheck {
namespace {

// Sends `bytes` and reads them back: "" or what went wrong.
std::string EchoOf(TcpClient& client, const std::string& bytes, Millis budget) {
  Deadline deadline(budget);
  if (!client.SendAll(bytes, deadline.Remaining()))
    return SayN("could not send {0} byte", "could not send {0} bytes", bytes.size(), bytes.size());
  std::string received = client.ReadUpTo(bytes.size(), deadline.Remaining());
  if (received == bytes) return "";
  if (received.size() == bytes.size())
    return SayN("sent {0} byte, got {1} different ones back within {2} ms",
                "sent {0} bytes, got {1} different ones back within {2} ms", bytes.size(), bytes.size(),
                received.size(), budget.count());
  return SayN("sent {0} byte, got {1} back within {2} ms", "sent {0} bytes, got {1} back within {2} ms", bytes.size(),
              bytes.size(), received.size(), budget.count());
}

}  // namespace

std::string EchoProtocol::Serve(TcpClient& client, Millis budget) const { return EchoOf(client, "forkcheck\n", budget); }

std::string EchoProtocol::Hold(TcpClient& client, Millis budget) const { return EchoOf(client, "+\n", budget); }

void EchoProtocol::Start(TcpClient& client) const { client.SendAll("q", Scaled(Millis(200))); }

bool EchoProtocol::Answered(TcpClient& client, std::string* so_far, Millis budget) const {
  client.ReadUntil(so_far, [](const std::string& got) { return !got.empty(); }, budget);
  return so_far->rfind("q", 0) == 0;
}

}  // namespace forkcheck
