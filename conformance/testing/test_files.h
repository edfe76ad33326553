#ifndef FORKCHECK_CONFORMANCE_TESTING_TEST_FILES_H_
#define FORKCHECK_CONFORMANCE_TESTING_TEST_FILES_H_

#include <string>

namespace forkcheck {

// A file of the test's runfiles, e.g. Runfile("conformance/forkcheck").
std::string Runfile(const std::string& relative);
// A path in the test's private temporary directory.
std::string TempPath(const std::string& name);
std::string ReadFile(const std::string& path);

// The leak check every test that starts forkcheck ends with: nothing it
// started is still running (the test is a subreaper); whatever is left is
// killed, so one failure does not spill into the next test.
void ExpectNothingLeftRunning();

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_TESTING_TEST_FILES_H_
