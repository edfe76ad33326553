#ifndef FORKCHECK_HARNESS_BANNER_PROTOCOL_H_
#define FORKCHECK_HARNESS_BANNER_PROTOCOL_H_

#include <re2/re2.h>

#include <memory>
#include <string>

#include "conformance/harness/protocol.h"

namespace forkcheck {

// The server speaks first (SMTP, FTP, SSH): a line matching the banner
// pattern is service; a session is held by saying nothing after it.
class BannerProtocol : public Protocol {
 public:
  static std::shared_ptr<const Protocol> Create(const std::string& pattern, std::string* error);
  explicit BannerProtocol(const std::string& pattern) : pattern_(pattern, RE2::Quiet) {}

  std::string name() const override { return "banner"; }
  bool Provides(Need) const override { return false; }
  std::string Serve(TcpClient& client, Millis budget) const override;
  std::string Hold(TcpClient& client, Millis budget) const override { return Serve(client, budget); }
  void Start(TcpClient&) const override {}
  bool Answered(TcpClient& client, std::string* so_far, Millis budget) const override;

 private:
  RE2 pattern_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_HARNESS_BANNER_PROTOCOL_H_
