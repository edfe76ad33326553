#ifndef FORKCHECK_SRC_CLOCK_H_
#define FORKCHECK_SRC_CLOCK_H_

#include <cstdint>

namespace forkcheck {

int64_t MonotonicMs();
int64_t WallClockMs();

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_CLOCK_H_
