// End-to-end: the real binary, both reaping strategies.
#include <limits.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <atomic>
#include <chrono>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "src/testing/client.h"
#include "src/testing/event_log_reader.h"
#include "src/testing/expect_echo.h"
#include "src/testing/poll_until.h"
#include "src/testing/proc.h"
#include "src/testing/server_process.h"
#include "src/testing/test_env.h"

namespace forkcheck {
namespace {

using testing::ChildrenOf;
using testing::ConnectTo;
using testing::CountLiveChildren;
using testing::CountZombieChildren;
using testing::EchoRoundTrip;
using testing::ExpectEcho;
using testing::LaunchSpec;
using testing::PollUntil;
using testing::ReadEnd;
using testing::ReadExactly;
using testing::ReadToEof;
using testing::ScaledMs;
using testing::SendAll;
using testing::ServerProcess;

class ServerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void StartServer(std::vector<std::string> extra = {}) {
    LaunchSpec spec;
    spec.args = {"--port", "0", "--reaper", GetParam()};
    spec.args.insert(spec.args.end(), extra.begin(), extra.end());
    ASSERT_TRUE(server_.Start(spec)) << server_.Stderr();
  }

  ServerProcess server_;
};

TEST_P(ServerTest, PrintsListeningLine) {
  StartServer();
  EXPECT_EQ(server_.listen_line(),
            "listening on 127.0.0.1:" + std::to_string(server_.port()));
}

TEST_P(ServerTest, EchoesAndReportsCleanExit) {
  StartServer();
  EXPECT_EQ(EchoRoundTrip(server_.port(), "hello\nworld\n"), "hello\nworld\n");
  ASSERT_TRUE(server_.WaitForStderr("exited with status 0", 1, 5000)) << server_.Stderr();
  std::vector<std::string> lines = server_.StderrLines("child ");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(lines[0].rfind("child ", 0) == 0);
  EXPECT_TRUE(PollUntil([&] { return CountZombieChildren(server_.pid()) == 0; }, 5000));
}

TEST_P(ServerTest, HalfCloseLargePayloadEchoedCompletely) {
  StartServer();
  std::string payload(3 << 20, '\0');
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i % 251);
  int fd = ConnectTo(server_.port());
  ASSERT_GE(fd, 0);
  std::thread writer([&] {
    SendAll(fd, payload);
    shutdown(fd, SHUT_WR);
  });
  std::string got;
  EXPECT_EQ(ReadToEof(fd, &got), ReadEnd::kEof);
  writer.join();
  close(fd);
  EXPECT_TRUE(got == payload) << got.size();
}

TEST_P(ServerTest, ReportsExitCodesAndSignalsWhileIdle) {
  StartServer({"--test-hooks"});
  struct Case {
    std::string hook;
    std::string line;
  };
  for (const Case& c : {Case{"!exit 3\n", "exited with status 3"},
                        Case{"!exit 255\n", "exited with status 255"},
                        Case{"!raise 15\n", "killed by signal 15"},
                        Case{"!raise 11\n", "killed by signal 11"},
                        Case{"!raise 9\n", "killed by signal 9"}}) {
    int fd = ConnectTo(server_.port());
    ASSERT_GE(fd, 0);
    ExpectEcho(fd, "before\n");
    ASSERT_TRUE(SendAll(fd, c.hook));
    std::string rest;
    ReadToEof(fd, &rest);
    EXPECT_EQ(rest, "");  // the hook line itself is never echoed
    close(fd);
    // No new connection arrives: the idle loop must report on its own.
    EXPECT_TRUE(server_.WaitForStderr(c.line, 1, 5000)) << c.line << "\n"
                                                        << server_.Stderr();
  }
  EXPECT_TRUE(PollUntil([&] { return CountZombieChildren(server_.pid()) == 0; }, 5000));
}

TEST_P(ServerTest, SleepHookPausesThenKeepsEchoing) {
  StartServer({"--test-hooks"});
  EXPECT_EQ(EchoRoundTrip(server_.port(), "a\n!sleep 30\nb\n!exit x\n"),
            "a\nb\n!exit x\n");
}

TEST_P(ServerTest, HooksAreOrdinaryBytesWithoutFlag) {
  StartServer();
  EXPECT_EQ(EchoRoundTrip(server_.port(), "!exit 3\n!raise 9\n"), "!exit 3\n!raise 9\n");
}

TEST_P(ServerTest, EventLogIsJsonLines) {
  std::string path = testing::UniqueTmpPath("events");
  StartServer({"--events", path, "--test-hooks"});
  int fd = ConnectTo(server_.port());
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(SendAll(fd, "!exit 5\n"));
  std::string rest;
  ReadToEof(fd, &rest);
  close(fd);
  ASSERT_TRUE(server_.WaitForStderr("exited with status 5", 1, 5000));
  std::vector<nlohmann::json> events;
  ASSERT_TRUE(PollUntil(
      [&] {
        events = testing::ReadEventLog(path);
        return events.size() >= 2;
      },
      5000));
  EXPECT_EQ(events[0]["event"], "spawn");
  EXPECT_EQ(events[1]["event"], "reap");
  EXPECT_EQ(events[0]["pid"], events[1]["pid"]);
  EXPECT_EQ(events[1]["status"], "exited with status 5");
  EXPECT_EQ(events[1]["code"], 5);
  EXPECT_TRUE(events[1]["signal"].is_null());
  EXPECT_EQ(events[1]["core"], false);
  EXPECT_TRUE(events[1]["ts_ms"].is_number());
}

// SIGCHLD (and harmless signals for the children) at a high rate while
// clients connect and transfer: every byte still comes back.
TEST_P(ServerTest, SurvivesSignalStorm) {
  StartServer({"--max-children", "16"});
  std::atomic<bool> stop{false};
  std::thread storm([&] {
    int i = 0;
    while (!stop) {
      kill(server_.pid(), SIGCHLD);
      if (++i % 64 == 0) {
        for (const auto& c : ChildrenOf(server_.pid())) {
          kill(c.pid, SIGCHLD);
          kill(c.pid, SIGURG);
          kill(c.pid, SIGWINCH);
        }
      }
    }
  });
  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        std::string payload(1000 + 997 * i, static_cast<char>('a' + t));
        if (EchoRoundTrip(server_.port(), payload) != payload) ++failures;
      }
    });
  }
  for (auto& c : clients) c.join();
  stop = true;
  storm.join();
  EXPECT_EQ(failures, 0);
  EXPECT_TRUE(server_.WaitForStderr("exited with status 0", 160, 10000))
      << server_.StderrLines("exited with status 0").size();
  EXPECT_TRUE(testing::IsRunning(server_.pid()));
}

TEST_P(ServerTest, MaxChildrenIsNeverExceeded) {
  constexpr int kMax = 3;
  StartServer({"--max-children", std::to_string(kMax)});
  std::atomic<bool> stop{false};
  std::atomic<int> peak{0};
  std::thread sampler([&] {
    while (!stop) {
      int live = CountLiveChildren(server_.pid());
      int seen = peak.load();
      while (live > seen && !peak.compare_exchange_weak(seen, live)) {
      }
    }
  });
  std::vector<int> fds;
  for (int i = 0; i < kMax + 2; ++i) {
    int fd = ConnectTo(server_.port());
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendAll(fd, "ping" + std::to_string(i)));
    fds.push_back(fd);
  }
  for (int i = 0; i < kMax; ++i) {
    std::string got;
    ASSERT_EQ(ReadExactly(fds[i], 5, &got), ReadEnd::kData);
    EXPECT_EQ(got, "ping" + std::to_string(i));
  }
  ASSERT_TRUE(PollUntil([&] { return CountLiveChildren(server_.pid()) == kMax; }, 5000));
  // The extra clients wait in the backlog; they are served once others leave.
  close(fds[0]);
  close(fds[1]);
  for (int i = kMax; i < kMax + 2; ++i) {
    std::string got;
    ASSERT_EQ(ReadExactly(fds[i], 5, &got), ReadEnd::kData) << i;
    EXPECT_EQ(got, "ping" + std::to_string(i));
  }
  for (size_t i = 2; i < fds.size(); ++i) close(fds[i]);
  ASSERT_TRUE(server_.WaitForStderr("exited with status 0", kMax + 2, 5000));
  stop = true;
  sampler.join();
  EXPECT_LE(peak.load(), kMax);
}

TEST_P(ServerTest, IdleTimeoutEndsConnectionAndActivityRearms) {
  const int timeout_ms = ScaledMs(400);
  StartServer({"--idle-timeout", std::to_string(timeout_ms)});
  int fd = ConnectTo(server_.port(), 20000);
  ASSERT_GE(fd, 0);
  // Activity every timeout/8 keeps the connection open well past the timeout.
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 16; ++i) {
    ExpectEcho(fd, "tick" + std::to_string(i % 10));
    std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms / 8));
  }
  EXPECT_GE(std::chrono::steady_clock::now() - start,
            std::chrono::milliseconds(timeout_ms * 2));
  EXPECT_TRUE(server_.StderrLines("child ").empty()) << server_.Stderr();
  ExpectEcho(fd, "last");
  const auto idle_since = std::chrono::steady_clock::now();
  std::string rest;
  EXPECT_EQ(ReadToEof(fd, &rest), ReadEnd::kEof);
  EXPECT_EQ(rest, "");
  EXPECT_GE(std::chrono::steady_clock::now() - idle_since,
            std::chrono::milliseconds(timeout_ms * 9 / 10));
  close(fd);
  EXPECT_TRUE(server_.WaitForStderr("exited with status 4", 1, 5000)) << server_.Stderr();
}

INSTANTIATE_TEST_SUITE_P(Reapers, ServerTest,
                         ::testing::Values("handler", "signalfd"),
                         [](const auto& info) { return info.param; });

int CountThreads(pid_t pid) {
  int threads = 0;
  std::istringstream status(testing::ReadFile("/proc/" + std::to_string(pid) + "/status"));
  for (std::string line; std::getline(status, line);)
    if (line.rfind("Threads:", 0) == 0) threads = std::stoi(line.substr(8));
  return threads;
}

// A thread some library started with SIGCHLD unblocked takes the signal
// whenever the loop's thread has it blocked; the preload makes that always
// (it keeps SIGCHLD blocked in ppoll too). The handler then runs in that
// thread, and only the self-pipe wakes the idle loop to report the child.
// (signalfd cannot work beside such a thread: the signal is delivered to
// it, ignored, and never queued for the descriptor.)
TEST(ForeignThreadTest, HandlerWakesTheIdleLoopThroughTheSelfPipe) {
  char preload[PATH_MAX];
  ASSERT_NE(realpath("src/testing/foreign_sigchld_thread.so", preload), nullptr);
  ServerProcess server;
  LaunchSpec spec;
  spec.args = {"--port", "0", "--reaper", "handler", "--test-hooks"};
  spec.env = {std::string("LD_PRELOAD=") + preload};
  ASSERT_TRUE(server.Start(spec)) << server.Stderr();
  ASSERT_EQ(CountThreads(server.pid()), 2) << "the preload did not start its thread";
  for (int code : {3, 4, 5}) {
    int fd = ConnectTo(server.port());
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendAll(fd, "!exit " + std::to_string(code) + "\n"));
    std::string rest;
    ReadToEof(fd, &rest);
    close(fd);
    // No new connection arrives: only the self-pipe can wake the loop.
    EXPECT_TRUE(server.WaitForStderr("exited with status " + std::to_string(code), 1, ScaledMs(5000)))
        << server.Stderr();
  }
}

}  // namespace
}  // namespace forkcheck
