// LOAD-1: many short sessions leave nothing behind and the server serves on.
#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "conformance/harness/procfs.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kLoad1 = {
    "LOAD-1", Level::kMust, "core", "keeps serving after many short sessions",
    "what leaks a little per session (a slot in a child table, a descriptor, memory) only shows after "
    "thousands: free every resource a session took, in the parent too, on every path (a child that ended "
    "early, a reopened log), and count children only once, with SIGCHLD blocked around fork()"};

constexpr int kClients = 4;
constexpr int kSessionsPerClient = 500;

// A short session: connect, the opening of an exchange, close, without
// waiting for the answer. A client connects only while at most one connection waits in the
// accept queue, so the load runs at the server's pace and a server with a
// short backlog (socat's 5) drops no SYN; the whole load has one deadline.
// A queue that does not move for 5 s means the server stopped accepting:
// the load ends there instead of at its deadline.
void RunClient(const Sut& sut, int sessions, const Deadline& deadline, std::atomic<int>* done,
               std::atomic<int>* refused) {
  for (int i = 0; i < sessions && !deadline.Expired(); ++i) {
    Millis stall = std::min(Scaled(Millis(5000)), deadline.Remaining());
    if (!PollUntil([&] { return AcceptQueueLength(sut.port()).value_or(0) < 2; }, stall, Millis(1)))
      return;
    auto pending = StartExchange(sut, std::min(Scaled(Millis(2000)), deadline.Remaining()));
    if (!pending) {
      ++*refused;
      continue;
    }
    pending->client.Close();
    ++*done;
  }
}

// A few sessions first: a leak in every session is FD-2's, not this one's.
int BaselineAfterFewSessions(Context& context) {
  pid_t server = context.sut.pid();
  std::string why;
  if (!ServedOnce(context.sut, Scaled(Millis(2000)), &why)) return -1;
  PollUntil([&] { return context.sut.LiveChildren().empty(); }, Scaled(Millis(1000)));
  int baseline = CountOpenFds(server);
  for (int i = 0; i < 20; ++i) ServedOnce(context.sut, Scaled(Millis(2000)), &why);
  int now = baseline;
  if (!PollUntil([&] { return (now = CountOpenFds(server)) <= baseline; }, Scaled(Millis(1000))))
    throw Blocked("FD-2", "the parent's descriptors grew from " + std::to_string(baseline) + " to " +
                              std::to_string(now) + " over 20 sessions: a leak in every session (FD-2)");
  return baseline;
}

std::string ZombiesLeft(Context& context) {
  Millis grace = Scaled(Millis(context.declared.reap_grace_ms));
  std::vector<pid_t> zombies;
  PollUntil(
      [&] {
        zombies.clear();
        for (const ProcStat& child : context.sut.ZombieChildren()) zombies.push_back(child.pid);
        return zombies.empty();
      },
      grace + Scaled(Millis(1000)));
  return zombies.empty() ? "" : std::to_string(zombies.size()) + " zombies left: " + PidList(zombies);
}

Outcome Run(Context& context) {
  RequireChildPerSession(context.sut);
  int baseline = BaselineAfterFewSessions(context);
  if (baseline < 0) return Outcome::Fail("the server did not serve a first session");
  std::atomic<int> refused{0}, done{0};
  Clock::time_point start = Clock::now();
  Deadline deadline = Deadline::Scaled(Millis(60000));
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i)
    clients.emplace_back([&] { RunClient(context.sut, kSessionsPerClient, deadline, &done, &refused); });
  for (std::thread& client : clients) client.join();
  if (done < kClients * kSessionsPerClient)
    return Outcome::Fail("only " + std::to_string(done.load()) + " of " + std::to_string(kClients * kSessionsPerClient) +
                         " short sessions got through in " + std::to_string(static_cast<int>(MillisSince(start) / 1000)) +
                         " s (" + std::to_string(refused.load()) + " connections refused, " +
                         std::to_string(AcceptQueueLength(context.sut.port()).value_or(0)) +
                         " waiting in its accept queue): the server stopped accepting");
  // The kernel queues what the server has not accepted yet: the load is
  // over when the queue is empty and every child has ended.
  uint16_t port = context.sut.port();
  bool drained = PollUntil(
      [&] { return AcceptQueueLength(port).value_or(0) == 0 && context.sut.LiveChildren().empty(); },
      std::max(deadline.Remaining(), Scaled(Millis(5000))), Millis(5));
  double seconds = MillisSince(start) / 1000.0;
  int sessions = kClients * kSessionsPerClient;
  if (!drained)
    return Outcome::Fail("the server stopped working through " + std::to_string(sessions) +
                         " short sessions: after " + std::to_string(static_cast<int>(seconds)) + " s, " +
                         std::to_string(AcceptQueueLength(port).value_or(0)) + " connections wait in its queue and " +
                         std::to_string(context.sut.LiveChildren().size()) + " children run");
  std::string rate = std::to_string(sessions) + " short sessions from " + std::to_string(kClients) + " clients in " +
                     std::to_string(seconds).substr(0, 4) + " s (" +
                     std::to_string(static_cast<int>(sessions / seconds)) + " sessions/s)";
  // Zombies first: a new session could make a lazy server reap them.
  if (std::string zombies = ZombiesLeft(context); !zombies.empty())
    throw Blocked("REAP-2", "after " + rate + ": " + zombies + " (REAP-2)");
  std::string why;
  if (!ServedOnce(context.sut, Scaled(Millis(2000)), &why))
    return Outcome::Fail("after " + rate + ", a new session was not served: " + why +
                         (refused > 0 ? "; " + std::to_string(refused.load()) + " connections were refused" : ""));
  int now = baseline;
  if (!PollUntil([&] { return (now = CountOpenFds(context.sut.pid())) <= baseline; }, Scaled(Millis(1000))))
    return Outcome::Fail("after " + rate + ", the parent held " + std::to_string(now) + " descriptors, " +
                         std::to_string(baseline) + " before: it leaks as sessions go by");
  return Outcome::Pass(rate + "; no zombie left, the parent's descriptors back at " + std::to_string(baseline) +
                       ", and a new session served");
}

}  // namespace

FORKCHECK_SCENARIO(load_1, kLoad1, Run);

}  // namespace forkcheck
