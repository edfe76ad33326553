// --test-hooks commands a client can send on a line of its own.
#ifndef FORKCHECK_SRC_TEST_HOOKS_H_
#define FORKCHECK_SRC_TEST_HOOKS_H_

#include <cstddef>

namespace forkcheck {

struct Hook {
  enum class Kind { kNone, kExit, kRaise, kSleep };
  Kind kind = Kind::kNone;
  int arg = 0;
  size_t length = 0;  // bytes consumed, the '\n' included
};

// Recognizes "!exit N\n", "!raise SIGNUM\n" or "!sleep MS\n" at the start of
// `data`. Anything else, including a line not yet terminated, is kNone.
Hook ParseHook(const char* data, size_t len);

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_TEST_HOOKS_H_
