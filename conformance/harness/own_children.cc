#include "conformance/harness/own_children.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pthread.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "conformance/harness/procfs.h"

namespace forkcheck {
namespace {

std::mutex g_mutex;
std::map<pid_t, int>& Statuses() {
  static auto* statuses = new std::map<pid_t, int>;
  return *statuses;
}

}  // namespace

void BecomeSubreaper() { prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

void ReapOwnChildren() {
  for (;;) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, WNOHANG | __WALL);
    if (pid <= 0) return;
    std::lock_guard<std::mutex> lock(g_mutex);
    Statuses()[pid] = status;
  }
}

std::optional<int> OwnChildStatus(pid_t pid) {
  std::lock_guard<std::mutex> lock(g_mutex);
  auto it = Statuses().find(pid);
  if (it == Statuses().end()) return std::nullopt;
  return it->second;
}

std::optional<int> AwaitOwnChild(pid_t pid, Millis budget) {
  std::optional<int> status;
  PollUntil(
      [&] {
        ReapOwnChildren();
        status = OwnChildStatus(pid);
        return status.has_value();
      },
      budget, Millis(1));
  return status;
}

std::atomic<bool> g_terminating{false};

bool Terminating() { return g_terminating; }

void AwaitTermination() {
  for (;;) pause();
}

void KillDescendantsOnTermination() {
  static sigset_t stops;
  sigemptyset(&stops);
  for (int signo : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&stops, signo);
  pthread_sigmask(SIG_BLOCK, &stops, nullptr);
  std::thread([] {
    int signo = 0;
    sigwait(&stops, &signo);
    g_terminating = true;
    KillAllDescendants(Millis(10000));
    _exit(128 + signo);
  }).detach();
}

int KillAllDescendants(Millis budget) {
  int killed = 0;
  Deadline deadline(budget);
  for (;;) {
    ReapOwnChildren();
    std::vector<ProcStat> left = DescendantsOf(getpid());
    if (left.empty() || deadline.Expired()) return killed;
    for (const ProcStat& proc : left) {
      if (proc.zombie()) continue;
      if (kill(proc.pid, SIGKILL) == 0) ++killed;
    }
    std::this_thread::sleep_for(Millis(1));
  }
}

}  // namespace forkcheck
