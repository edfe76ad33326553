#include "property_tests/reaper_harness.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include <rapidcheck.h>

#include "src/signals.h"
#include "src/wait_status.h"
#include "src/wakeup.h"

namespace forkcheck {
namespace {

// While nothing happens the helper still looks at /proc this often.
constexpr int kIdlePollMs = 5;

int64_t NowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1000000;
}

timespec MsToTimespec(int64_t ms) {
  if (ms < 0) ms = 0;
  return timespec{static_cast<time_t>(ms / 1000), static_cast<long>(ms % 1000) * 1000000};
}

// ---- /proc ----------------------------------------------------------------

// State letter of /proc/<pid>/stat ('Z' for a zombie), 0 if there is none.
// Also the parent pid if `ppid` is given.
char ProcState(pid_t pid, pid_t* ppid = nullptr) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[512];
  ssize_t n;
  do n = read(fd, buf, sizeof buf - 1);
  while (n < 0 && errno == EINTR);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = '\0';
  // "pid (comm) S ppid ...": comm may hold spaces and parentheses.
  const char* close_paren = strrchr(buf, ')');
  if (!close_paren || close_paren[1] != ' ' || close_paren[2] == '\0') return 0;
  if (ppid) *ppid = static_cast<pid_t>(strtol(close_paren + 3, nullptr, 10));
  return close_paren[2];
}

// Every process whose parent is `parent`, with its state, from a scan of /proc.
std::vector<std::pair<pid_t, char>> ChildrenInProc(pid_t parent) {
  std::vector<std::pair<pid_t, char>> children;
  DIR* dir = opendir("/proc");
  if (!dir) return children;
  while (dirent* entry = readdir(dir)) {
    char* end;
    long pid = strtol(entry->d_name, &end, 10);
    if (*end != '\0' || pid <= 0) continue;
    pid_t ppid = 0;
    char state = ProcState(static_cast<pid_t>(pid), &ppid);
    if (state && ppid == parent) children.emplace_back(static_cast<pid_t>(pid), state);
  }
  closedir(dir);
  return children;
}

// ---- the children -----------------------------------------------------------

// Runs in a freshly forked child of the helper: async-signal-safe calls only.
[[noreturn]] void BecomeChild(const ChildPlan& plan, const int gate[2], int report_fd, pid_t helper) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != helper) _exit(125);
  close(report_fd);  // the test process reads the report until EOF
  close(gate[1]);
  signal(SIGALRM, SIG_DFL);
  rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  prctl(PR_SET_DUMPABLE, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  switch (plan.timing) {
    case ChildPlan::Timing::kTogether: {
      char byte;
      ssize_t n;  // EOF: the helper closed the gate
      while ((n = read(gate[0], &byte, 1)) != 0 && (n > 0 || errno == EINTR)) {
      }
      break;
    }
    case ChildPlan::Timing::kImmediate:
      break;
    case ChildPlan::Timing::kDelayed: {
      timespec delay = MsToTimespec(plan.delay_ms);
      while (nanosleep(&delay, &delay) != 0 && errno == EINTR) {
      }
      break;
    }
  }
  if (!plan.by_signal) _exit(plan.value);
  signal(plan.value, SIG_DFL);
  raise(plan.value);
  _exit(124);
}

// ---- the helper --------------------------------------------------------------

volatile sig_atomic_t g_alarms = 0;

void OnAlarm(int) {
  const int saved_errno = errno;
  g_alarms = g_alarms + 1;
  errno = saved_errno;
}

class Report {
 public:
  explicit Report(int fd) : fd_(fd) {}
  template <typename... Parts>
  void Line(const Parts&... parts) {
    std::ostringstream line;
    (line << ... << parts) << '\n';
    std::string text = line.str();
    size_t done = 0;
    while (done < text.size()) {
      ssize_t n = write(fd_, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      done += static_cast<size_t>(n);
    }
  }

 private:
  int fd_;
};

// Blocks until `pid` has terminated, without reaping it.
void WaitUntilDead(pid_t pid) {
  siginfo_t info;
  while (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR) {
  }
}

// The helper's whole life; returns its exit code. SIGCHLD and SIGALRM are
// blocked on entry (inherited), so no extra signal is lost or fatal.
int HelperMain(ReaperKind kind, const ReaperCase& c, const ReaperLimits& limits, int report_fd) {
  Report report(report_fd);
  setpgid(0, 0);  // the test process kills the group if anything is left
  SetDisposition(SIGALRM, OnAlarm);  // no SA_RESTART: interrupts waitpid and friends
  sigset_t alarm_only = MakeSigset({SIGALRM});
  sigprocmask(SIG_UNBLOCK, &alarm_only, nullptr);

  if (!InitWakeup()) return report.Line("error InitWakeup: ", strerror(errno)), 2;
  std::unique_ptr<Reaper> reaper = MakeReaper(kind);
  if (!reaper) return report.Line("error MakeReaper: ", strerror(errno)), 2;
  int gate[2];
  if (pipe2(gate, O_CLOEXEC) != 0) return report.Line("error pipe: ", strerror(errno)), 2;

  const pid_t self = getpid();
  std::vector<pid_t> pids;
  std::vector<pid_t> together;
  bool setup_failed = false;
  for (size_t i = 0; i < c.children.size(); ++i) {
    pid_t pid = fork();
    if (pid == 0) BecomeChild(c.children[i], gate, report_fd, self);
    if (pid < 0) {
      report.Line("error fork: ", strerror(errno));
      setup_failed = true;
      break;
    }
    pids.push_back(pid);
    if (c.children[i].timing == ChildPlan::Timing::kTogether) together.push_back(pid);
    report.Line("child ", i, ' ', pid);
  }
  close(gate[0]);
  bool released = together.empty() || setup_failed;
  if (released) close(gate[1]);

  // Like the server's loop: signals the reaper needs are deliverable only
  // inside ppoll; each wake-up drains the self-pipe and collects.
  sigset_t wait_mask;
  sigprocmask(SIG_BLOCK, nullptr, &wait_mask);
  reaper->UnblockForWait(&wait_mask);

  std::set<pid_t> pending(pids.begin(), pids.end());
  std::map<pid_t, int64_t> zombie_since;
  ReapedList reaped;
  auto collect = [&] {
    DrainWakeup();
    reaped.clear();
    reaper->Collect(&reaped);
    for (const Reaped& r : reaped) {
      report.Line("reaped ", r.pid, ' ', r.status);
      pending.erase(r.pid);
    }
  };
  auto wait_once = [&](int64_t timeout_ms) {
    pollfd fds[2] = {{WakeupReadFd(), POLLIN, 0}, {reaper->fd(), POLLIN, 0}};
    timespec ts = MsToTimespec(timeout_ms);
    ppoll(fds, reaper->fd() >= 0 ? 2 : 1, &ts, &wait_mask);
  };

  const int64_t start = NowMs();
  const int64_t deadline = start + limits.overall_ms;
  bool failed = setup_failed;
  while (!pending.empty() && !failed) {
    int64_t now = NowMs();
    if (!released && now >= start + c.release_ms) {
      // Release them together, and stay busy (SIGCHLD blocked) until every
      // one has terminated: their SIGCHLDs coalesce into one.
      close(gate[1]);
      for (pid_t pid : together) WaitUntilDead(pid);
      released = true;
      now = NowMs();
    }
    int64_t timeout = kIdlePollMs;
    if (!released) timeout = std::min<int64_t>(timeout, start + c.release_ms - now);
    wait_once(timeout);
    collect();
    // Between two Collect calls nothing reaps (SIGCHLD is blocked outside
    // ppoll, a signalfd reaper only reaps in Collect): /proc is stable.
    now = NowMs();
    for (pid_t pid : pending) {
      char state = ProcState(pid);
      if (state == 0) {
        report.Line("issue child ", pid, " vanished: reaped but never returned by Collect");
        failed = true;
      } else if (state == 'Z') {
        int64_t since = zombie_since.emplace(pid, now).first->second;
        if (now - since >= limits.zombie_grace_ms) {
          report.Line("issue child ", pid, " still a zombie ", now - since, " ms after it was seen terminated");
          failed = true;
        }
      } else if (now >= deadline) {
        report.Line("issue child ", pid, " still running (state ", state, ") at the deadline");
        failed = true;
      }
    }
  }

  if (!failed) {
    // Late duplicates: one more wake-up's worth of collecting.
    wait_once(0);
    collect();
    // No child of ours may be left in /proc (zombie or not): poll with a deadline.
    const int64_t proc_deadline = NowMs() + limits.zombie_grace_ms;
    std::vector<std::pair<pid_t, char>> left;
    while (!(left = ChildrenInProc(self)).empty() && NowMs() < proc_deadline) {
      wait_once(kIdlePollMs);
      collect();
    }
    for (const auto& [pid, state] : left) report.Line("issue left in /proc: child ", pid, " in state ", state);
  }

  // Cleanup, whatever happened: nothing may outlive the helper.
  reaper.reset();
  if (!released) close(gate[1]);
  for (pid_t pid : pending) kill(pid, SIGKILL);
  for (pid_t pid : pending) {
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  int status;
  pid_t stray;
  while ((stray = waitpid(-1, &status, WNOHANG)) > 0 || (stray < 0 && errno == EINTR)) {
    if (stray > 0) report.Line("issue child ", stray, " was still waitable after the reaper was done");
  }
  report.Line("done");
  return setup_failed ? 2 : 0;
}

// ---- the test process's side --------------------------------------------------

double TimeoutScale() {
  const char* scale = std::getenv("FORKCHECK_TIMEOUT_SCALE");
  double value = scale ? std::atof(scale) : 1.0;
  return value > 0 ? value : 1.0;
}

void ParseReport(const std::string& text, ReaperRun* run) {
  std::istringstream lines(text);
  std::string line;
  bool done = false;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string tag;
    words >> tag;
    if (tag == "child") {
      size_t index;
      pid_t pid;
      words >> index >> pid;
      if (index == run->pids.size()) run->pids.push_back(pid);
    } else if (tag == "reaped") {
      Reaped r{};
      words >> r.pid >> r.status;
      run->reaped.push_back(r);
    } else if (tag == "done") {
      done = true;
    } else {
      run->issues.push_back(line);
    }
  }
  if (!done) run->issues.push_back("the helper did not finish its report");
}

// The decoded status against the plan, field by field (Describe() is only
// for the messages).
bool Matches(const WaitStatus& status, const ChildPlan& plan) {
  if (status.core_dumped()) return false;
  if (plan.by_signal) return status.killed() && status.signal() == plan.value;
  return status.exited() && status.exit_code() == plan.value;
}

}  // namespace

ReaperLimits ScaledReaperLimits() {
  ReaperLimits limits;
  limits.zombie_grace_ms = static_cast<int>(limits.zombie_grace_ms * TimeoutScale());
  limits.overall_ms = static_cast<int>(limits.overall_ms * TimeoutScale());
  return limits;
}

ReaperRun RunReaperCase(ReaperKind kind, const ReaperCase& c, const ReaperLimits& limits) {
  ReaperRun run;
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) {
    run.issues.push_back(std::string("pipe: ") + strerror(errno));
    return run;
  }
  // The helper starts with SIGCHLD and SIGALRM blocked: an early extra
  // SIGALRM stays pending until its handler is in place.
  sigset_t block = MakeSigset({SIGCHLD, SIGALRM});
  sigset_t saved;
  sigprocmask(SIG_BLOCK, &block, &saved);
  pid_t helper = fork();
  if (helper == 0) {
    close(report[0]);
    _exit(HelperMain(kind, c, limits, report[1]));
  }
  sigprocmask(SIG_SETMASK, &saved, nullptr);
  close(report[1]);
  if (helper < 0) {
    close(report[0]);
    run.issues.push_back(std::string("fork: ") + strerror(errno));
    return run;
  }
  setpgid(helper, helper);  // also done by the helper; whichever runs first

  std::vector<ExtraSignal> extras = c.extras;
  std::stable_sort(extras.begin(), extras.end(),
                   [](const ExtraSignal& a, const ExtraSignal& b) { return a.at_ms < b.at_ms; });
  size_t next = 0;
  const int64_t start = NowMs();
  const int64_t deadline = start + limits.overall_ms + static_cast<int64_t>(5000 * TimeoutScale());
  std::string text;
  bool eof = false;
  bool timed_out = false;
  while (!eof) {
    int64_t now = NowMs();
    for (; next < extras.size() && now >= start + extras[next].at_ms; ++next) kill(helper, extras[next].signo);
    if (now >= deadline) {
      timed_out = true;
      break;
    }
    int64_t timeout = deadline - now;
    if (next < extras.size()) timeout = std::min<int64_t>(timeout, start + extras[next].at_ms - now);
    pollfd fd = {report[0], POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(std::max<int64_t>(timeout, 0))) <= 0) continue;
    char buf[4096];
    ssize_t n = read(report[0], buf, sizeof buf);
    if (n > 0) text.append(buf, static_cast<size_t>(n));
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) eof = true;
  }
  close(report[0]);
  if (!timed_out) WaitUntilDead(helper);  // EOF: it is exiting
  // Its group: the helper (still unreaped, so the group id cannot be reused)
  // and anything it may have left behind.
  kill(-helper, SIGKILL);
  int status = 0;
  while (waitpid(helper, &status, 0) < 0 && errno == EINTR) {
  }
  ParseReport(text, &run);
  if (timed_out) run.issues.push_back("the helper was killed at the deadline");
  run.helper_ok = !timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  run.helper_status = WaitStatus(status).Describe();
  return run;
}

void CheckReaper(ReaperKind kind, const ReaperCase& c, const ReaperLimits& limits) {
  ReaperRun run = RunReaperCase(kind, c, limits);
  RC_TAG(c.Together() >= 2 ? "2+ released together" : "at most 1 released together");
  for (const std::string& issue : run.issues) RC_LOG() << issue << std::endl;
  if (!run.helper_ok) RC_FAIL("the helper failed (" + run.helper_status + ")");
  RC_ASSERT(run.pids.size() == c.children.size());

  std::map<pid_t, size_t> index;
  for (size_t i = 0; i < run.pids.size(); ++i) index[run.pids[i]] = i;
  std::ostringstream wrong;
  std::map<pid_t, WaitStatus> got;  // pid -> decoded status
  for (const Reaped& r : run.reaped) {
    WaitStatus decoded(r.status);
    if (!index.count(r.pid)) {
      wrong << "reaped a pid that is no child of this case: " << r.pid << " " << decoded.Describe() << "; ";
    } else if (!got.emplace(r.pid, decoded).second) {
      wrong << "child " << index[r.pid] << " (pid " << r.pid << ") reaped twice; ";
    }
  }
  for (size_t i = 0; i < run.pids.size(); ++i) {
    auto it = got.find(run.pids[i]);
    std::string expected = ExpectedDescription(c.children[i]);
    if (it == got.end()) {
      wrong << "child " << i << " (pid " << run.pids[i] << ", " << expected << ") never reaped; ";
    } else if (!Matches(it->second, c.children[i]) || it->second.Describe() != expected) {
      wrong << "child " << i << " (pid " << run.pids[i] << ") " << it->second.Describe() << ", told: " << expected
            << "; ";
    }
  }
  for (const std::string& issue : run.issues) wrong << issue << "; ";
  if (!wrong.str().empty()) RC_FAIL(wrong.str());
}

}  // namespace forkcheck
