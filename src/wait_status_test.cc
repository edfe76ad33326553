// WaitStatus against real children: every exit code, every signal whose
// default action terminates, core dumps, stop and continue.
#include "src/wait_status.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "src/testing/test_env.h"

namespace forkcheck {
namespace {

int WaitFor(pid_t pid, int options = 0) {
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, options), pid);
  return status;
}

[[noreturn]] void DieBySignal(int sig, rlim_t core_limit) {
  rlimit lim;
  getrlimit(RLIMIT_CORE, &lim);
  lim.rlim_cur = core_limit == RLIM_INFINITY ? lim.rlim_max : core_limit;
  setrlimit(RLIMIT_CORE, &lim);
  signal(sig, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
  kill(getpid(), sig);
  _exit(200);
}

int KillChild(int sig, rlim_t core_limit) {
  pid_t pid = fork();
  if (pid == 0) DieBySignal(sig, core_limit);
  return WaitFor(pid);
}

// Signals whose default disposition terminates the process (SIGKILL included
// although it is not catchable), with or without a core dump per signal(7).
const std::vector<int>& CoreSignals() {
  static const std::vector<int> v = {SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS,
                                     SIGFPE,  SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS};
  return v;
}

std::vector<int> TerminatingSignals() {
  std::vector<int> v = {SIGHUP,  SIGINT,    SIGKILL, SIGUSR1,   SIGUSR2,
                        SIGPIPE, SIGALRM,   SIGTERM, SIGSTKFLT, SIGVTALRM,
                        SIGPROF, SIGIO,     SIGPWR};
  v.insert(v.end(), CoreSignals().begin(), CoreSignals().end());
  for (int sig = SIGRTMIN; sig <= SIGRTMAX; ++sig) v.push_back(sig);
  return v;
}

TEST(WaitStatusTest, EveryExitCode) {
  for (int code = 0; code <= 255; ++code) {
    pid_t pid = fork();
    if (pid == 0) _exit(code);
    WaitStatus st(WaitFor(pid));
    ASSERT_TRUE(st.exited()) << code;
    EXPECT_FALSE(st.killed());
    EXPECT_EQ(st.exit_code(), code);
    EXPECT_EQ(st.Describe(), "exited with status " + std::to_string(code));
  }
}

TEST(WaitStatusTest, EveryTerminatingSignalWithoutCore) {
  for (int sig : TerminatingSignals()) {
    WaitStatus st(KillChild(sig, 0));
    ASSERT_TRUE(st.killed()) << sig << ": " << st.Describe();
    EXPECT_EQ(st.signal(), sig);
    EXPECT_FALSE(st.core_dumped()) << sig;
    EXPECT_EQ(st.Describe(), "killed by signal " + std::to_string(sig));
  }
}

std::string CorePattern() {
  std::ifstream in("/proc/sys/kernel/core_pattern");
  std::string pattern;
  std::getline(in, pattern);
  return pattern;
}

TEST(WaitStatusTest, CoreDumpingSignals) {
  const std::string pattern = CorePattern();
  if (!pattern.empty() && pattern[0] == '|') {
    GTEST_SKIP() << "core_pattern pipes to a program (" << pattern
                 << "); WCOREDUMP depends on it";
  }
  rlimit lim;
  getrlimit(RLIMIT_CORE, &lim);
  if (lim.rlim_max != RLIM_INFINITY && lim.rlim_max < (1 << 20)) {
    GTEST_SKIP() << "hard RLIMIT_CORE too small: " << lim.rlim_max;
  }
  // A relative core_pattern is resolved against the cwd of the dying process.
  ASSERT_EQ(chdir(testing::TestTmpDir().c_str()), 0);
  WaitStatus probe(KillChild(SIGABRT, RLIM_INFINITY));
  if (!probe.core_dumped()) {
    GTEST_SKIP() << "no core was written (core_pattern '" << pattern
                 << "', cwd " << testing::TestTmpDir() << ")";
  }
  for (int sig : CoreSignals()) {
    WaitStatus st(KillChild(sig, RLIM_INFINITY));
    ASSERT_TRUE(st.killed()) << sig;
    EXPECT_EQ(st.signal(), sig);
    EXPECT_TRUE(st.core_dumped()) << sig;
    EXPECT_EQ(st.Describe(),
              "killed by signal " + std::to_string(sig) + " (core dumped)");
  }
}

TEST(WaitStatusTest, StoppedAndContinued) {
  for (int stop_sig : {SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU}) {
    pid_t pid = fork();
    if (pid == 0) {
      for (;;) pause();
    }
    ASSERT_EQ(kill(pid, stop_sig), 0);
    WaitStatus stopped(WaitFor(pid, WUNTRACED));
    ASSERT_TRUE(stopped.stopped()) << stopped.Describe();
    EXPECT_EQ(stopped.signal(), stop_sig);
    EXPECT_EQ(stopped.Describe(), "stopped by signal " + std::to_string(stop_sig));

    ASSERT_EQ(kill(pid, SIGCONT), 0);
    WaitStatus continued(WaitFor(pid, WCONTINUED));
    ASSERT_TRUE(continued.continued());
    EXPECT_EQ(continued.Describe(), "continued");

    kill(pid, SIGKILL);
    WaitStatus killed(WaitFor(pid));
    EXPECT_EQ(killed.Describe(), "killed by signal 9");
  }
}

}  // namespace
}  // namespace forkcheck
