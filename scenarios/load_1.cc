// LOAD-1: many short sessions leave nothing behind and the server serves on.
#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "conformance/harness/procfs.h"
#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kLoad1 = {
    "LOAD-1", Level::kMust, "core", N_("keeps serving after many short sessions"),
    N_("what leaks a little per session (a slot in a child table, a descriptor, memory) only shows after "
       "thousands: free every resource a session took, in the parent too, on every path (a child that ended "
       "early, a reopened log), and count children only once, with SIGCHLD blocked around fork()"),
    /*needs=*/0, Company::kAny, /*long_running=*/true};

constexpr int kClients = 4;
constexpr int kSessionsPerClient = 500;

// How the load went, shared by the client threads.
struct LoadProgress {
  Clock::time_point start = Clock::now();
  std::atomic<int> done{0};
  std::atomic<int> refused{0};
  std::atomic<bool> stalled{false};      // the accept queue did not move for 5 s
  std::atomic<int64_t> last_done_ms{0};  // since start
};

// A short session: connect, the opening of an exchange, close, without
// waiting for the answer. A client connects only while at most one connection waits in the
// accept queue, so the load runs at the server's pace and a server with a
// short backlog (socat's 5) drops no SYN; the whole load has one deadline.
// A queue that does not move for 5 s means the server stopped accepting:
// the load ends there instead of at its deadline.
void RunClient(const Sut& sut, int sessions, const Deadline& deadline, LoadProgress* progress) {
  for (int i = 0; i < sessions && !deadline.Expired(); ++i) {
    Millis stall = std::min(Scaled(Millis(5000)), deadline.Remaining());
    if (!PollUntil([&] { return AcceptQueueLength(sut.port()).value_or(0) < 2; }, stall, Millis(1))) {
      if (!deadline.Expired()) progress->stalled = true;
      return;
    }
    auto pending = StartExchange(sut, std::min(Scaled(Millis(2000)), deadline.Remaining()));
    if (!pending) {
      ++progress->refused;
      continue;
    }
    pending->client.Close();
    ++progress->done;
    progress->last_done_ms = static_cast<int64_t>(MillisSince(progress->start));
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
    throw Blocked("FD-2", Say("the parent's descriptors grew from {0} to {1} over 20 sessions: a leak in every "
                              "session (FD-2)",
                              baseline, now));
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
  if (zombies.empty()) return "";
  // TRANSLATORS: {1} is a list of process IDs.
  return SayN("{0} zombie left: {1}", "{0} zombies left: {1}", zombies.size(), zombies.size(), PidList(zombies));
}

Outcome Run(Context& context) {
  RequireChildPerSession(context.sut);
  int baseline = BaselineAfterFewSessions(context);
  if (baseline < 0) return Outcome::Fail(Tr("the server did not serve a first session"));
  LoadProgress progress;
  const Clock::time_point start = progress.start;
  // Well inside the case budget, so that a slow load is judged, not killed.
  Deadline deadline = Deadline::Scaled(Millis(40000));
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i)
    clients.emplace_back([&] { RunClient(context.sut, kSessionsPerClient, deadline, &progress); });
  for (std::thread& client : clients) client.join();
  const int wanted = kClients * kSessionsPerClient;
  const bool progressing = MillisSince(start) - progress.last_done_ms < Scaled(Millis(5000)).count();
  if (progress.done < wanted && (progress.stalled || !progressing))
    return Outcome::Fail(
        Say("only {0} of {1} short sessions got through in {2} s ({3} connections refused, {4} "
            "waiting in its accept queue): the server stopped accepting",
            progress.done.load(), wanted, static_cast<int>(MillisSince(start) / 1000), progress.refused.load(),
            AcceptQueueLength(context.sut.port()).value_or(0)));
  // Still serving when the deadline came: a slow server (or machine), judged
  // on the sessions it did serve.
  const int sessions = progress.done;
  // The kernel queues what the server has not accepted yet: the load is
  // over when the queue is empty and every child has ended.
  uint16_t port = context.sut.port();
  bool drained =
      PollUntil([&] { return AcceptQueueLength(port).value_or(0) == 0 && context.sut.LiveChildren().empty(); },
                std::max(deadline.Remaining(), Scaled(Millis(5000))), Millis(5));
  double seconds = MillisSince(start) / 1000.0;
  if (!drained)
    return Outcome::Fail(Say(
        "the server stopped working through {0} short sessions: after {1} s, {2} connections "
        "wait in its queue and {3} children run",
        sessions, static_cast<int>(seconds), AcceptQueueLength(port).value_or(0), context.sut.LiveChildren().size()));
  // TRANSLATORS: {2} is a duration in seconds, {3} a rate.
  std::string rate =
      sessions < wanted
          // TRANSLATORS: {3} is a duration in seconds, {4} a rate.
          ? Say("{0} of {1} short sessions from {2} clients in {3} s ({4} sessions/s; the load was cut at its "
                "deadline while still being served)",
                sessions, wanted, kClients, std::to_string(seconds).substr(0, 4), static_cast<int>(sessions / seconds))
          : Say("{0} short sessions from {1} clients in {2} s ({3} sessions/s)", sessions, kClients,
                std::to_string(seconds).substr(0, 4), static_cast<int>(sessions / seconds));
  // Zombies first: a new session could make a lazy server reap them.
  if (std::string zombies = ZombiesLeft(context); !zombies.empty())
    // TRANSLATORS: {0} says how many sessions ran and how fast; {1} how many zombies are left.
    throw Blocked("REAP-2", Say("after {0}: {1} (REAP-2)", rate, zombies));
  std::string why;
  if (!ServedOnce(context.sut, Scaled(Millis(2000)), &why))
    return Outcome::Fail(progress.refused > 0
                             ? Say("after {0}, a new session was not served: {1}; {2} connections were "
                                   "refused",
                                   rate, why, progress.refused.load())
                             : Say("after {0}, a new session was not served: {1}", rate, why));
  int now = baseline;
  if (!PollUntil([&] { return (now = CountOpenFds(context.sut.pid())) <= baseline; }, Scaled(Millis(1000))))
    return Outcome::Fail(
        Say("after {0}, the parent held {1} descriptors, {2} before: it leaks as sessions go by", rate, now, baseline));
  // TRANSLATORS: {0} says how many sessions ran and how fast.
  return Outcome::Pass(
      Say("{0}; no zombie left, the parent's descriptors back at {1}, and a new session served", rate, baseline));
}

}  // namespace

FORKCHECK_SCENARIO(load_1, kLoad1, Run);

}  // namespace forkcheck
