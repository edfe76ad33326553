// STAT-1: each reaped child is reported exactly once, with the right pid.
#include <signal.h>

#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"
#include "scenarios/status_lines.h"

namespace forkcheck {
namespace {

constexpr Requirement kStat1 = {
    "STAT-1", Level::kMust, "status", N_("reports each reaped child exactly once, with its pid"),
    N_("report the pid that waitpid() returned, once per successful waitpid() call; a handler "
       "that reports without checking the return value reports twice or reports -1")};

Outcome Run(Context& context) {
  std::string why;
  std::vector<Session> sessions = OpenSessions(context.sut, 8, &why);
  if (sessions.empty()) return Outcome::Fail(why);
  for (size_t i = 0; i < sessions.size(); ++i) {
    if (i % 2 == 0) sessions[i].client.Close();
    else context.sut.KillChild(sessions[i].child, SIGKILL);
  }
  std::vector<pid_t> pids = ChildPids(sessions);
  auto reports = AwaitReapedAndReported(context, pids, "REAP-2", &why);
  if (!why.empty()) return Outcome::Fail(why);
  for (const auto& [pid, lines] : reports) {
    if (lines.size() != 1)
      // TRANSLATORS: {2} is the first report: the line printed and how the kit read it.
      return Outcome::Fail(Say("child {0} was reported {1} times: {2}", pid, lines.size(), DescribeReport(lines[0])));
  }
  return Outcome::Pass(Tr("8 children (4 ended, 4 killed) each reported exactly once"));
}

}  // namespace

FORKCHECK_SCENARIO(stat_1, kStat1, Run);

}  // namespace forkcheck
