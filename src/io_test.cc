// WriteAll completes short writes and survives EINTR; the cancel flag ends a
// blocked write without sending extra bytes.
#include "src/io.h"

#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "src/signals.h"

namespace forkcheck {
namespace {

volatile sig_atomic_t g_cancel = 0;
void OnUsr1(int) {}
void OnUsr2(int) { g_cancel = 1; }

TEST(IoTest, WriteAllCompletesShortWritesUnderSignals) {
  SetDisposition(SIGUSR1, OnUsr1);  // no SA_RESTART: EINTR really happens
  int sv[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  int small = 4096;
  setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  std::string payload(4 << 20, '\0');
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i * 7);

  std::atomic<bool> done{false};
  std::atomic<bool> started{false};
  pthread_t writer_thread;
  WriteResult result = WriteResult::kError;
  std::thread writer([&] {
    writer_thread = pthread_self();
    started = true;
    result = WriteAll(sv[0], payload.data(), payload.size());
    shutdown(sv[0], SHUT_WR);
    done = true;
  });
  std::thread pest([&] {
    while (!started) std::this_thread::yield();
    while (!done) {
      pthread_kill(writer_thread, SIGUSR1);
      std::this_thread::yield();
    }
  });
  std::string got;
  char buf[1000];  // small reads force many short writes on the other side
  ssize_t n;
  while ((n = ReadRetryingEintr(sv[1], buf, sizeof buf)) > 0) got.append(buf, n);
  writer.join();
  pest.join();
  EXPECT_EQ(result, WriteResult::kOk);
  EXPECT_TRUE(got == payload);
  close(sv[0]);
  close(sv[1]);
  SetDisposition(SIGUSR1, SIG_DFL);
}

TEST(IoTest, CancelledWriteStopsWithoutExtraBytes) {
  SetDisposition(SIGUSR2, OnUsr2);
  int sv[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  std::string payload(8 << 20, 'x');
  g_cancel = 0;
  pthread_t writer_thread;
  std::atomic<bool> started{false};
  std::atomic<bool> done{false};
  WriteResult result = WriteResult::kOk;
  std::thread writer([&] {
    writer_thread = pthread_self();
    started = true;
    result = WriteAll(sv[0], payload.data(), payload.size(), &g_cancel);
    done = true;
  });
  while (!started) std::this_thread::yield();
  // Nobody reads: the writer blocks until the "timer" signal cancels it.
  while (!done) {
    pthread_kill(writer_thread, SIGUSR2);
    std::this_thread::yield();
  }
  writer.join();
  EXPECT_EQ(result, WriteResult::kCancelled);
  close(sv[0]);
  std::string got;
  char buf[65536];
  ssize_t n;
  while ((n = ReadRetryingEintr(sv[1], buf, sizeof buf)) > 0) got.append(buf, n);
  EXPECT_LT(got.size(), payload.size());
  EXPECT_EQ(got, std::string(got.size(), 'x'));
  close(sv[1]);
  SetDisposition(SIGUSR2, SIG_DFL);
}

}  // namespace
}  // namespace forkcheck
