#ifndef FORKCHECK_HARNESS_ECHO_PROTOCOL_H_
#define FORKCHECK_HARNESS_ECHO_PROTOCOL_H_

#include "conformance/harness/protocol.h"

namespace forkcheck {

// The server sends back every byte it receives.
class EchoProtocol : public Protocol {
 public:
  std::string name() const override { return "echo"; }
  // A large reply is the echo of a large payload.
  bool Provides(Need) const override { return true; }
  std::string Serve(TcpClient& client, Millis budget) const override;
  std::string Hold(TcpClient& client, Millis budget) const override;
  void Start(TcpClient& client) const override;
  bool Answered(TcpClient& client, std::string* so_far, Millis budget) const override;
};

}  // namespace forkcheck

#endif  // FORKCHECK_HARNESS_ECHO_PROTOCOL_H_
