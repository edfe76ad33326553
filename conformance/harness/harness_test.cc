#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "conformance/harness/describe_status.h"
#include "conformance/harness/event_log.h"
#include "conformance/harness/own_children.h"
#include "conformance/harness/procfs.h"
#include "conformance/harness/status_report.h"
#include "conformance/harness/zombie_watch.h"

namespace forkcheck {
namespace {

std::unique_ptr<StatusParser> Parser(const std::string& pattern) {
  std::string error;
  auto parser = StatusParser::Create(pattern, &error);
  EXPECT_NE(parser, nullptr) << error;
  return parser;
}

TEST(StatusParser, ReadsTheReferenceFormat) {
  auto parser = Parser(kDefaultStatusPattern);
  auto exited = parser->Parse("child 123 exited with status 7");
  ASSERT_TRUE(exited);
  EXPECT_EQ(exited->pid, 123);
  EXPECT_TRUE(exited->exited);
  EXPECT_EQ(exited->code, 7);
  auto killed = parser->Parse("child 9 killed by signal 11 (core dumped)");
  ASSERT_TRUE(killed);
  EXPECT_FALSE(killed->exited);
  EXPECT_EQ(killed->signal, 11);
  EXPECT_TRUE(killed->core);
  auto plain = parser->Parse("child 9 killed by signal 15");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->core);
  EXPECT_FALSE(parser->Parse("listening on 127.0.0.1:80"));
}

TEST(StatusParser, DecodesRawWaitStatusWithTheLibcMacros) {
  auto parser = Parser(R"(end (?P<pid>\d+) status (?P<raw>\d+))");
  auto exited = parser->Parse("tcpserver: end 4242 status 256");
  ASSERT_TRUE(exited);
  EXPECT_EQ(exited->pid, 4242);
  EXPECT_TRUE(exited->exited);
  EXPECT_EQ(exited->code, 1);
  auto killed = parser->Parse("tcpserver: end 4243 status 9");
  ASSERT_TRUE(killed);
  EXPECT_EQ(killed->signal, 9);
  EXPECT_FALSE(killed->core);
  auto cored = parser->Parse("tcpserver: end 4244 status 134");
  ASSERT_TRUE(cored);
  EXPECT_EQ(cored->signal, 6);
  EXPECT_TRUE(cored->core);
}

TEST(StatusParser, RejectsPatternsItCannotUse) {
  std::string error;
  EXPECT_EQ(StatusParser::Create("(unclosed", &error), nullptr);
  EXPECT_NE(error.find("not a valid regular expression"), std::string::npos);
  EXPECT_EQ(StatusParser::Create(R"((?P<code>\d+))", &error), nullptr);
  EXPECT_NE(error.find("'pid'"), std::string::npos);
}

TEST(DescribeWaitStatus, UsesTheTextbookWords) {
  EXPECT_EQ(DescribeWaitStatus(3 << 8), "exited with status 3");
  EXPECT_EQ(DescribeWaitStatus(SIGKILL), "was killed by signal 9");
  EXPECT_EQ(DescribeWaitStatus(SIGSEGV | 0x80), "was killed by signal 11 (core dumped)");
}

TEST(Procfs, SeesAChildBecomeAZombieAndGo) {
  pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_TRUE(PollUntil([&] { auto s = ReadProcStat(child); return s && s->zombie(); }, Millis(5000)));
  auto stat = ReadProcStat(child);
  EXPECT_EQ(stat->ppid, getpid());
  bool listed = false;
  for (const ProcStat& proc : ChildrenOf(getpid())) listed |= proc.pid == child;
  EXPECT_TRUE(listed);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_FALSE(ProcessExists(child));
}

// A socket listening on 127.0.0.1 at a free port (in *addr), or -1.
int LoopbackListener(int backlog, sockaddr_in* addr) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  addr->sin_family = AF_INET;
  addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof *addr;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(addr), sizeof *addr) != 0 || listen(fd, backlog) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(addr), &len) != 0) {
    if (fd >= 0) close(fd);
    return -1;
  }
  return fd;
}

TEST(Procfs, CountsDescriptorsAndFindsSocketInodes) {
  int before = CountOpenFds(getpid());
  sockaddr_in addr{};
  int fd = LoopbackListener(1, &addr);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(CountOpenFds(getpid()), before + 1);
  auto inode = TcpSocketInode(ntohs(addr.sin_port), 0);
  ASSERT_TRUE(inode);
  EXPECT_TRUE(HoldsSocketInode(getpid(), *inode));
  close(fd);
  EXPECT_FALSE(HoldsSocketInode(getpid(), *inode));
}

// EMFILE-1's second rule: a spinning process is runnable (running or
// waiting for a CPU) the whole time, however little CPU it gets; a
// sleeping one is not.
TEST(Procfs, SchedTimesTellASpinFromASleep) {
  pid_t spinner = fork();
  if (spinner == 0)
    for (;;) {
    }
  pid_t sleeper = fork();
  if (sleeper == 0) {
    pause();
    _exit(0);
  }
  auto spin_before = ReadSchedTimes(spinner), sleep_before = ReadSchedTimes(sleeper);
  Clock::time_point start = Clock::now();
  std::this_thread::sleep_for(Millis(300));
  auto spin_after = ReadSchedTimes(spinner), sleep_after = ReadSchedTimes(sleeper);
  double wall = MillisSince(start);
  kill(spinner, SIGKILL);
  kill(sleeper, SIGKILL);
  waitpid(spinner, nullptr, 0);
  waitpid(sleeper, nullptr, 0);
  ASSERT_TRUE(spin_before && spin_after && sleep_before && sleep_after);
  auto runnable = [](const SchedTimes& a, const SchedTimes& b) {
    return b.running_ms + b.waiting_ms - a.running_ms - a.waiting_ms;
  };
  EXPECT_GE(runnable(*spin_before, *spin_after), 0.8 * wall);
  EXPECT_LT(runnable(*sleep_before, *sleep_after), 0.2 * wall);
}

// sock_diag: a connection waiting in the accept queue is counted, and once
// accepted its server-side socket is the one this process holds.
TEST(Procfs, FindsAcceptQueueAndConnectionThroughSockDiag) {
  sockaddr_in addr{};
  int listener = LoopbackListener(4, &addr);
  ASSERT_GE(listener, 0);
  uint16_t port = ntohs(addr.sin_port);
  EXPECT_EQ(AcceptQueueLength(port), 0);
  int client = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  EXPECT_TRUE(PollUntil([&] { return AcceptQueueLength(port) == 1; }, Millis(2000)));
  sockaddr_in local{};
  socklen_t len = sizeof local;
  getsockname(client, reinterpret_cast<sockaddr*>(&local), &len);
  EXPECT_FALSE(TcpSocketInode(port, ntohs(local.sin_port)));  // queued: no descriptor yet
  int served = accept(listener, nullptr, nullptr);
  ASSERT_GE(served, 0);
  EXPECT_EQ(AcceptQueueLength(port), 0);
  auto inode = TcpSocketInode(port, ntohs(local.sin_port));
  ASSERT_TRUE(inode);
  EXPECT_TRUE(HoldsSocketInode(getpid(), *inode));
  for (int fd : {served, client, listener}) close(fd);
}

TEST(ZombieWatch, MeasuresHowLongAZombieLived) {
  ZombieWatch watch(getpid(), nullptr, Millis(1));
  pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_TRUE(PollUntil([&] { return watch.OpenZombies().count(child) == 1; }, Millis(5000)));
  // The zombie must live at least this long before the test reaps it.
  PollUntil([&] { return watch.OpenZombies()[child] >= 30; }, Millis(5000));
  waitpid(child, nullptr, 0);
  ASSERT_TRUE(PollUntil([&] { return watch.Snapshot()[child].gone_at.has_value(); }, Millis(5000)));
  auto lifetime = watch.Snapshot()[child].LifetimeMs();
  ASSERT_TRUE(lifetime);
  EXPECT_GE(*lifetime, 30.0);
}

// The timeline's lane of a child: forked, exited with the status the
// kernel shows a zombie's parent (proc(5) exit_code), reaped, in that order.
TEST(ZombieWatch, LogsForkExitWithStatusAndReap) {
  auto log = std::make_shared<EventLog>();
  ZombieWatch watch(getpid(), log, Millis(1));
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  pid_t child = fork();
  if (child == 0) {
    char byte;
    close(go[1]);
    (void)!read(go[0], &byte, 1);
    _exit(7);
  }
  ASSERT_TRUE(PollUntil([&] { return watch.Snapshot()[child].seen_at.has_value(); }, Millis(5000)));
  close(go[1]);
  ASSERT_TRUE(PollUntil([&] { return watch.OpenZombies().count(child) == 1; }, Millis(5000)));
  waitpid(child, nullptr, 0);
  close(go[0]);
  ASSERT_TRUE(PollUntil([&] { return watch.Snapshot()[child].gone_at.has_value(); }, Millis(5000)));
  std::vector<EventKind> kinds;
  for (const Event& event : log->Events()) {
    if (event.pid != child) continue;
    kinds.push_back(event.kind);
    if (event.kind == EventKind::kExited) EXPECT_EQ(DescribeWaitStatus(event.value), "exited with status 7");
    if (event.kind == EventKind::kForked) EXPECT_EQ(event.value, getpid());
  }
  EXPECT_EQ(kinds, (std::vector<EventKind>{EventKind::kForked, EventKind::kExited, EventKind::kReaped}));
}

TEST(EventLog, ReturnsEventsInTimeOrderWhateverTheOrderAdded) {
  Clock::time_point origin = Clock::now();
  EventLog log(origin);
  log.AddAt(origin + Millis(5), EventKind::kReaped, 2);
  log.AddAt(origin + Millis(1), EventKind::kForked, 2, 1);
  log.AddAt(origin + Millis(5), EventKind::kClosed, 0, 4000);
  std::vector<Event> events = log.Events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].kind, EventKind::kForked);
  EXPECT_DOUBLE_EQ(events[0].at_ms, 1.0);
  EXPECT_EQ(events[1].kind, EventKind::kReaped);
  EXPECT_EQ(events[2].kind, EventKind::kClosed);
  EXPECT_STREQ(EventKindName(events[2].kind), "closed");
}

TEST(OwnChildren, KillsEveryDescendantIncludingOrphans) {
  BecomeSubreaper();
  pid_t child = fork();
  if (child == 0) {
    if (fork() == 0) {
      pause();
      _exit(0);
    }
    _exit(0);  // the grandchild is orphaned and adopted by this test
  }
  ASSERT_TRUE(AwaitOwnChild(child, Millis(5000)));
  ASSERT_TRUE(PollUntil([] { return !DescendantsOf(getpid()).empty(); }, Millis(5000)));
  EXPECT_GE(KillAllDescendants(Millis(5000)), 1);
  EXPECT_TRUE(DescendantsOf(getpid()).empty());
}

}  // namespace
}  // namespace forkcheck
