#ifndef FORKCHECK_HARNESS_HTTP_PROTOCOL_H_
#define FORKCHECK_HARNESS_HTTP_PROTOCOL_H_

#include <memory>
#include <string>

#include "conformance/harness/protocol.h"

namespace forkcheck {

// HTTP/1.0 GET with Connection: close. Any "HTTP/1.x NNN" status line is
// service (a 404 is served too); a session is held by a request whose
// header never ends.
class HttpProtocol : public Protocol {
 public:
  // `path` and `large_path` must start with '/'; `large_path` may be empty.
  static std::shared_ptr<const Protocol> Create(const std::string& path, const std::string& large_path,
                                                std::string* error);
  HttpProtocol(std::string path, std::string large_path) : path_(std::move(path)), large_path_(std::move(large_path)) {}

  std::string name() const override { return "http"; }
  bool Provides(Need need) const override { return need == Need::kLargeReply && !large_path_.empty(); }
  std::string Serve(TcpClient& client, Millis budget) const override;
  std::string Hold(TcpClient& client, Millis budget) const override;
  void Start(TcpClient& client) const override;
  bool Answered(TcpClient& client, std::string* so_far, Millis budget) const override;
  bool RequestLarge(TcpClient& client, Millis budget) const override;
  std::string Complete(const std::string& reply) const override;

 private:
  std::string path_;
  std::string large_path_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_HARNESS_HTTP_PROTOCOL_H_
