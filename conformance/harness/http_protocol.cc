#include "conformance/harness/http_protocol.h"

#include <re2/re2.h>

#include "conformance/harness/lines.h"
#include "conformance/l10n/tr.h"

namespace forkcheck {
namespace {

std::string Request(const std::string& path) {
  return "GET " + path + " HTTP/1.0\r\nHost: localhost\r\nUser-Agent: forkcheck\r\nConnection: close\r\n\r\n";
}

bool HasStatusLine(const std::string& reply) {
  static const RE2 kStatus(R"(^HTTP/1\.[01] [0-9]{3}\b)");
  size_t end = reply.find('\n');
  return end != std::string::npos && RE2::PartialMatch(re2::StringPiece(reply.data(), end), kStatus);
}

bool ValidPath(const std::string& path) {
  if (path.empty() || path[0] != '/') return false;
  for (unsigned char c : path)
    if (c <= ' ' || c == 0x7f) return false;
  return true;
}

}  // namespace

std::shared_ptr<const Protocol> HttpProtocol::Create(const std::string& path, const std::string& large_path,
                                                     std::string* error) {
  for (const std::string* candidate : {&path, &large_path}) {
    if (candidate == &large_path && candidate->empty()) continue;
    if (!ValidPath(*candidate)) {
      *error = Say("invalid HTTP path '{0}': it must start with '/' and hold no spaces or control characters", *candidate);
      return nullptr;
    }
  }
  return std::make_shared<HttpProtocol>(path, large_path);
}

// Served once a status line came; the rest is read to the end, so the
// child finishes its reply instead of meeting a reset.
std::string HttpProtocol::Serve(TcpClient& client, Millis budget) const {
  Deadline deadline(budget);
  if (!client.SendAll(Request(path_), deadline.Remaining())) return Tr("could not send a GET request");
  std::string reply;
  if (!client.ReadUntil(&reply, HasStatusLine, deadline.Remaining()))
    return reply.empty() ? Say("no HTTP status line within {0} ms", budget.count())
                         : Say("no HTTP status line within {0} ms; got '{1}'", budget.count(), FirstLine(reply));
  client.ReadToEnd(&reply, deadline.Remaining());
  return "";
}

std::string HttpProtocol::Hold(TcpClient& client, Millis budget) const {
  std::string unfinished = "GET " + path_ + " HTTP/1.0\r\nHost: localhost\r\n";
  return client.SendAll(unfinished, budget) ? "" : Tr("could not send the start of a request");
}

void HttpProtocol::Start(TcpClient& client) const { client.SendAll(Request(path_), Scaled(Millis(200))); }

bool HttpProtocol::Answered(TcpClient& client, std::string* so_far, Millis budget) const {
  return client.ReadUntil(so_far, HasStatusLine, budget);
}

bool HttpProtocol::RequestLarge(TcpClient& client, Millis budget) const {
  return !large_path_.empty() && client.SendAll(Request(large_path_), budget);
}

std::string HttpProtocol::Complete(const std::string& reply) const {
  size_t end = reply.find("\r\n\r\n");
  if (end == std::string::npos)
    return SayN("the reply's header never ended ({0} byte)", "the reply's header never ended ({0} bytes)", reply.size(),
                reply.size());
  static const RE2 kLength(R"((?im)^content-length:\s*([0-9]+)\s*$)");
  long long expected = 0;
  if (!RE2::PartialMatch(reply.substr(0, end + 2), kLength, &expected)) return "";
  size_t body = reply.size() - end - 4;
  if (static_cast<long long>(body) == expected) return "";
  return Say("got {0} of the {1} body bytes its Content-Length announced", body, expected);
}

}  // namespace forkcheck
