#include "scenarios/shutdown.h"

#include <string.h>

#include "conformance/harness/describe_status.h"
#include "conformance/harness/procfs.h"
#include "conformance/l10n/tr.h"
#include "scenarios/sessions.h"

namespace forkcheck {
Outcome CheckShutdown(Context& context, int signo) {
  std::string why;
  std::vector<Session> sessions = OpenSessions(context.sut, 3, &why);
  if (sessions.empty()) return Outcome::Fail(why);
  std::vector<ProcStat> tree = DescendantsOf(context.sut.pid());
  std::string name = sigabbrev_np(signo);
  Clock::time_point sent = Clock::now();
  // TRANSLATORS: why the kit sent the signal, shown on the case's timeline.
  context.sut.Signal(signo, Tr("asks for a graceful shutdown"));
  Millis grace = Scaled(Millis(context.declared.shutdown_grace_ms)) + Scaled(Millis(1000));
  bool exited = PollUntil([&] { return !context.sut.Alive(); }, grace, Millis(2));
  if (!exited)
    // TRANSLATORS: SIG{1} is a signal name (SIGTERM, SIGINT).
    return Outcome::Fail(Say("the server was still running {0} ms after SIG{1} (declared grace {2} ms)",
                             grace.count(), name, context.declared.shutdown_grace_ms));
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
    // TRANSLATORS: {0} is how the server ended ("exited with status 0"); SIG{1} a signal name; {2} process IDs.
    return Outcome::Fail(Say("the server {0} after SIG{1} but left its children behind (orphaned, still running): {2}",
                             DescribeWaitStatus(status), name, PidList(left)));
  // TRANSLATORS: {0} is how the server ended ("exited with status 0"); SIG{2} a signal name.
  return Outcome::Pass(Say("the server {0} {1} ms after SIG{2}; none of its {3} children was left",
                           DescribeWaitStatus(status), static_cast<int>(took), name, tree.size()));
}

}  // namespace forkcheck
