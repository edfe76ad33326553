#ifndef FORKCHECK_PROPERTY_TESTS_RUNFILES_H_
#define FORKCHECK_PROPERTY_TESTS_RUNFILES_H_

#include <cstdlib>
#include <string>

namespace forkcheck {

// Path of a data dependency in this test's runfiles, e.g. "src/reference_server".
inline std::string Runfile(const std::string& relative) {
  const char* root = std::getenv("TEST_SRCDIR");
  return std::string(root ? root : ".") + "/forkcheck/" + relative;
}

}  // namespace forkcheck

#endif  // FORKCHECK_PROPERTY_TESTS_RUNFILES_H_
