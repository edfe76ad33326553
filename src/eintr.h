// Retrying a system call interrupted by a signal, in one place.
#ifndef FORKCHECK_SRC_EINTR_H_
#define FORKCHECK_SRC_EINTR_H_

#include <cerrno>
#include <utility>

namespace forkcheck {

// Like LLVM's RetryAfterSignal / Chromium's HANDLE_EINTR. Never wrap close():
// on Linux the descriptor is gone even when close() reports EINTR, and a retry
// could close a descriptor another part of the program just received.
template <typename Fail, typename Fn, typename... Args>
auto RetryAfterSignal(const Fail& fail, const Fn& fn, Args&&... args)
    -> decltype(fn(std::forward<Args>(args)...)) {
  decltype(fn(std::forward<Args>(args)...)) result;
  do {
    errno = 0;
    result = fn(std::forward<Args>(args)...);
  } while (result == fail && errno == EINTR);
  return result;
}

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_EINTR_H_
