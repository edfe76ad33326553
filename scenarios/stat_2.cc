// STAT-2: normal exits are reported with the right exit code.
#include <algorithm>

#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"
#include "scenarios/status_lines.h"

namespace forkcheck {
namespace {

constexpr Requirement kStat2 = {
    "STAT-2", Level::kMust, "status", N_("decodes normal exits with the right code"),
    N_("the status from waitpid() is not the exit code: test WIFEXITED(st) and report "
       "WEXITSTATUS(st)")};

// Without hooks the kit can only cause clean exits (code 0); with them it
// sweeps every code 0-255 through "!exit N".
std::vector<int> CodesToSweep(const Declared& declared) {
  std::vector<int> codes;
  if (!declared.Has("hooks")) return {0, 0, 0};
  for (int code = 0; code < 256; ++code) codes.push_back(code);
  return codes;
}

// Each session gets its "!exit N" as soon as it is open, so no child sits
// idle long enough to meet an idle timeout instead.
std::vector<pid_t> EndSessions(Context& context, const std::vector<int>& codes, bool hooks, std::string* why) {
  std::vector<pid_t> pids;
  for (int code : codes) {
    auto session = OpenSession(context.sut, why);
    if (!session) return {};
    if (hooks) session->client.SendAll("!exit " + std::to_string(code) + "\n", Scaled(Millis(500)));
    session->client.Close();
    pids.push_back(session->child);
  }
  return pids;
}

Outcome CheckBatch(Context& context, const std::vector<int>& codes, bool hooks) {
  std::string why;
  std::vector<pid_t> pids = EndSessions(context, codes, hooks, &why);
  if (pids.empty()) return Outcome::Fail(why);
  auto reports = AwaitReapedAndReported(context, pids, "REAP-2", &why);
  if (!why.empty()) return Outcome::Fail(why);
  for (size_t i = 0; i < pids.size(); ++i) {
    const StatusReport& report = reports[pids[i]].front();
    if (!report.exited || report.code != codes[i])
      // TRANSLATORS: {2} is the report: the line printed and how the kit read it.
      return Outcome::Fail(hooks ? Say("child {0} exited with status {1} (asked by !exit); reported {2}", pids[i],
                                       codes[i], DescribeReport(report))
                                 : Say("child {0} exited with status {1} (clean EOF); reported {2}", pids[i],
                                       codes[i], DescribeReport(report)));
  }
  return Outcome::Pass();
}

Outcome Run(Context& context) {
  bool hooks = context.declared.Has("hooks");
  std::vector<int> codes = CodesToSweep(context.declared);
  const size_t batch = 64;
  for (size_t first = 0; first < codes.size(); first += batch) {
    std::vector<int> slice(codes.begin() + static_cast<long>(first),
                           codes.begin() + static_cast<long>(std::min(codes.size(), first + batch)));
    Outcome outcome = CheckBatch(context, slice, hooks);
    if (outcome.verdict != Verdict::kPass) return outcome;
  }
  return Outcome::Pass(hooks ? Tr("exit codes 0-255 (via !exit) each reported correctly")
                             : Tr("3 clean exits reported as status 0 (declare the hooks profile to sweep 0-255)"));
}

}  // namespace

FORKCHECK_SCENARIO(stat_2, kStat2, Run);

}  // namespace forkcheck
