#include "scenarios/shutdown.h"

#include <string.h>

#include "conformance/harness/describe_status.h"
#include "conformance/harness/procfs.h"
#include "scenarios/sessions.h"

namespace forkcheck {
Outcome CheckShutdown(Context& context, int signo) {
  std::string why;
  std::vector<Session> sessions = OpenSessions(context.sut, 3, &why);
  if (sessions.empty()) return Outcome::Fail(why);
  std::vector<ProcStat> tree = DescendantsOf(context.sut.pid());
  std::string name = sigabbrev_np(signo);
  Clock::time_point sent = Clock::now();
  context.sut.Signal(signo, "asks for a graceful shutdown");
  Millis grace = Scaled(Millis(context.declared.shutdown_grace_ms)) + Scaled(Millis(1000));
  bool exited = PollUntil([&] { return !context.sut.Alive(); }, grace, Millis(2));
  if (!exited)
    return Outcome::Fail("the server was still running " + std::to_string(grace.count()) +
                         " ms after SIG" + name + " (declared grace " +
                         std::to_string(context.declared.shutdown_grace_ms) + " ms)");
  double took = MillisSince(sent);
  int status = *context.sut.ExitStatus();
  std::vector<pid_t> left;
  auto none_left = [&] {
    left.clear();
    for (const ProcStat& proc : tree)
      if (auto now = ReadProcStat(proc.pid); now && now->start_ticks == proc.start_ticks && !now->zombie())
        left.push_back(proc.pid);
    return left.empty();
  };
  // Children that end because their parent did (PR_SET_PDEATHSIG, EOF on a
  // pipe from it) need a moment after it: only those still running then
  // were left behind.
  if (!PollUntil(none_left, Scaled(Millis(500)), Millis(2)))
    return Outcome::Fail("the server " + DescribeWaitStatus(status) + " after SIG" + name +
                         " but left its children behind (orphaned, still running): " + PidList(left));
  return Outcome::Pass("the server " + DescribeWaitStatus(status) + " " + std::to_string(static_cast<int>(took)) +
                       " ms after SIG" + name + "; none of its " + std::to_string(tree.size()) +
                       " children was left");
}

}  // namespace forkcheck
