#include "conformance/harness/echo_protocol.h"

namespace forkcheck {
namespace {

// Sends `bytes` and reads them back: "" or what went wrong.
std::string EchoOf(TcpClient& client, const std::string& bytes, Millis budget) {
  Deadline deadline(budget);
  if (!client.SendAll(bytes, deadline.Remaining())) return "could not send " + std::to_string(bytes.size()) + " bytes";
  std::string received = client.ReadUpTo(bytes.size(), deadline.Remaining());
  if (received == bytes) return "";
  return "sent " + std::to_string(bytes.size()) + " bytes, got " + std::to_string(received.size()) +
         (received.size() == bytes.size() ? " different ones" : "") + " back within " +
         std::to_string(budget.count()) + " ms";
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
