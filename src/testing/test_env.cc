#include "src/testing/test_env.h"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>

namespace forkcheck::testing {

double TimeoutScale() {
  const char* env = getenv("FORKCHECK_TIMEOUT_SCALE");
  double scale = env != nullptr ? strtod(env, nullptr) : 1.0;
  return scale > 0 ? scale : 1.0;
}

int ScaledMs(int ms) { return static_cast<int>(ms * TimeoutScale()); }

std::string TestTmpDir() {
  const char* dir = getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

std::string UniqueTmpPath(const std::string& stem) {
  static std::atomic<int> counter{0};
  return TestTmpDir() + "/" + stem + "." + std::to_string(getpid()) + "." +
         std::to_string(counter++);
}

std::string ServerBinary() {
  char resolved[PATH_MAX];
  if (realpath("src/reference_server", resolved) == nullptr) {
    return "src/reference_server";
  }
  return resolved;
}

}  // namespace forkcheck::testing
