// What the accept loop does about each accept(2) errno.
#ifndef FORKCHECK_SRC_ACCEPT_ERRORS_H_
#define FORKCHECK_SRC_ACCEPT_ERRORS_H_

namespace forkcheck {

enum class AcceptAction {
  kRetry,    // transient, or the connection died in the queue: carry on
  kBackOff,  // out of descriptors or memory: stop polling the listener a while
  kFatal,    // the listener itself is broken
};

AcceptAction ClassifyAcceptError(int err);

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_ACCEPT_ERRORS_H_
