// ECHO-2: after the client half-closes, the echo completes and EOF follows.
#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kEcho2 = {
    "ECHO-2", Level::kMust, "core", N_("ends the connection after the client half-closes"),
    N_("when read() returns 0 the client has closed its side: the child must close the socket "
       "and exit (the parent's wait/waitpid then collects it)"),
    kNeedsExactEcho};

Outcome Run(Context& context) {
  auto client = context.sut.Connect();
  if (!client) return Outcome::Fail(Tr("could not connect"));
  std::string payload = RandomBytes(context.random, 4096);
  if (!client->SendAll(payload, Scaled(Millis(2000)))) return Outcome::Fail(Tr("could not send 4096 bytes"));
  client->ShutdownWrite();
  Clock::time_point half_closed = Clock::now();
  std::string received;
  TcpClient::End end = client->ReadToEnd(&received, Scaled(Millis(1000)) + Scaled(Millis(2000)));
  double elapsed = MillisSince(half_closed);
  // Whether the bytes are right is ECHO-1's concern; this one counts them.
  // An echo cut short by a connection that did end is ECHO-1's failure too.
  if (received.size() != payload.size() && end != TcpClient::End::kTimeout)
    throw Blocked("ECHO-1", Say("the connection ended after the half-close, but only {0} of 4096 bytes came back "
                                "first (ECHO-1)",
                                received.size()));
  if (received.size() != payload.size())
    return Outcome::Fail(Say("received {0} of 4096 bytes", received.size()));
  if (end == TcpClient::End::kTimeout)
    return Outcome::Fail(
        Say("no EOF within {0} ms of the half-close: the connection stays open", Scaled(Millis(3000)).count()));
  if (elapsed > static_cast<double>(Scaled(Millis(1000)).count()))
    return Outcome::Fail(Say("EOF came {0} ms after the half-close (limit 1000 ms)", static_cast<int>(elapsed)));
  if (end == TcpClient::End::kEof)
    return Outcome::Pass(Say("echo complete, then EOF after {0} ms", static_cast<int>(elapsed)));
  return Outcome::Pass(Say("echo complete, then reset after {0} ms", static_cast<int>(elapsed)));
}

}  // namespace

FORKCHECK_SCENARIO(echo_2, kEcho2, Run);

}  // namespace forkcheck
