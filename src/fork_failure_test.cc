// Real fork() failures injected with libfiu's POSIX preload, as fiu-run -x
// would load it, plus a shim that puts _Fork() under the same failure point:
// the refused client gets EOF at once, the server stays up, and serving
// resumes when the failure point is disabled through fiu-ctrl.
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
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

constexpr char kFiuLibs[] = "/usr/lib/fiu";  // fiu-run's default -l
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
  const std::string fiu = kFiuLibs;
  if (access((fiu + "/fiu_posix_preload.so").c_str(), R_OK) != 0 ||
      access(kFiuCtrl, X_OK) != 0) {
    GTEST_SKIP() << "fiu-utils not installed";
  }
  char shim[PATH_MAX];
  ASSERT_NE(realpath("src/testing/fiu_fork_shim.so", shim), nullptr);
  const std::string tmpdir = testing::TestTmpDir();
  testing::ServerProcess server;
  testing::LaunchSpec spec;
  // What fiu-run -x -c COMMAND exports, with the shim after libfiu's preload.
  spec.env = {"TMPDIR=" + tmpdir,
              "LD_PRELOAD=" + fiu + "/fiu_run_preload.so " + fiu +
                  "/fiu_posix_preload.so " + shim,
              "FIU_ENABLE=enable name=posix/proc/fork,failinfo=11",
              "FIU_CTRL_FIFO=" + tmpdir + "/fiu-ctrl"};
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
