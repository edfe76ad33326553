// Start-up and shutdown of the real binary: flags, socket activation,
// graceful stop with grace period, SIGKILL escalation, second signal.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <set>
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

using testing::ConnectTo;
using testing::LaunchSpec;
using testing::PollUntil;
using testing::ReadEnd;
using testing::ReadExactly;
using testing::RunResult;
using testing::RunServerToCompletion;
using testing::SendAll;
using testing::ServerProcess;

LaunchSpec WithArgs(std::vector<std::string> args) {
  LaunchSpec spec;
  spec.args = std::move(args);
  return spec;
}

int Lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

TEST(FlagsTest, BadInputExitsTwoWithOneLineNamingTheFlag) {
  struct Case {
    std::vector<std::string> args;
    std::string names;
  };
  for (const Case& c : {Case{{"--bogus"}, "--bogus"},
                        Case{{"--port", "65536"}, "--port"},
                        Case{{"--port", "-1"}, "--port"},
                        Case{{"--port", "http"}, "--port"},
                        Case{{"--port", "0", "--max-children", "x"}, "--max-children"},
                        Case{{"--port", "0", "--max-children", "0"}, "--max-children"},
                        Case{{"--port", "0", "--idle-timeout", "1.5"}, "--idle-timeout"},
                        Case{{"--port", "0", "--shutdown-grace", "-3"}, "--shutdown-grace"},
                        Case{{"--port", "0", "--reaper", "magic"}, "--reaper"},
                        Case{{"--port", "0", "--bind", "localhost"}, "--bind"},
                        Case{{"--port", "0", "--events"}, "--events"},
                        Case{{"--port", "0", "--mode", "threads"}, "--mode"},
                        Case{{"--port", "0", "--mode=prefork", "--workers", "0"}, "--workers"},
                        Case{{"--port", "0", "--mode=prefork", "--workers", "1025"}, "--workers"},
                        Case{{"--port", "0", "--mode=prefork", "--max-sessions-per-worker", "0"},
                             "--max-sessions-per-worker"},
                        Case{{"--port", "0", "--mode=prefork", "--max-children", "8"},
                             "--max-children"},
                        Case{{"--port", "0", "--workers", "2"}, "--workers"},
                        Case{{"--port", "0", "--max-sessions-per-worker", "2"},
                             "--max-sessions-per-worker"},
                        Case{{"--port", "0", "--mode=prefork", "--test-crash-workers", "1"},
                             "--test-crash-workers"},
                        Case{{}, "--port"}}) {
    RunResult r = RunServerToCompletion(c.args);
    ASSERT_TRUE(WIFEXITED(r.status)) << c.names;
    EXPECT_EQ(WEXITSTATUS(r.status), 2) << c.names;
    EXPECT_EQ(Lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(c.names), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
  }
}

TEST(FlagsTest, HelpListsEveryFlag) {
  RunResult r = RunServerToCompletion({"--help"});
  ASSERT_TRUE(WIFEXITED(r.status));
  EXPECT_EQ(WEXITSTATUS(r.status), 0);
  for (const char* flag : {"--port", "--bind", "--mode", "--reaper", "--max-children",
                           "--workers", "--max-sessions-per-worker", "--idle-timeout",
                           "--shutdown-grace", "--events", "--test-hooks",
                           "--test-crash-workers", "--help"}) {
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
  }
}

TEST(ListenTest, BindFailureExitsFive) {
  ServerProcess first;
  ASSERT_TRUE(first.Start(WithArgs({"--port", "0"})));
  RunResult r = RunServerToCompletion({"--port", std::to_string(first.port())});
  ASSERT_TRUE(WIFEXITED(r.status));
  EXPECT_EQ(WEXITSTATUS(r.status), 5) << r.err;
}

TEST(ListenTest, SocketActivation) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 16), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);

  ServerProcess server;
  LaunchSpec spec;
  spec.inherit_listen_fd = fd;
  ASSERT_TRUE(server.Start(spec)) << server.Stderr();
  close(fd);
  EXPECT_EQ(server.listen_line(), "listening on 127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(testing::EchoRoundTrip(port, "activated"), "activated");
  server.Signal(SIGTERM);
  std::optional<int> status = server.WaitExit(10000);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0);
}

class ShutdownTest : public ::testing::TestWithParam<int> {
 protected:
  // Opens `n` connections with a live child each; returns the child pids.
  std::set<pid_t> OpenClients(int n) {
    for (int i = 0; i < n; ++i) {
      int fd = ConnectTo(server_.port());
      EXPECT_GE(fd, 0);
      EXPECT_TRUE(SendAll(fd, "x\n"));
      std::string got;
      EXPECT_EQ(ReadExactly(fd, 2, &got), ReadEnd::kData);
      fds_.push_back(fd);
    }
    std::set<pid_t> pids;
    for (const auto& c : testing::ChildrenOf(server_.pid())) pids.insert(c.pid);
    EXPECT_EQ(static_cast<int>(pids.size()), n);
    return pids;
  }

  void ExpectExitZeroWithin(int timeout_ms) {
    std::optional<int> status = server_.WaitExit(timeout_ms);
    ASSERT_TRUE(status.has_value()) << "server did not exit";
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
  }

  static void ExpectAllGone(const std::set<pid_t>& pids) {
    for (pid_t pid : pids) {
      testing::ProcInfo info;
      // Reaped by the server before it exited: no longer in /proc at all.
      EXPECT_FALSE(testing::ReadProc(pid, &info)) << pid << " state " << info.state;
    }
  }

  bool ListenerClosed() {
    int fd = ConnectTo(server_.port());
    if (fd >= 0) close(fd);
    return fd < 0;
  }

  void TearDown() override {
    for (int fd : fds_) close(fd);
  }

  ServerProcess server_;
  std::vector<int> fds_;
};

TEST_P(ShutdownTest, TermStopsChildrenReportsAndExitsZero) {
  ASSERT_TRUE(server_.Start(WithArgs({"--port", "0"})));
  std::set<pid_t> pids = OpenClients(4);
  server_.Signal(GetParam());
  ExpectExitZeroWithin(10000);
  ExpectAllGone(pids);
  EXPECT_EQ(static_cast<int>(server_.StderrLines("killed by signal 15").size()), 4)
      << server_.Stderr();
  for (int fd : fds_) {
    std::string rest;
    EXPECT_EQ(testing::ReadToEof(fd, &rest), ReadEnd::kEof);
  }
}

// A stopped child leaves SIGTERM pending: only the SIGKILL after the grace
// period ends it.
TEST_P(ShutdownTest, EscalatesToKillAfterGrace) {
  const int grace_ms = testing::ScaledMs(300);
  ASSERT_TRUE(server_.Start(WithArgs(
      {"--port", "0", "--test-hooks", "--shutdown-grace", std::to_string(grace_ms)})));
  std::set<pid_t> pids = OpenClients(3);
  ASSERT_TRUE(SendAll(fds_[0], "!raise 19\n"));  // SIGSTOP
  pid_t stopped = 0;
  ASSERT_TRUE(PollUntil(
      [&] {
        for (pid_t pid : pids) {
          testing::ProcInfo info;
          if (testing::ReadProc(pid, &info) && info.state == 'T') stopped = pid;
        }
        return stopped != 0;
      },
      5000));
  const auto start = std::chrono::steady_clock::now();
  server_.Signal(GetParam());
  ExpectExitZeroWithin(10000 + grace_ms);
  EXPECT_GE(std::chrono::steady_clock::now() - start,
            std::chrono::milliseconds(grace_ms));
  ExpectAllGone(pids);
  EXPECT_EQ(server_.StderrLines("killed by signal 15").size(), 2u) << server_.Stderr();
  EXPECT_EQ(server_.StderrLines("child " + std::to_string(stopped) + " killed by signal 9")
                .size(),
            1u)
      << server_.Stderr();
}

TEST_P(ShutdownTest, SecondSignalSkipsTheGrace) {
  ASSERT_TRUE(server_.Start(
      WithArgs({"--port", "0", "--test-hooks", "--shutdown-grace", "600000"})));
  std::set<pid_t> pids = OpenClients(2);
  ASSERT_TRUE(SendAll(fds_[0], "!raise 19\n"));
  pid_t stopped = 0;
  ASSERT_TRUE(PollUntil(
      [&] {
        for (pid_t pid : pids) {
          testing::ProcInfo info;
          if (testing::ReadProc(pid, &info) && info.state == 'T') stopped = pid;
        }
        return stopped != 0;
      },
      5000));
  server_.Signal(GetParam());
  // The listener closes at once; then only the stopped child is left, and the
  // server keeps waiting for it (the grace period is ten minutes).
  ASSERT_TRUE(PollUntil([&] { return ListenerClosed(); }, 5000));
  ASSERT_TRUE(PollUntil(
      [&] {
        auto children = testing::ChildrenOf(server_.pid());
        return children.size() == 1 && children[0].pid == stopped;
      },
      5000));
  EXPECT_TRUE(testing::IsRunning(server_.pid()));
  server_.Signal(GetParam());
  ExpectExitZeroWithin(10000);
  ExpectAllGone(pids);
  EXPECT_EQ(server_.StderrLines("killed by signal 9").size(), 1u) << server_.Stderr();
  EXPECT_EQ(server_.StderrLines("child " + std::to_string(stopped) + " killed by signal 9")
                .size(),
            1u);
}

INSTANTIATE_TEST_SUITE_P(Signals, ShutdownTest, ::testing::Values(SIGTERM, SIGINT),
                         [](const auto& info) {
                           return info.param == SIGTERM ? "SIGTERM" : "SIGINT";
                         });

}  // namespace
}  // namespace forkcheck
