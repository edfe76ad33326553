// Waiting on a condition with a deadline instead of sleeping for a guess.
#ifndef FORKCHECK_SRC_TESTING_POLL_UNTIL_H_
#define FORKCHECK_SRC_TESTING_POLL_UNTIL_H_

#include <functional>

namespace forkcheck::testing {

// Re-evaluates `condition` every millisecond until it holds (true) or
// ScaledMs(timeout_ms) elapse (false).
bool PollUntil(const std::function<bool()>& condition, int timeout_ms);

}  // namespace forkcheck::testing

#endif  // FORKCHECK_SRC_TESTING_POLL_UNTIL_H_
