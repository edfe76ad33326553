// ECHO-2: after the client half-closes, the echo completes and EOF follows.
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kEcho2 = {
    "ECHO-2", Level::kMust, "core", "ends the connection after the client half-closes",
    "when read() returns 0 the client has closed its side: the child must close the socket "
    "and exit (the parent's wait/waitpid then collects it)",
    kNeedsExactEcho};

Outcome Run(Context& context) {
  auto client = context.sut.Connect();
  if (!client) return Outcome::Fail("could not connect");
  std::string payload = RandomBytes(context.random, 4096);
  if (!client->SendAll(payload, Scaled(Millis(2000)))) return Outcome::Fail("could not send 4096 bytes");
  client->ShutdownWrite();
  Clock::time_point half_closed = Clock::now();
  std::string received;
  TcpClient::End end = client->ReadToEnd(&received, Scaled(Millis(1000)) + Scaled(Millis(2000)));
  double elapsed = MillisSince(half_closed);
  // Whether the bytes are right is ECHO-1's concern; this one counts them.
  if (received.size() != payload.size())
    return Outcome::Fail("received " + std::to_string(received.size()) + " of 4096 bytes");
  if (end == TcpClient::End::kTimeout)
    return Outcome::Fail("no EOF within " + std::to_string(Scaled(Millis(3000)).count()) +
                         " ms of the half-close: the connection stays open");
  if (elapsed > static_cast<double>(Scaled(Millis(1000)).count()))
    return Outcome::Fail("EOF came " + std::to_string(static_cast<int>(elapsed)) +
                         " ms after the half-close (limit 1000 ms)");
  return Outcome::Pass("echo complete, then " +
                       std::string(end == TcpClient::End::kEof ? "EOF" : "reset") + " after " +
                       std::to_string(static_cast<int>(elapsed)) + " ms");
}

}  // namespace

FORKCHECK_SCENARIO(echo_2, kEcho2, Run);

}  // namespace forkcheck
