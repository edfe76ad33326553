#include "scenarios/status_lines.h"

#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

std::map<pid_t, std::vector<StatusReport>> ReportsByPid(Context& context) {
  std::map<pid_t, std::vector<StatusReport>> by_pid;
  for (const StatusReport& report : context.status->ParseAll(context.sut.OutputLines()))
    by_pid[report.pid].push_back(report);
  return by_pid;
}

bool AllReported(Context& context, const std::vector<pid_t>& pids, std::vector<pid_t>* missing) {
  auto by_pid = ReportsByPid(context);
  missing->clear();
  for (pid_t pid : pids)
    if (by_pid.count(pid) == 0) missing->push_back(pid);
  return missing->empty();
}

}  // namespace

std::map<pid_t, std::vector<StatusReport>> CollectReports(Context& context,
                                                          const std::vector<pid_t>& pids,
                                                          std::string* why) {
  Millis budget = Scaled(Millis(context.declared.reap_grace_ms)) + Scaled(Millis(1000));
  std::vector<pid_t> missing;
  if (!PollUntil([&] { return AllReported(context, pids, &missing); }, budget)) {
    *why = std::to_string(missing.size()) + " of " + std::to_string(pids.size()) +
           " reaped children have no status line matching the pattern (pids " + PidList(missing) +
           "); the server's output ends: " + context.sut.OutputTail(3);
    return {};
  }
  auto fence = OpenSession(context.sut, why);
  if (fence) {
    fence->client.Close();
    PollUntil([&] { return AllReported(context, {fence->child}, &missing); }, budget);
  }
  why->clear();
  auto by_pid = ReportsByPid(context);
  std::map<pid_t, std::vector<StatusReport>> wanted;
  for (pid_t pid : pids) wanted[pid] = by_pid[pid];
  return wanted;
}

std::map<pid_t, std::vector<StatusReport>> AwaitReapedAndReported(Context& context,
                                                                  const std::vector<pid_t>& pids,
                                                                  const char* reaping, std::string* why) {
  std::string situation = std::to_string(pids.size()) + " children whose sessions ended";
  RequireReaped(pids, Scaled(Millis(3000)), reaping, situation);
  if (!context.sut.Alive())
    throw Blocked(reaping, "the server died as " + situation + " (" + reaping + ")");
  return CollectReports(context, pids, why);
}

std::string DescribeReport(const StatusReport& report) {
  std::string decoded = report.exited ? "exited with status " + std::to_string(report.code)
                                      : "killed by signal " + std::to_string(report.signal) +
                                            (report.core ? " (core dumped)" : "");
  return std::string(report.stream) + " \"" + report.line + "\" (read as: " + decoded + ")";
}

}  // namespace forkcheck
