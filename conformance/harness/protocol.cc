#include "conformance/harness/protocol.h"

#include "conformance/harness/banner_protocol.h"
#include "conformance/harness/echo_protocol.h"
#include "conformance/harness/exchange_protocol.h"
#include "conformance/harness/http_protocol.h"
#include "conformance/l10n/tr.h"

namespace forkcheck {

const char* NeedName(Need need) {
  switch (need) {
    case Need::kExactEcho: return Tr("exact echo");
    case Need::kLargeReply: return Tr("a large reply");
  }
  return "?";
}

std::string Protocol::Lacks(Need need) const {
  switch (need) {
    case Need::kExactEcho:
      // TRANSLATORS: why a check is skipped; {0} is the protocol ("http", "banner", "exchange:FILE").
      return Say("needs every byte sent to come back unchanged, which only --protocol=echo gives ({0} does not echo)",
                 name());
    case Need::kLargeReply:
      return Say("needs a reply large enough to fill the socket buffers, which {0} cannot ask for (with "
                 "--protocol=http, name one with --http-large-path)",
                 name());
  }
  return "";
}

std::shared_ptr<const Protocol> MakeProtocol(const ProtocolSpec& spec, std::string* error) {
  const std::string exchange = "exchange:";
  if (spec.name == "echo") return std::make_shared<EchoProtocol>();
  if (spec.name == "http") return HttpProtocol::Create(spec.http_path, spec.http_large_path, error);
  if (spec.name == "banner") return BannerProtocol::Create(spec.banner, error);
  if (spec.name.rfind(exchange, 0) == 0) return ExchangeProtocol::Load(spec.name.substr(exchange.size()), error);
  *error = Say("unknown protocol '{0}' (known: echo, http, banner, exchange:FILE)", spec.name);
  return nullptr;
}

}  // namespace forkcheck
