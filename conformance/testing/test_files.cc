#include "conformance/testing/test_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "conformance/harness/own_children.h"
#include "conformance/harness/procfs.h"

namespace forkcheck {

std::string Runfile(const std::string& relative) {
  const char* root = std::getenv("TEST_SRCDIR");
  return std::string(root ? root : ".") + "/forkcheck/" + relative;
}

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void ExpectNothingLeftRunning() {
  ReapOwnChildren();
  std::vector<ProcStat> left = DescendantsOf(getpid());
  EXPECT_TRUE(left.empty()) << left.size() << " processes outlived their run, first: "
                            << (left.empty() ? "" : left[0].comm);
  KillAllDescendants(Millis(5000));
}

}  // namespace forkcheck
