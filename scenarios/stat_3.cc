// STAT-3: deaths by signal are reported with the right signal number.
#include <signal.h>

#include "conformance/harness/describe_status.h"
#include "scenarios/fatal_signals.h"
#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"
#include "scenarios/status_lines.h"

namespace forkcheck {
namespace {

constexpr Requirement kStat3 = {
    "STAT-3", Level::kMust, "status", N_("decodes deaths by signal with the right signal number"),
    N_("when WIFSIGNALED(st) holds the child did not exit: report WTERMSIG(st), not "
       "WEXITSTATUS(st), which is meaningless then")};

// Four different signals, each one the child does not catch, so its death
// by that signal is certain.
const std::vector<int> kCandidates = {SIGKILL, SIGHUP, SIGUSR1, SIGUSR2, SIGTERM, SIGALRM, SIGSEGV, SIGABRT};

int PickSignal(pid_t child, size_t index) {
  std::vector<int> lethal = SignalsThatKill(child, kCandidates);
  return index < lethal.size() ? lethal[index] : SIGKILL;
}

Outcome Run(Context& context) {
  std::string why, notes, names;
  std::vector<pid_t> pids;
  std::vector<int> signals;
  // Each child is killed as soon as it serves, before any idle timeout.
  for (size_t i = 0; i < 4; ++i) {
    auto session = OpenSession(context.sut, &why);
    if (!session) return Outcome::Fail(why);
    signals.push_back(KillChild(context.sut, session->child, PickSignal(session->child, i), &notes));
    pids.push_back(session->child);
    names += (names.empty() ? "" : ", ") + SignalName(signals.back());
  }
  auto reports = AwaitReapedAndReported(context, pids, "REAP-3", &why);
  if (!why.empty()) return Outcome::Fail(why);
  for (size_t i = 0; i < pids.size(); ++i) {
    const StatusReport& report = reports[pids[i]].front();
    if (report.exited || report.signal != signals[i])
      // TRANSLATORS: {0} is empty or notes that each end with "; "; {2} a signal name, {3} its number;
      // {4} the report: the line printed and how the kit read it.
      return Outcome::Fail(Say("{0}the kit killed child {1} with {2} ({3}); reported {4}", notes, pids[i],
                               SignalName(signals[i]), signals[i], DescribeReport(report)));
  }
  // TRANSLATORS: {0} is empty or notes that each end with "; "; {1} a list of signal names.
  return Outcome::Pass(Say("{0}children killed by {1} each reported with that signal", notes, names));
}

}  // namespace

FORKCHECK_SCENARIO(stat_3, kStat3, Run);

}  // namespace forkcheck
