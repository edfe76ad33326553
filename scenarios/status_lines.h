#ifndef FORKCHECK_SCENARIOS_STATUS_LINES_H_
#define FORKCHECK_SCENARIOS_STATUS_LINES_H_

#include <map>
#include <string>
#include <vector>

#include "scenarios/scenario.h"

namespace forkcheck {

// Waits until every pid has at least one status report on the server's
// stderr, then runs one more session to its report as a fence, so any
// duplicate report printed for those pids has arrived too.
// Returns the reports per pid, or "" in `why` on success.
std::map<pid_t, std::vector<StatusReport>> CollectReports(Context& context,
                                                          const std::vector<pid_t>& pids,
                                                          std::string* why);

// Waits for every pid to be reaped, then collects their reports; `why` is
// the evidence when a report is missing, "" on success. Children left
// unreaped, or a server that died meanwhile, throw Blocked(`reaping`): the
// requirement that covers how these children ended.
std::map<pid_t, std::vector<StatusReport>> AwaitReapedAndReported(Context& context,
                                                                  const std::vector<pid_t>& pids,
                                                                  const char* reaping, std::string* why);

std::string DescribeReport(const StatusReport& report);

}  // namespace forkcheck

#endif  // FORKCHECK_SCENARIOS_STATUS_LINES_H_
