// INTR-3: a child interrupted by signals mid-transfer completes the echo.
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <cerrno>
#include <utility>

#include "conformance/harness/procfs.h"
#include "conformance/inject/fault_plan.h"
#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"
#include "scenarios/signal_storm.h"

namespace forkcheck {
namespace {

constexpr Requirement kIntr3 = {
    "INTR-3", Level::kMust, "core", N_("completes the echo when a child is interrupted by signals"),
    N_("the child inherits the parent's SIGCHLD handler from fork(): read() and write() may fail "
       "with EINTR or transfer fewer bytes than asked; retry them, and write the rest, instead of "
       "ending the session or dropping bytes"),
    NeedBit(Need::kLargeReply)};

// On top of the real signals: the children's socket reads and writes fail
// with EINTR now and then and move at most a few hundred bytes each.
std::string ArmTransfers(Context& context) {
  if (context.faults == nullptr) return Say("no injected faults ({0})", context.faults_unavailable);
  // Writes capped below reads, so echoing one read takes several writes.
  for (auto [family, cap] : {std::pair{Family::kRead, PickInRange(context.random, 1024, 4096)},
                             std::pair{Family::kWrite, PickInRange(context.random, 64, 512)}}) {
    FaultRule rule{EINTR, 0, -1, PickInRange(context.random, 3, 7), static_cast<int>(cap), Role::kChildren};
    std::string why;
    if (!context.faults->Arm(family, rule, &why)) return Say("no injected faults ({0})", why);
  }
  return "";
}

// Sends without reading until the connection stalls: the child then sits
// in a blocking write() to a full socket, where a signal that arrives after
// part of the buffer went out makes write() return a short count. This is
// the kernel's own short write, no injection needed. Returns bytes sent.
size_t SendUntilStalled(TcpClient& client, const std::string& payload) {
  size_t sent = 0;
  while (sent < payload.size()) {
    ssize_t n = send(client.fd(), payload.data() + sent, payload.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) break;
    pollfd writable{client.fd(), POLLOUT, 0};
    if (poll(&writable, 1, static_cast<int>(Scaled(Millis(100)).count())) == 0) break;
  }
  return sent;
}

// Back-pressure with a signal storm: the child's writes block and are
// interrupted part-way; every byte must still come back, in order.
std::string BackPressureFailure(Context& context) {
  // Made before the session opens, so no idle timeout runs meanwhile.
  std::string payload = RandomBytes(context.random, 16 << 20);
  std::string why;
  auto session = OpenSession(context.sut, &why);
  if (!session) return why;
  SignalStorm storm(session->child, SIGCHLD, std::chrono::microseconds(100), context.sut.events());
  size_t stalled_at = SendUntilStalled(session->client, payload);
  EchoResult rest = EchoExchange(session->client, payload.substr(stalled_at), 65536, context.random(),
                                 Scaled(Millis(20000)), AfterSending::kKeepOpen);
  if (rest.received == payload) return "";
  if (rest.received == payload.substr(0, rest.received.size()))
    return Say("back-pressure: the client sent {0} bytes before reading any, so child {1} blocked in write() while "
               "{2} SIGCHLD arrived; {3} of {4} bytes came back (the session ended early)",
               stalled_at, session->child, storm.sent(), rest.received.size(), payload.size());
  return Say("back-pressure: the client sent {0} bytes before reading any, so child {1} blocked in write() while {2} "
             "SIGCHLD arrived; {3} of {4} bytes came back (with missing or corrupted bytes)",
             stalled_at, session->child, storm.sent(), rest.received.size(), payload.size());
}

// Without signals or faults first: an echo that is already wrong is ECHO-1's.
void RequireExactEcho(Context& context, const std::string& payload) {
  auto client = context.sut.Connect();
  if (!client) return;
  EchoResult plain = EchoExchange(*client, payload, 65536, context.random(), Scaled(Millis(10000)),
                                  AfterSending::kKeepOpen);
  if (plain.received != payload)
    throw Blocked("ECHO-1", Say("without any signal, {0} bytes came back for {1} sent, not the same bytes (ECHO-1)",
                                plain.received.size(), payload.size()));
}

bool BlockedWriting(pid_t pid) {
  long call = SleepingSyscall("/proc/" + std::to_string(pid));
  return call == SYS_write || call == SYS_writev || call == SYS_sendto || call == SYS_sendmsg;
}

// Reads the reply 16 KiB at a time, each time once the child sleeps in a
// write again (or 20 ms passed): so the storm keeps finding it blocked,
// where a signal makes write() fail with EINTR or return a short count.
TcpClient::End ReadSlowly(TcpClient& client, pid_t child, std::string* reply, Millis budget) {
  constexpr size_t kChunk = 16384;
  Deadline deadline(budget);
  for (size_t want = kChunk; !deadline.Expired(); want = reply->size() + kChunk) {
    PollUntil([&] { return BlockedWriting(child); }, std::min(Scaled(Millis(20)), deadline.Remaining()), Millis(1));
    if (!client.ReadUntil(reply, [&](const std::string& got) { return got.size() >= want; }, deadline.Remaining()))
      return client.ReadToEnd(reply, Millis(0));
  }
  return TcpClient::End::kTimeout;
}

// Without echo (--protocol=http): the large reply, read while a SIGCHLD
// storm hits the child blocked writing it to a full socket, with EINTR and
// short transfers injected on top, must arrive complete.
Outcome LargeReplyUnderSignals(Context& context) {
  const Protocol& protocol = context.sut.protocol();
  if (!protocol.Provides(Need::kLargeReply)) return Outcome::Skip(protocol.Lacks(Need::kLargeReply));
  auto client = context.sut.Connect();
  if (!client) return Outcome::Fail(Tr("could not connect"));
  client->ShrinkReceiveBuffer(16384);
  std::string not_injected = ArmTransfers(context);
  if (!protocol.RequestLarge(*client, Scaled(Millis(2000))))
    return Outcome::Fail(Tr("could not ask for the large reply"));
  auto child = context.sut.ChildServing(*client, Scaled(Millis(2000)));
  if (!child)
    return Outcome::Fail(Tr("no child of the server holds the connection that asked for the large reply"));
  std::string reply;
  TcpClient::End end;
  long sent = 0;
  {
    SignalStorm storm(*child, SIGCHLD, std::chrono::microseconds(100), context.sut.events());
    end = ReadSlowly(*client, *child, &reply, Scaled(Millis(20000)));
    sent = storm.sent();
  }
  if (context.faults) context.faults->DisarmAll();
  std::string faults = not_injected.empty() ? context.faults->Describe() : not_injected;
  std::string incomplete = end == TcpClient::End::kEof ? protocol.Complete(reply) : Tr("it never ended");
  if (!incomplete.empty())
    // TRANSLATORS: {3} describes the injected faults ("preload: read EINTR x12 ...") or why there were none.
    return Outcome::Fail(Say("with {0} SIGCHLD sent to child {1} during a reply of {2} bytes and {3}, the reply was "
                             "not complete: {4}",
                             sent, *child, reply.size(), faults, incomplete));
  return Outcome::Pass(Say("a reply of {0} bytes arrived complete while {1} SIGCHLD interrupted child {2}, with {3}",
                           reply.size(), sent, *child, faults));
}

Outcome Run(Context& context) {
  if (!context.sut.protocol().Provides(Need::kExactEcho)) return LargeReplyUnderSignals(context);
  RequireExactEcho(context, RandomBytes(context.random, 1 << 20));
  if (std::string failure = BackPressureFailure(context); !failure.empty()) return Outcome::Fail(failure);
  std::string payload = RandomBytes(context.random, 1 << 20);
  std::string why;
  auto session = OpenSession(context.sut, &why);
  if (!session) return Outcome::Fail(why);
  std::string not_injected = ArmTransfers(context);
  SignalStorm storm(session->child, SIGCHLD, std::chrono::microseconds(100), context.sut.events());
  EchoResult result = EchoExchange(session->client, payload, 4096, context.random(), Scaled(Millis(10000)),
                                   AfterSending::kKeepOpen);
  long sent = storm.sent();
  if (context.faults) context.faults->DisarmAll();
  std::string faults = not_injected.empty() ? context.faults->Describe() : not_injected;
  if (result.received != payload) {
    if (result.received == payload.substr(0, result.received.size()))
      return Outcome::Fail(Say("with {0} SIGCHLD sent to child {1} during the transfer and {2}, {3} of {4} bytes came "
                               "back (the session ended early)",
                               sent, session->child, faults, result.received.size(), payload.size()));
    return Outcome::Fail(Say("with {0} SIGCHLD sent to child {1} during the transfer and {2}, {3} of {4} bytes came "
                             "back (with missing or corrupted bytes)",
                             sent, session->child, faults, result.received.size(), payload.size()));
  }
  return Outcome::Pass(Say("16 MiB echoed intact through back-pressure under a SIGCHLD storm; 1 MiB echoed intact "
                           "while {0} SIGCHLD interrupted the child, with {1}",
                           sent, faults));
}

}  // namespace

FORKCHECK_FAULT_SCENARIO(intr_3, kIntr3, Run);

}  // namespace forkcheck
