#include "src/io.h"

#include <unistd.h>

#include <cerrno>

#include "src/eintr.h"

namespace forkcheck {

ssize_t ReadRetryingEintr(int fd, void* buf, size_t len) {
  return RetryAfterSignal(-1, ::read, fd, buf, len);
}

WriteResult WriteAll(int fd, const void* buf, size_t len,
                     const volatile sig_atomic_t* cancel) {
  const char* p = static_cast<const char*>(buf);
  while (len > 0) {
    ssize_t n = ::write(fd, p, len);
    if (n < 0 && errno == EINTR) {
      if (cancel != nullptr && *cancel) return WriteResult::kCancelled;
      continue;
    }
    if (n < 0) return WriteResult::kError;
    p += n;
    len -= static_cast<size_t>(n);
  }
  return WriteResult::kOk;
}

}  // namespace forkcheck
