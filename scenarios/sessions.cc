#include "scenarios/sessions.h"

#include <sstream>

#include "conformance/harness/procfs.h"

namespace forkcheck {

std::optional<Session> OpenSession(const Sut& sut, std::string* why) {
  auto client = sut.Connect();
  if (!client) {
    *why = "could not connect to port " + std::to_string(sut.port());
    return std::nullopt;
  }
  if (!client->SendAll("+\n", Scaled(Millis(1000))) ||
      client->ReadUpTo(2, Scaled(Millis(2000))) != "+\n") {
    *why = "a new connection was not echoed within " +
           std::to_string(Scaled(Millis(2000)).count()) + " ms";
    return std::nullopt;
  }
  auto child = sut.ChildServing(*client, Scaled(Millis(2000)));
  if (!child) {
    *why = "no child process of the server holds the connection (is it forking per connection?)";
    return std::nullopt;
  }
  return Session{std::move(*client), *child};
}

std::vector<Session> OpenSessions(const Sut& sut, int count, std::string* why) {
  std::vector<Session> sessions;
  for (int i = 0; i < count; ++i) {
    auto session = OpenSession(sut, why);
    if (!session) {
      *why = "session " + std::to_string(i + 1) + " of " + std::to_string(count) + ": " + *why;
      return {};
    }
    sessions.push_back(std::move(*session));
  }
  return sessions;
}

std::vector<pid_t> AwaitReaped(const std::vector<pid_t>& pids, Millis budget) {
  std::vector<pid_t> left;
  PollUntil(
      [&] {
        left.clear();
        for (pid_t pid : pids)
          if (ProcessExists(pid)) left.push_back(pid);
        return left.empty();
      },
      budget, Millis(2));
  return left;
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
  std::ostringstream out;
  out << left.size() << " of " << pids.size() << " children not reaped "
      << budget.count() << " ms after their sessions ended";
  if (!zombies.empty()) out << "; zombies: " << PidList(zombies);
  if (!alive.empty()) out << "; still running: " << PidList(alive);
  return out.str();
}

bool EchoesOnce(const Sut& sut, const std::string& payload, Millis budget, std::string* why) {
  auto client = sut.Connect(budget);
  if (!client) {
    *why = "could not connect";
    return false;
  }
  EchoResult result = EchoExchange(*client, payload, payload.size(), 1, budget);
  if (result.received != payload) {
    *why = "sent " + std::to_string(payload.size()) + " bytes, got " +
           std::to_string(result.received.size()) + " back" +
           (result.end == TcpClient::End::kTimeout ? " before the deadline" : "");
    return false;
  }
  return true;
}

std::vector<pid_t> ChildPids(const std::vector<Session>& sessions) {
  std::vector<pid_t> pids;
  for (const Session& session : sessions) pids.push_back(session.child);
  return pids;
}

std::string PidList(const std::vector<pid_t>& pids, size_t max_shown) {
  std::ostringstream out;
  for (size_t i = 0; i < pids.size() && i < max_shown; ++i) out << (i ? " " : "") << pids[i];
  if (pids.size() > max_shown) out << " ... (" << pids.size() << " in all)";
  return out.str();
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
