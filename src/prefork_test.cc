// End-to-end: --mode=prefork with the real binary, both reaping strategies.
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <regex>
#include <set>
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

using testing::ConnectTo;
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

std::set<pid_t> Common(const std::set<pid_t>& a, const std::set<pid_t>& b) {
  std::set<pid_t> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

void SetReceiveTimeout(int fd, int ms) {
  ms = ScaledMs(ms);
  timeval tv = {ms / 1000, (ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

std::vector<int64_t> SpawnTimes(const std::string& path) {
  std::vector<int64_t> times;
  for (const nlohmann::json& e : testing::ReadEventLog(path)) {
    if (e["event"] == "spawn") times.push_back(e["ts_ms"].get<int64_t>());
  }
  return times;
}

class PreforkTest : public ::testing::TestWithParam<std::string> {
 protected:
  void TearDown() override {
    for (int fd : fds_) close(fd);
  }

  // Starts the server and waits until `workers` workers run.
  void StartServer(int workers, std::vector<std::string> extra = {}) {
    LaunchSpec spec;
    spec.args = {"--port", "0", "--mode=prefork", "--reaper", GetParam(), "--workers",
                 std::to_string(workers)};
    spec.args.insert(spec.args.end(), extra.begin(), extra.end());
    ASSERT_TRUE(server_.Start(spec)) << server_.Stderr();
    ASSERT_TRUE(PollUntil([&] { return static_cast<int>(Workers().size()) == workers; }, 5000))
        << server_.Stderr();
  }

  // Live (not zombie) children of the server.
  std::set<pid_t> Workers() const {
    std::set<pid_t> pids;
    for (const auto& c : testing::ChildrenOf(server_.pid())) {
      if (c.state != 'Z') pids.insert(c.pid);
    }
    return pids;
  }

  // Connects, has one line echoed and keeps the connection open.
  int Hold(const std::string& line) {
    int fd = ConnectTo(server_.port());
    EXPECT_GE(fd, 0);
    if (fd < 0) return -1;
    fds_.push_back(fd);
    ExpectEcho(fd, line);
    return fd;
  }

  // Half-closes a held connection and expects a clean EOF.
  static void Finish(int fd) {
    ASSERT_EQ(shutdown(fd, SHUT_WR), 0);
    std::string rest;
    EXPECT_EQ(ReadToEof(fd, &rest), ReadEnd::kEof);
    EXPECT_EQ(rest, "");
  }

  std::string ReapLine(pid_t pid, const std::string& how) const {
    return "child " + std::to_string(pid) + " " + how;
  }

  bool WaitForReap(pid_t pid, const std::string& how, int timeout_ms = 5000) const {
    return server_.WaitForStderr(ReapLine(pid, how), 1, timeout_ms);
  }

  // Delays announced by "worker PID died N ms after start; respawning in D ms".
  std::vector<int> RespawnDelays() const {
    static const std::regex kLine(
        R"(^reference_server: worker \d+ died \d+ ms after start; respawning in (\d+) ms$)");
    std::vector<int> delays;
    for (const std::string& line : server_.StderrLines("respawning in")) {
      std::smatch m;
      EXPECT_TRUE(std::regex_match(line, m, kLine)) << line;
      if (m.size() == 2) delays.push_back(std::stoi(m[1]));
    }
    return delays;
  }

  void ExpectExitZero(int timeout_ms) {
    std::optional<int> status = server_.WaitExit(timeout_ms);
    ASSERT_TRUE(status.has_value()) << "server did not exit\n" << server_.Stderr();
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
  }

  static void ExpectAllGone(const std::set<pid_t>& pids) {
    for (pid_t pid : pids) {
      testing::ProcInfo info;
      EXPECT_FALSE(testing::ReadProc(pid, &info)) << pid << " state " << info.state;
    }
  }

  ServerProcess server_;
  std::vector<int> fds_;
};

TEST_P(PreforkTest, ServesUpToNSessionsAtOnceWithTheSameWorkers) {
  constexpr int kWorkers = 3;
  StartServer(kWorkers);
  const std::set<pid_t> workers = Workers();
  for (int i = 0; i < kWorkers; ++i) Hold("held " + std::to_string(i) + "\n");
  // A fourth client waits in the backlog while every worker is busy...
  int waiting = ConnectTo(server_.port(), 300);
  ASSERT_GE(waiting, 0);
  fds_.push_back(waiting);
  ASSERT_TRUE(SendAll(waiting, "fourth\n"));
  std::string got;
  EXPECT_EQ(ReadExactly(waiting, 7, &got), ReadEnd::kTimeout) << got;
  // ...and is served as soon as one session ends.
  Finish(fds_[0]);
  SetReceiveTimeout(waiting, 5000);
  ASSERT_EQ(ReadExactly(waiting, 7, &got), ReadEnd::kData);
  EXPECT_EQ(got, "fourth\n");
  EXPECT_EQ(Workers(), workers);
  EXPECT_TRUE(server_.StderrLines("child ").empty()) << server_.Stderr();
}

TEST_P(PreforkTest, KilledWorkerIsReportedAndRespawned) {
  StartServer(2);
  const std::set<pid_t> before = Workers();
  const pid_t victim = *before.begin();
  kill(victim, SIGKILL);
  ASSERT_TRUE(WaitForReap(victim, "killed by signal 9")) << server_.Stderr();
  ASSERT_TRUE(PollUntil(
      [&] {
        std::set<pid_t> now = Workers();
        return now.size() == 2 && now.count(victim) == 0;
      },
      5000));
  for (int i = 0; i < 6; ++i) EXPECT_EQ(EchoRoundTrip(server_.port(), "after\n"), "after\n");
  EXPECT_EQ(server_.StderrLines("child ").size(), 1u) << server_.Stderr();
}

TEST_P(PreforkTest, SessionHooksEndTheWorkerWithTheirStatus) {
  StartServer(1, {"--test-hooks"});
  struct Case {
    std::string hook;
    std::string how;
  };
  for (const Case& c : {Case{"!exit 7\n", "exited with status 7"},
                        Case{"!raise 11\n", "killed by signal 11"},
                        Case{"!exit 0\n", "exited with status 0"}}) {
    const pid_t worker = *Workers().begin();
    int fd = ConnectTo(server_.port());
    ASSERT_GE(fd, 0);
    ExpectEcho(fd, "before\n");
    ASSERT_TRUE(SendAll(fd, c.hook));
    std::string rest;
    ReadToEof(fd, &rest);
    close(fd);
    EXPECT_EQ(rest, "");
    ASSERT_TRUE(WaitForReap(worker, c.how)) << server_.Stderr();
    ASSERT_TRUE(PollUntil([&] { return Workers().size() == 1 && Workers().count(worker) == 0; },
                          5000));
  }
  // Each of them had served a session: no crash loop.
  EXPECT_TRUE(RespawnDelays().empty()) << server_.Stderr();
}

TEST_P(PreforkTest, IdleTimeoutEndsTheSessionAndItsWorker) {
  StartServer(1, {"--idle-timeout", std::to_string(ScaledMs(300))});
  const pid_t worker = *Workers().begin();
  int fd = Hold("tick\n");
  std::string rest;
  EXPECT_EQ(ReadToEof(fd, &rest), ReadEnd::kEof);
  EXPECT_TRUE(WaitForReap(worker, "exited with status 4")) << server_.Stderr();
  EXPECT_EQ(EchoRoundTrip(server_.port(), "next\n"), "next\n");
  EXPECT_TRUE(RespawnDelays().empty()) << server_.Stderr();
}

TEST_P(PreforkTest, RecyclesAWorkerAfterMaxSessions) {
  constexpr int kSessions = 3;
  StartServer(1, {"--max-sessions-per-worker", std::to_string(kSessions)});
  std::vector<pid_t> generations;
  for (int round = 0; round < 3; ++round) {
    const pid_t worker = *Workers().begin();
    generations.push_back(worker);
    for (int i = 0; i < kSessions; ++i) {
      EXPECT_EQ(EchoRoundTrip(server_.port(), "s\n"), "s\n");
    }
    ASSERT_TRUE(WaitForReap(worker, "exited with status 0")) << server_.Stderr();
    ASSERT_TRUE(PollUntil([&] { return Workers().size() == 1 && Workers().count(worker) == 0; },
                          5000));
  }
  EXPECT_EQ(std::set<pid_t>(generations.begin(), generations.end()).size(), generations.size());
  EXPECT_EQ(server_.StderrLines("child ").size(), 3u) << server_.Stderr();
  EXPECT_TRUE(RespawnDelays().empty()) << server_.Stderr();
}

// The first workers exit 1 at once: each early death doubles the delay before
// the next respawn; a worker that starts fine then serves.
TEST_P(PreforkTest, CrashLoopRespawnsWithGrowingDelays) {
  const std::string events = testing::UniqueTmpPath("events");
  LaunchSpec spec;
  spec.args = {"--port",       "0",           "--mode=prefork",         "--reaper",
               GetParam(),     "--workers",   "1",                      "--test-hooks",
               "--events",     events,        "--test-crash-workers",   "4"};
  ASSERT_TRUE(server_.Start(spec)) << server_.Stderr();
  int fd = ConnectTo(server_.port(), 10000);
  ASSERT_GE(fd, 0);
  fds_.push_back(fd);
  ExpectEcho(fd, "finally\n");
  EXPECT_EQ(RespawnDelays(), (std::vector<int>{100, 200, 400, 800})) << server_.Stderr();
  EXPECT_EQ(server_.StderrLines("exited with status 1").size(), 4u) << server_.Stderr();
  // The worker may serve before the parent has logged its spawn.
  ASSERT_TRUE(PollUntil([&] { return SpawnTimes(events).size() == 5; }, 5000));
  std::vector<int64_t> spawns = SpawnTimes(events);
  const std::vector<int> delays = RespawnDelays();
  for (size_t i = 0; i + 1 < spawns.size() && i < delays.size(); ++i) {
    // Millisecond timestamps: allow for the truncation of each.
    EXPECT_GE(spawns[i + 1] - spawns[i], delays[i] - 1) << i;
  }
}

// Workers that never start: the delays double up to the 5 s cap, the parent
// sleeps in between, and still stops at once on SIGTERM.
TEST_P(PreforkTest, CrashLoopIsBoundedAndStopsOnTerm) {
  const std::string events = testing::UniqueTmpPath("events");
  LaunchSpec spec;
  spec.args = {"--port",     "0",         "--mode=prefork", "--reaper",           GetParam(),
               "--workers",  "2",         "--test-hooks",   "--test-crash-workers", "1000000",
               "--events",   events};
  ASSERT_TRUE(server_.Start(spec)) << server_.Stderr();
  // Two workers per round, rounds 200, 800 and 3200 ms apart.
  ASSERT_TRUE(PollUntil([&] { return RespawnDelays().size() >= 8; }, 15000)) << server_.Stderr();
  EXPECT_EQ(RespawnDelays(), (std::vector<int>{100, 200, 400, 800, 1600, 3200, 5000, 5000}));
  std::vector<int64_t> spawns = SpawnTimes(events);
  ASSERT_EQ(spawns.size(), 8u);
  EXPECT_GE(spawns[2] - spawns[1], 200 - 1);
  EXPECT_GE(spawns[4] - spawns[3], 800 - 1);
  EXPECT_GE(spawns[6] - spawns[5], 3200 - 1);
  const auto start = std::chrono::steady_clock::now();
  server_.Signal(SIGTERM);
  ExpectExitZero(5000);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(ScaledMs(2000)));
  EXPECT_EQ(SpawnTimes(events).size(), 8u);
}

// Clients connect in a loop while SIGHUP replaces every worker: none is
// refused, none loses a byte, and each old worker leaves only after one more
// new worker has started than old ones have left.
TEST_P(PreforkTest, HupReplacesEveryWorkerWithoutLosingAClient) {
  constexpr int kWorkers = 4;
  const std::string events = testing::UniqueTmpPath("events");
  StartServer(kWorkers, {"--events", events});
  const std::set<pid_t> old_workers = Workers();
  std::atomic<bool> stop{false};
  std::atomic<int> served{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 2; ++t) {
    clients.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        const std::string line = "client " + std::to_string(t) + " " + std::to_string(i) + "\n";
        if (EchoRoundTrip(server_.port(), line) == line) {
          ++served;
        } else {
          ++failures;
        }
      }
    });
  }
  ASSERT_TRUE(PollUntil([&] { return served >= 20; }, 5000));
  server_.Signal(SIGHUP);
  const bool replaced = PollUntil(
      [&] {
        std::set<pid_t> now = Workers();
        return now.size() == kWorkers && Common(now, old_workers).empty();
      },
      10000);
  const int served_at_swap = served;
  EXPECT_TRUE(PollUntil([&] { return served >= served_at_swap + 20; }, 5000));
  stop = true;
  for (auto& c : clients) c.join();
  ASSERT_TRUE(replaced) << server_.Stderr();
  EXPECT_EQ(failures, 0);
  for (pid_t pid : old_workers) EXPECT_TRUE(WaitForReap(pid, "exited with status 0")) << pid;
  EXPECT_TRUE(RespawnDelays().empty()) << server_.Stderr();
  int started = 0;
  int left = 0;
  for (const nlohmann::json& e : testing::ReadEventLog(events)) {
    const bool old = old_workers.count(e["pid"].get<pid_t>()) > 0;
    if (e["event"] == "spawn" && !old) ++started;
    if (e["event"] == "reap" && old) EXPECT_GT(started, left++) << e.dump();
  }
  EXPECT_EQ(started, kWorkers);
  EXPECT_EQ(left, kWorkers);
}

// An old worker in a session keeps serving it after SIGHUP, then leaves.
TEST_P(PreforkTest, HupLetsReplacedWorkersFinishTheirSessions) {
  StartServer(2);
  const std::set<pid_t> old_workers = Workers();
  int fd = Hold("before\n");
  server_.Signal(SIGHUP);
  // The idle old worker leaves; the busy one stays until its client is done.
  ASSERT_TRUE(server_.WaitForStderr("exited with status 0", 1, 5000)) << server_.Stderr();
  pid_t busy = 0;
  for (pid_t pid : old_workers) {
    if (server_.StderrLines(ReapLine(pid, "")).empty()) busy = pid;
  }
  ASSERT_NE(busy, 0);
  ASSERT_TRUE(PollUntil([&] { return Workers().size() == 3; }, 5000)) << server_.Stderr();
  EXPECT_EQ(Workers().count(busy), 1u);
  ExpectEcho(fd, "after\n");
  EXPECT_EQ(EchoRoundTrip(server_.port(), "new\n"), "new\n");
  Finish(fd);
  EXPECT_TRUE(WaitForReap(busy, "exited with status 0")) << server_.Stderr();
  EXPECT_TRUE(PollUntil([&] { return Workers().size() == 2; }, 5000));
  EXPECT_TRUE(Common(Workers(), old_workers).empty());
}

TEST_P(PreforkTest, TermLetsSessionsFinishWithinTheGrace) {
  StartServer(2, {"--shutdown-grace", std::to_string(ScaledMs(20000))});
  const std::set<pid_t> workers = Workers();
  int fd = Hold("before\n");
  server_.Signal(SIGTERM);
  // The idle worker leaves at once; the busy one finishes its session.
  ASSERT_TRUE(server_.WaitForStderr("exited with status 0", 1, 5000)) << server_.Stderr();
  EXPECT_TRUE(testing::IsRunning(server_.pid()));
  ExpectEcho(fd, "during the grace\n");
  Finish(fd);
  ExpectExitZero(5000);
  ExpectAllGone(workers);
  EXPECT_EQ(server_.StderrLines("exited with status 0").size(), 2u) << server_.Stderr();
  EXPECT_TRUE(server_.StderrLines("killed by signal").empty()) << server_.Stderr();
}

TEST_P(PreforkTest, TermKillsSessionsThatOutlastTheGrace) {
  const int grace_ms = ScaledMs(300);
  StartServer(2, {"--shutdown-grace", std::to_string(grace_ms)});
  const std::set<pid_t> workers = Workers();
  Hold("before\n");
  const auto start = std::chrono::steady_clock::now();
  server_.Signal(SIGINT);
  ExpectExitZero(10000);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(grace_ms));
  ExpectAllGone(workers);
  EXPECT_EQ(server_.StderrLines("exited with status 0").size(), 1u) << server_.Stderr();
  EXPECT_EQ(server_.StderrLines("killed by signal 9").size(), 1u) << server_.Stderr();
}

// A real EMFILE in a worker: logged, backed off (no spinning), then the
// waiting client is served once descriptors are available again.
TEST_P(PreforkTest, WorkerBacksOffOnEmfileThenServes) {
  StartServer(1);
  const pid_t worker = *Workers().begin();
  rlimit saved;
  ASSERT_EQ(prlimit(worker, RLIMIT_NOFILE, nullptr, &saved), 0);
  // 0, 1, 2 and the listener are open: the next descriptor is 4.
  rlimit tight = {4, saved.rlim_max};
  ASSERT_EQ(prlimit(worker, RLIMIT_NOFILE, &tight, nullptr), 0);
  int fd = ConnectTo(server_.port());
  ASSERT_GE(fd, 0);
  fds_.push_back(fd);
  ASSERT_TRUE(SendAll(fd, "waiting\n"));
  const std::string logged = "reference_server: worker " + std::to_string(worker) + ": accept: Too many open files";
  ASSERT_TRUE(server_.WaitForStderr(logged, 3, 5000)) << server_.Stderr();
  // A rate over a fixed window (not a deadline, so not scaled): the back-off
  // of 10 ms doubling to 100 ms allows about ten attempts a second.
  const auto since = std::chrono::steady_clock::now();
  const size_t before = server_.StderrLines(logged).size();
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
  EXPECT_LE(server_.StderrLines(logged).size() - before, 2 + seconds * 10) << server_.Stderr();
  ASSERT_EQ(prlimit(worker, RLIMIT_NOFILE, &saved, nullptr), 0);
  std::string got;
  ASSERT_EQ(ReadExactly(fd, 8, &got), ReadEnd::kData);
  EXPECT_EQ(got, "waiting\n");
  EXPECT_EQ(Workers(), std::set<pid_t>{worker});
}

// Orphaned workers must not keep accepting on the listener.
TEST_P(PreforkTest, WorkersLeaveWhenTheParentDies) {
  StartServer(2);
  const std::set<pid_t> workers = Workers();
  int fd = Hold("before\n");
  server_.Signal(SIGKILL);
  ASSERT_TRUE(server_.WaitExit(5000).has_value());
  auto running = [&] {
    return std::count_if(workers.begin(), workers.end(), [](pid_t p) { return testing::IsRunning(p); });
  };
  // The idle worker leaves at once, the busy one after its session.
  ASSERT_TRUE(PollUntil([&] { return running() == 1; }, 5000));
  ExpectEcho(fd, "orphaned\n");
  Finish(fd);
  EXPECT_TRUE(PollUntil([&] { return running() == 0; }, 5000));
}

INSTANTIATE_TEST_SUITE_P(Reapers, PreforkTest, ::testing::Values("handler", "signalfd"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace forkcheck
