// SIGHUP in prefork mode: the handler only counts requests.
#ifndef FORKCHECK_SRC_RELOAD_REQUEST_H_
#define FORKCHECK_SRC_RELOAD_REQUEST_H_

namespace forkcheck {

void InstallReloadHandler();
// Number of SIGHUP received so far; compare with a value seen earlier.
unsigned ReloadRequests();

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_RELOAD_REQUEST_H_
