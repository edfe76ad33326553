#include "conformance/harness/banner_protocol.h"

#include "conformance/harness/lines.h"
#include "conformance/l10n/tr.h"

namespace forkcheck {

std::shared_ptr<const Protocol> BannerProtocol::Create(const std::string& pattern, std::string* error) {
  auto protocol = std::make_shared<BannerProtocol>(pattern);
  if (!protocol->pattern_.ok()) {
    *error = Say("invalid --banner regex '{0}': {1}", pattern, protocol->pattern_.error());
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
  if (received.empty())
    return Say("no line matching the banner /{0}/ within {1} ms (nothing came)", pattern_.pattern(), budget.count());
  return Say("no line matching the banner /{0}/ within {1} ms; got '{2}'", pattern_.pattern(), budget.count(),
             FirstLine(received));
}

}  // namespace forkcheck
