#ifndef FORKCHECK_SCENARIOS_SESSIONS_H_
#define FORKCHECK_SCENARIOS_SESSIONS_H_

#include <sys/types.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "conformance/harness/sut.h"
#include "conformance/harness/tcp_client.h"

namespace forkcheck {

// A connection the kit opened, and the server process that serves it.
struct Session {
  TcpClient client;
  pid_t child = -1;
};

// Connects and confirms a child serves the connection (one echoed byte,
// then the child found through /proc). Empty, with `why`, on failure.
std::optional<Session> OpenSession(const Sut& sut, std::string* why);
std::vector<Session> OpenSessions(const Sut& sut, int count, std::string* why);

// Waits until each pid has been reaped (no longer exists); returns the pids
// that have not been, within the budget.
std::vector<pid_t> AwaitReaped(const std::vector<pid_t>& pids, Millis budget);

// "" when every pid is reaped within the budget; else the evidence: how many
// are left, zombie or alive, with their pids.
std::string UnreapedEvidence(const std::vector<pid_t>& pids, Millis budget);

// One complete echo of `payload` on a new connection, within the budget.
bool EchoesOnce(const Sut& sut, const std::string& payload, Millis budget, std::string* why);

std::vector<pid_t> ChildPids(const std::vector<Session>& sessions);
std::string PidList(const std::vector<pid_t>& pids, size_t max_shown = 10);
std::string RandomBytes(std::mt19937_64& random, size_t size);

}  // namespace forkcheck

#endif  // FORKCHECK_SCENARIOS_SESSIONS_H_
