// Real fork() failures injected with libfiu's POSIX preload (fiu-run -x):
// the refused client gets EOF at once, the server stays up, and serving
// resumes when the failure point is disabled through fiu-ctrl.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "src/testing/client.h"
#include "src/testing/poll_until.h"
#include "src/testing/proc.h"
#include "src/testing/server_process.h"
#include "src/testing/test_env.h"

namespace forkcheck {
namespace {

constexpr char kFiuRun[] = "/usr/bin/fiu-run";
constexpr char kFiuCtrl[] = "/usr/bin/fiu-ctrl";

int RunFiuCtrl(const std::string& command, pid_t target, const std::string& tmpdir) {
  pid_t pid = fork();
  if (pid == 0) {
    setenv("TMPDIR", tmpdir.c_str(), 1);
    std::string target_str = std::to_string(target);
    execl(kFiuCtrl, kFiuCtrl, "-c", command.c_str(), target_str.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = -1;
  bool done = testing::PollUntil(
      [&] { return waitpid(pid, &status, WNOHANG) == pid; }, 10000);
  return done && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ForkFailureTest, RefusedClientGetsEofAndServingResumes) {
  if (access(kFiuRun, X_OK) != 0 || access(kFiuCtrl, X_OK) != 0) {
    GTEST_SKIP() << "fiu-utils not installed";
  }
  const std::string tmpdir = testing::TestTmpDir();
  testing::ServerProcess server;
  testing::LaunchSpec spec;
  spec.wrapper = {kFiuRun, "-x", "-c", "enable name=posix/proc/fork,failinfo=11"};
  spec.env = {"TMPDIR=" + tmpdir};
  spec.args = {"--port", "0"};
  ASSERT_TRUE(server.Start(spec)) << server.Stderr();

  for (int i = 0; i < 3; ++i) {
    int fd = testing::ConnectTo(server.port());
    ASSERT_GE(fd, 0);
    std::string rest;
    EXPECT_EQ(testing::ReadToEof(fd, &rest), testing::ReadEnd::kEof);
    close(fd);
  }
  EXPECT_TRUE(server.WaitForStderr("fork: Resource temporarily unavailable", 3, 5000))
      << server.Stderr();
  EXPECT_TRUE(testing::IsRunning(server.pid()));
  EXPECT_EQ(testing::CountLiveChildren(server.pid()), 0);

  ASSERT_EQ(RunFiuCtrl("disable name=posix/proc/fork", server.pid(), tmpdir), 0);
  EXPECT_TRUE(testing::PollUntil(
      [&] { return testing::EchoRoundTrip(server.port(), "back") == "back"; }, 5000));
  EXPECT_TRUE(server.WaitForStderr("exited with status 0", 1, 5000)) << server.Stderr();

  server.Signal(SIGTERM);
  std::optional<int> status = server.WaitExit(10000);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0);
}

}  // namespace
}  // namespace forkcheck
