#include "src/accept_errors.h"

#include <cerrno>

namespace forkcheck {

AcceptAction ClassifyAcceptError(int err) {
  switch (err) {
    case EMFILE:
    case ENFILE:
    case ENOBUFS:
    case ENOMEM:
      return AcceptAction::kBackOff;
    case EBADF:
    case EINVAL:
    case ENOTSOCK:
    case EOPNOTSUPP:
    case EFAULT:
      return AcceptAction::kFatal;
    default:
      // EINTR, EAGAIN, ECONNABORTED, EPROTO, EPERM and the network errors
      // Linux passes through from the new socket (ENETDOWN, EHOSTUNREACH...).
      return AcceptAction::kRetry;
  }
}

}  // namespace forkcheck
