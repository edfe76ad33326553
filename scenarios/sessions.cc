#include "scenarios/sessions.h"

#include <sstream>

#include "conformance/harness/procfs.h"
#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"

namespace forkcheck {

std::optional<Session> OpenSession(const Sut& sut, std::string* why) {
  auto client = sut.Connect();
  if (!client) {
    *why = Say("could not connect to port {0}", sut.port());
    return std::nullopt;
  }
  if (std::string failure = sut.protocol().Hold(*client, Scaled(Millis(2000))); !failure.empty()) {
    *why = Say("a new connection was not served: {0}", failure);
    return std::nullopt;
  }
  auto child = sut.ChildServing(*client, Scaled(Millis(2000)));
  if (!child && !ServerRunning(sut)) {
    *why = Tr("the server exited with the connection open");
    return std::nullopt;
  }
  if (!child)
    throw Blocked("CONC-1", Tr("the server serves connections without forking a child for each: no process below "
                               "it holds the connection (CONC-1)"));
  return Session{std::move(*client), *child};
}

bool ServerRunning(const Sut& sut) {
  auto stat = ReadProcStat(sut.pid());
  return stat && !stat->zombie();
}

void RequireChildPerSession(const Sut& sut) {
  std::string why;
  auto session = OpenSession(sut, &why);
  if (!session) return;  // the check itself will meet and report it
  session->client.Close();
  AwaitEnded({session->child}, Scaled(Millis(2000)));
}

std::vector<Session> OpenSessions(const Sut& sut, int count, std::string* why) {
  std::vector<Session> sessions;
  for (int i = 0; i < count; ++i) {
    auto session = OpenSession(sut, why);
    if (!session) {
      *why = Say("session {0} of {1}: {2}", i + 1, count, *why);
      return {};
    }
    sessions.push_back(std::move(*session));
  }
  return sessions;
}

namespace {

// Polls until no pid is `still` any more; returns those that are.
std::vector<pid_t> AwaitNone(const std::vector<pid_t>& pids, bool (*still)(pid_t), Millis budget) {
  std::vector<pid_t> left;
  PollUntil(
      [&] {
        left.clear();
        for (pid_t pid : pids)
          if (still(pid)) left.push_back(pid);
        return left.empty();
      },
      budget, Millis(2));
  return left;
}

bool Running(pid_t pid) {
  auto stat = ReadProcStat(pid);
  return stat && !stat->zombie();
}

}  // namespace

std::vector<pid_t> AwaitReaped(const std::vector<pid_t>& pids, Millis budget) {
  return AwaitNone(pids, ProcessExists, budget);
}

std::vector<pid_t> AwaitEnded(const std::vector<pid_t>& pids, Millis budget) {
  return AwaitNone(pids, Running, budget);
}

void RequireReaped(const std::vector<pid_t>& pids, Millis budget, const char* by, const std::string& situation) {
  std::string evidence = UnreapedEvidence(pids, budget);
  // Two sentences joined by punctuation only: nothing to translate here.
  if (!evidence.empty()) throw Blocked(by, fmt::format("{0}: {1} ({2})", situation, evidence, by));
}

TcpClient::End AwaitSessionEnd(const Sut& sut, Session& session, std::string* received, Millis budget) {
  TcpClient::End end = session.client.ReadToEnd(received, budget);
  if (end != TcpClient::End::kTimeout || !AwaitEnded({session.child}, Millis(0)).empty()) return end;
  std::string holders;
  if (auto inode = sut.ConnectionInode(session.client)) {
    std::vector<pid_t> tree = {sut.pid()};
    for (const ProcStat& proc : DescendantsOf(sut.pid())) tree.push_back(proc.pid);
    for (pid_t pid : tree)
      if (HoldsSocketInode(pid, *inode))
        holders += (holders.empty() ? "" : ", ") +
                   // TRANSLATORS: one entry of a list of process IDs; {0} is the server's own pid.
                   (pid == sut.pid() ? Say("{0} (the parent)", pid) : std::to_string(pid));
  }
  if (holders.empty())
    throw Blocked("FD-2", Say("child {0} ended, but the client saw no EOF: another process still holds the "
                              "connection (FD-2)",
                              session.child));
  // TRANSLATORS: {1} is a list of process IDs.
  throw Blocked("FD-2", Say("child {0} ended, but the client saw no EOF: {1} still holds the connection (FD-2)",
                            session.child, holders));
}

std::string UnreapedEvidence(const std::vector<pid_t>& pids, Millis budget) {
  std::vector<pid_t> left = AwaitReaped(pids, budget);
  if (left.empty()) return "";
  std::vector<pid_t> zombies, alive;
  for (pid_t pid : left) {
    auto stat = ReadProcStat(pid);
    if (stat && stat->zombie()) zombies.push_back(pid);
    else if (stat) alive.push_back(pid);
  }
  // A child that never ended cannot be reaped: that is ECHO-2's concern.
  if (!alive.empty())
    throw Blocked("ECHO-2", Say("{0} of {1} children still ran {2} ms after their sessions ended: {3} (ECHO-2)",
                                alive.size(), pids.size(), budget.count(), PidList(alive)));
  // (No child of `left` still runs here: those were thrown above.)
  if (zombies.empty())
    return Say("{0} of {1} children not reaped {2} ms after their sessions ended", left.size(), pids.size(),
               budget.count());
  return Say("{0} of {1} children not reaped {2} ms after their sessions ended; zombies: {3}", left.size(),
             pids.size(), budget.count(), PidList(zombies));
}

bool ServedOnce(const Sut& sut, Millis budget, std::string* why) {
  Deadline deadline(budget);
  auto client = sut.Connect(budget);
  if (!client) {
    *why = Tr("could not connect");
    return false;
  }
  *why = sut.protocol().Serve(*client, deadline.Remaining());
  return why->empty();
}

std::optional<Pending> StartExchange(const Sut& sut, Millis budget) {
  auto client = sut.Connect(budget);
  if (!client) return std::nullopt;
  sut.protocol().Start(*client);
  return Pending{std::move(*client), ""};
}

bool Answered(const Sut& sut, Pending& pending, Millis budget) {
  return sut.protocol().Answered(pending.client, &pending.so_far, budget);
}

std::vector<pid_t> ChildPids(const std::vector<Session>& sessions) {
  std::vector<pid_t> pids;
  for (const Session& session : sessions) pids.push_back(session.child);
  return pids;
}

std::string PidList(const std::vector<pid_t>& pids, size_t max_shown) {
  std::ostringstream out;
  for (size_t i = 0; i < pids.size() && i < max_shown; ++i) out << (i ? " " : "") << pids[i];
  if (pids.size() <= max_shown) return out.str();
  // TRANSLATORS: {0} is the first process IDs of a longer list, {1} how many it has.
  return Say("{0} ... ({1} in all)", out.str(), pids.size());
}

std::string RandomBytes(std::mt19937_64& random, size_t size) {
  std::string bytes(size, '\0');
  for (size_t at = 0; at < size; at += 8) {
    uint64_t word = random();
    for (size_t i = at; i < size && i < at + 8; ++i, word >>= 8) bytes[i] = static_cast<char>(word & 0xff);
  }
  return bytes;
}

}  // namespace forkcheck
