#include "scenarios/status_lines.h"

#include "conformance/l10n/tr.h"
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
    // TRANSLATORS: {2} is a list of process IDs; {3} the last lines the server printed.
    *why = Say("{0} of {1} reaped children have no status line matching the pattern (pids {2}); the server's "
               "output ends: {3}",
               missing.size(), pids.size(), PidList(missing), context.sut.OutputTail(3));
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
  std::string situation =
      SayN("{0} child whose session ended", "{0} children whose sessions ended", pids.size(), pids.size());
  RequireReaped(pids, Scaled(Millis(3000)), reaping, situation);
  if (!context.sut.Alive())
    throw Blocked(reaping,
                  SayN("the server died as {0} child whose session ended ({1})",
                       "the server died as {0} children whose sessions ended ({1})", pids.size(), pids.size(),
                       reaping));
  return CollectReports(context, pids, why);
}

std::string DescribeReport(const StatusReport& report) {
  // TRANSLATORS: how the kit read a status line the server printed.
  std::string decoded = report.exited ? Say("exited with status {0}", report.code)
                        : report.core ? Say("killed by signal {0} (core dumped)", report.signal)
                                      : Say("killed by signal {0}", report.signal);
  // TRANSLATORS: {0} is stdout or stderr, {1} the line the server printed, {2} how the kit read it.
  return Say("{0} \"{1}\" (read as: {2})", report.stream, report.line, decoded);
}

}  // namespace forkcheck
