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

// Connects, brings the session to where its child waits on the client
// (Protocol::Hold: for echo, a line echoed) and finds that child through
// /proc. Empty, with `why`, on failure.
// Throws Blocked (CONC-1) when the connection is served without a child.
std::optional<Session> OpenSession(const Sut& sut, std::string* why);
std::vector<Session> OpenSessions(const Sut& sut, int count, std::string* why);

// The server's main process still runs (neither gone nor a zombie).
bool ServerRunning(const Sut& sut);

// For checks about children: opens one session and ends it, so a server
// that never forks is BLOCKED by CONC-1 before the check proper begins.
void RequireChildPerSession(const Sut& sut);

// Waits until each pid has been reaped (no longer exists); returns the pids
// that have not been, within the budget.
std::vector<pid_t> AwaitReaped(const std::vector<pid_t>& pids, Millis budget);

// Waits until each pid has ended (a zombie or gone); returns those still
// running after the budget.
std::vector<pid_t> AwaitEnded(const std::vector<pid_t>& pids, Millis budget);

// "" when every pid is reaped within the budget; else the evidence: how many
// are left as zombies, with their pids. Children still running (they never
// ended) throw Blocked (ECHO-2): reaping needs them to end first.
std::string UnreapedEvidence(const std::vector<pid_t>& pids, Millis budget);

// For checks whose concern is not reaping: throws Blocked(`by`) when the
// children are not reaped within the budget. `situation` says how they
// ended ("8 children ended together").
void RequireReaped(const std::vector<pid_t>& pids, Millis budget, const char* by, const std::string& situation);

// Reads what the session sends until it ends. When the deadline passes with
// no EOF although the serving child has ended, another process still holds
// the connection: throws Blocked (FD-2), since that is not the caller's
// concern.
TcpClient::End AwaitSessionEnd(const Sut& sut, Session& session, std::string* received, Millis budget);

// Service on a new connection: one exchange of the server's protocol
// within the budget, then the connection closed. It does not half-close or
// wait for EOF: ending sessions is ECHO-2's concern, not the service probe's.
bool ServedOnce(const Sut& sut, Millis budget, std::string* why);

// A client whose exchange was started but may not be answered yet: one
// queued behind a cap, a fault, or a busy server.
struct Pending {
  TcpClient client;
  std::string so_far;
};
std::optional<Pending> StartExchange(const Sut& sut, Millis budget);
// Whether its answer has come, waiting at most `budget` (zero: a look).
bool Answered(const Sut& sut, Pending& pending, Millis budget);

std::vector<pid_t> ChildPids(const std::vector<Session>& sessions);
std::string PidList(const std::vector<pid_t>& pids, size_t max_shown = 10);
std::string RandomBytes(std::mt19937_64& random, size_t size);

}  // namespace forkcheck

#endif  // FORKCHECK_SCENARIOS_SESSIONS_H_
