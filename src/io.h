// Blocking descriptor I/O: EINTR handling and short-transfer completion are
// deliberately separate concerns.
#ifndef FORKCHECK_SRC_IO_H_
#define FORKCHECK_SRC_IO_H_

#include <csignal>
#include <cstddef>
#include <sys/types.h>

#include "src/child_path.h"

namespace forkcheck {

// read(2), retried on EINTR. May return fewer bytes than asked.
ssize_t ReadRetryingEintr(int fd, void* buf, size_t len);

enum class WriteResult { kOk, kError, kCancelled };

// Writes all `len` bytes, completing short writes and retrying EINTR. If
// `cancel` is non-null and set when a write is interrupted, gives up with
// kCancelled (the peer then sees a truncated, never a corrupted, stream).
CHILD_PATH WriteResult WriteAll(int fd, const void* buf, size_t len,
                                const volatile sig_atomic_t* cancel = nullptr);

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_IO_H_
