// STAT-3: deaths by signal are reported with the right signal number.
#include <signal.h>

#include "scenarios/scenario.h"
#include "scenarios/sessions.h"
#include "scenarios/status_lines.h"

namespace forkcheck {
namespace {

constexpr Requirement kStat3 = {
    "STAT-3", Level::kMust, "status", "decodes deaths by signal with the right signal number",
    "when WIFSIGNALED(st) holds the child did not exit: report WTERMSIG(st), not "
    "WEXITSTATUS(st), which is meaningless then"};

// Signals no echo child has reason to catch, so their outcome is certain.
const int kSignals[] = {SIGKILL, SIGHUP, SIGUSR1, SIGUSR2};

Outcome Run(Context& context) {
  std::string why;
  std::vector<pid_t> pids;
  // Each child is killed as soon as it serves, before any idle timeout.
  for (int signo : kSignals) {
    auto session = OpenSession(context.sut, &why);
    if (!session) return Outcome::Fail(why);
    kill(session->child, signo);
    pids.push_back(session->child);
  }
  auto reports = AwaitReapedAndReported(context, pids, &why);
  if (!why.empty()) return Outcome::Fail(why);
  for (size_t i = 0; i < pids.size(); ++i) {
    const StatusReport& report = reports[pids[i]].front();
    if (report.exited || report.signal != kSignals[i])
      return Outcome::Fail("the kit killed child " + std::to_string(pids[i]) + " with signal " +
                           std::to_string(kSignals[i]) + "; reported " + DescribeReport(report));
  }
  return Outcome::Pass("children killed by signals 9, 1, 10, 12 each reported with that signal");
}

}  // namespace

FORKCHECK_SCENARIO(stat_3, kStat3, Run);

}  // namespace forkcheck
