// SIGTERM/SIGINT: the handler only counts requests.
#ifndef FORKCHECK_SRC_STOP_REQUEST_H_
#define FORKCHECK_SRC_STOP_REQUEST_H_

namespace forkcheck {

void InstallStopHandlers();
// Number of SIGTERM/SIGINT received so far (saturates at 2).
int StopRequests();

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_STOP_REQUEST_H_
