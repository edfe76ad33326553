#ifndef FORKCHECK_HARNESS_EXCHANGE_PROTOCOL_H_
#define FORKCHECK_HARNESS_EXCHANGE_PROTOCOL_H_

#include <memory>
#include <string>
#include <vector>

#include "conformance/harness/exchange_script.h"
#include "conformance/harness/protocol.h"

namespace forkcheck {

// A line protocol described by a script of send/expect steps: the whole
// script is service; a session is held after its last step.
class ExchangeProtocol : public Protocol {
 public:
  static std::shared_ptr<const Protocol> Load(const std::string& file, std::string* error);
  ExchangeProtocol(std::string file, std::vector<ExchangeStep> steps) : file_(std::move(file)), steps_(std::move(steps)) {}

  std::string name() const override { return "exchange:" + file_; }
  bool Provides(Need) const override { return false; }
  std::string Serve(TcpClient& client, Millis budget) const override;
  std::string Hold(TcpClient& client, Millis budget) const override { return Serve(client, budget); }
  // The sends before the first expect ...
  void Start(TcpClient& client) const override;
  // ... and that first expect met.
  bool Answered(TcpClient& client, std::string* so_far, Millis budget) const override;

 private:
  std::string file_;
  std::vector<ExchangeStep> steps_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_HARNESS_EXCHANGE_PROTOCOL_H_
