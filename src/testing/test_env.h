// Test environment: timeout scaling, scratch directory, the server binary.
#ifndef FORKCHECK_SRC_TESTING_TEST_ENV_H_
#define FORKCHECK_SRC_TESTING_TEST_ENV_H_

#include <string>

namespace forkcheck::testing {

// FORKCHECK_TIMEOUT_SCALE (default 1) multiplies every deadline in tests.
double TimeoutScale();
int ScaledMs(int ms);
std::string TestTmpDir();
// A fresh path under TestTmpDir() whose name starts with `stem`.
std::string UniqueTmpPath(const std::string& stem);
// Absolute path of //src:reference_server from the runfiles tree.
std::string ServerBinary();

}  // namespace forkcheck::testing

#endif  // FORKCHECK_SRC_TESTING_TEST_ENV_H_
