// A gtest expectation shared by the end-to-end server tests.
#ifndef FORKCHECK_SRC_TESTING_EXPECT_ECHO_H_
#define FORKCHECK_SRC_TESTING_EXPECT_ECHO_H_

#include <string>

namespace forkcheck::testing {

// Sends `line` on the open connection `fd` and expects it echoed back whole.
void ExpectEcho(int fd, const std::string& line);

}  // namespace forkcheck::testing

#endif  // FORKCHECK_SRC_TESTING_EXPECT_ECHO_H_
