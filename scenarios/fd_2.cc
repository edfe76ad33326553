// FD-2: the parent's descriptor count returns to its baseline.
#include <algorithm>

#include "conformance/harness/procfs.h"
#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kFd2 = {
    "FD-2", Level::kMust, "core", N_("the parent does not keep connected sockets of ended sessions"),
    N_("after fork() the parent must close(client_sock): the child has its own copy. Otherwise "
       "the parent runs out of descriptors and the client never sees EOF")};

// Sessions end when their children have exited; whether the parent reaps
// them is REAP's concern, not this one's.
bool EndSessions(const Sut& sut, int count, std::string* why) {
  std::vector<Session> sessions = OpenSessions(sut, count, why);
  if (sessions.empty()) return false;
  for (Session& session : sessions) session.client.Close();
  std::vector<pid_t> running = AwaitEnded(ChildPids(sessions), Scaled(Millis(3000)));
  if (!running.empty())
    throw Blocked("ECHO-2", Say("{0} of {1} children still ran 3000 ms after their clients closed: {2} (ECHO-2)",
                                running.size(), count, PidList(running)));
  return true;
}

Outcome Run(Context& context) {
  pid_t server = context.sut.pid();
  std::string why;
  if (!EndSessions(context.sut, 1, &why)) return Outcome::Fail(Say("warm-up session: {0}", why));
  int baseline = CountOpenFds(server);
  const int sessions = 20;
  // Never more sessions at once than the declared cap (dropbear refuses a
  // sixth unauthenticated one).
  const int cap = context.declared.max_children;
  const int batch = cap > 0 ? std::min(sessions, cap) : sessions;
  for (int ended = 0; ended < sessions; ended += batch)
    if (!EndSessions(context.sut, std::min(batch, sessions - ended), &why)) return Outcome::Fail(why);
  // Closing a connected socket is the parent's business right after fork(),
  // not after reaping: the count is taken once the children have ended.
  int now = baseline;
  bool back = PollUntil([&] { return (now = CountOpenFds(server)) <= baseline; }, Scaled(Millis(1000)));
  if (!back)
    return Outcome::Fail(Say("the parent held {0} descriptors before {1} sessions and {2} after they all ended",
                             baseline, sessions, now));
  return Outcome::Pass(Say("parent descriptors: {0} before, {1} after {2} sessions", baseline, now, sessions));
}

}  // namespace

FORKCHECK_SCENARIO(fd_2, kFd2, Run);

}  // namespace forkcheck
