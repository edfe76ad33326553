#include "conformance/harness/banner_protocol.h"

#include "conformance/harness/lines.h"

namespace forkcheck {

std::shared_ptr<const Protocol> BannerProtocol::Create(const std::string& pattern, std::string* error) {
  auto protocol = std::make_shared<BannerProtocol>(pattern);
  if (!protocol->pattern_.ok()) {
    *error = "invalid --banner regex '" + pattern + "': " + protocol->pattern_.error();
    return nullptr;
  }
  return protocol;
}

bool BannerProtocol::Answered(TcpClient& client, std::string* so_far, Millis budget) const {
  return client.ReadUntil(
      so_far, [this](const std::string& got) { size_t from = 0; return FindLine(got, pattern_, &from); }, budget);
}

std::string BannerProtocol::Serve(TcpClient& client, Millis budget) const {
  std::string received;
  if (Answered(client, &received, budget)) return "";
  return "no line matching the banner /" + pattern_.pattern() + "/ within " + std::to_string(budget.count()) + " ms" +
         (received.empty() ? " (nothing came)" : "; got '" + FirstLine(received) + "'");
}

}  // namespace forkcheck
