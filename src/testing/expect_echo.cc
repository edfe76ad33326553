#include "src/testing/expect_echo.h"

#include <gtest/gtest.h>

#include "src/testing/client.h"

namespace forkcheck::testing {

void ExpectEcho(int fd, const std::string& line) {
  ASSERT_TRUE(SendAll(fd, line)) << line;
  std::string got;
  ASSERT_EQ(ReadExactly(fd, line.size(), &got), ReadEnd::kData) << line;
  EXPECT_EQ(got, line);
}

}  // namespace forkcheck::testing
