#ifndef FORKCHECK_HARNESS_PROTOCOL_H_
#define FORKCHECK_HARNESS_PROTOCOL_H_

#include <memory>
#include <string>

#include "conformance/harness/deadline.h"
#include "conformance/harness/tcp_client.h"
#include "conformance/l10n/tr.h"

namespace forkcheck {

// What a check may need from the protocol the server speaks, beyond what
// every protocol gives: seeing service on a new connection, and holding a
// session open with its child waiting on the client.
enum class Need {
  kExactEcho,   // bytes come back exactly as sent (echo)
  kLargeReply,  // a reply large enough to fill the socket buffers, read slowly
};
const char* NeedName(Need need);

// The kit's side of one protocol. Every check talks to the server through
// this interface only (scenarios/sessions.h): the process-level checks are
// the same whatever the server speaks.
class Protocol {
 public:
  virtual ~Protocol() = default;
  virtual std::string name() const = 0;  // "echo", "http", "banner", "exchange:FILE"
  virtual bool Provides(Need need) const = 0;
  // Why a check that needs `need` is skipped under this protocol.
  virtual std::string Lacks(Need need) const;

  // One complete exchange on a new connection: "" when served, else what
  // went wrong, in words for the evidence.
  virtual std::string Serve(TcpClient& client, Millis budget) const = 0;
  // Brings the session to where its child waits on the client (a request
  // half sent, the banner read, the script done): "" or what went wrong.
  virtual std::string Hold(TcpClient& client, Millis budget) const = 0;
  // For clients queued behind others: what opens an exchange, sent without
  // waiting ...
  virtual void Start(TcpClient& client) const = 0;
  // ... and whether its answer has arrived: reads into `so_far` (kept by
  // the caller between calls) for at most `budget` (zero: what is there).
  virtual bool Answered(TcpClient& client, std::string* so_far, Millis budget) const = 0;

  // kLargeReply: asks for the large reply; `Complete` says whether what was
  // read is all of it ("" when complete, else what is missing).
  virtual bool RequestLarge(TcpClient& /*client*/, Millis /*budget*/) const { return false; }
  virtual std::string Complete(const std::string& /*reply*/) const { return Tr("not supported"); }
};

// The protocol options of the command line.
struct ProtocolSpec {
  std::string name = "echo";  // echo | http | banner | exchange:FILE
  std::string http_path = "/";
  std::string http_large_path;  // kLargeReply under http; empty: none
  std::string banner = ".";     // RE2, partial match on the first line
};

// Null with a one-line `error` naming the problem: an unknown protocol, an
// unreadable or malformed exchange file, an invalid regex.
std::shared_ptr<const Protocol> MakeProtocol(const ProtocolSpec& spec, std::string* error);

}  // namespace forkcheck

#endif  // FORKCHECK_HARNESS_PROTOCOL_H_
