// Real daemons from Debian packages, each checked in its own protocol, on a
// few requirements whose verdicts conformance/COMPATIBILITY.md ("Daemons")
// explains from the daemon's source: busybox httpd and Python's ForkingMixIn
// HTTP server (--protocol=http), dropbear (--protocol=banner) and vsftpd
// (--protocol=exchange with tools/daemons/ftp.exchange). tools/bootstrap.sh
// installs them; a test whose daemon is missing fails, saying so.
#include <gtest/gtest.h>
#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "conformance/harness/deadline.h"
#include "conformance/harness/own_children.h"
#include "conformance/testing/run_process.h"
#include "conformance/testing/test_files.h"

namespace forkcheck {
namespace {

struct Verdict {
  std::string status;  // "pass", "fail", "skip", "blocked"
  std::string level;
  std::string evidence;
};

struct Checked {
  ProcessResult process;
  std::map<std::string, Verdict> verdicts;
  // Everything to print when an expectation fails.
  std::string Output() const { return process.out + process.err; }
};

class DaemonsTest : public testing::Test {
 protected:
  static void SetUpTestSuite() { BecomeSubreaper(); }
  void TearDown() override { ExpectNothingLeftRunning(); }

  // forkcheck starts each server in a temporary directory of its own and
  // makes only the program absolute: every path handed to a daemon (the
  // Python script) or to forkcheck (the exchange file) must be absolute.
  static std::string AbsoluteRunfile(const std::string& relative) {
    std::string path = Runfile(relative);
    if (path[0] == '/') return path;
    char cwd[PATH_MAX];
    return std::string(getcwd(cwd, sizeof cwd) ? cwd : ".") + "/" + path;
  }

  // A daemon the test needs; missing, the test fails with what to do.
  static void RequireInstalled(const std::string& program, const std::string& package) {
    ASSERT_EQ(access(program.c_str(), X_OK), 0)
        << program << " is not installed (Debian package " << package
        << "): run tools/bootstrap.sh (as root) to install the daemons this test checks";
  }

  // Runs forkcheck with `args` (options, "--", the daemon's command) and
  // reads its JSON report. --timeout-scale=3: these are verdicts about the
  // daemons, and a test machine running other tests beside them is the slow
  // machine the option is for (a Python child can take more than the
  // unscaled 2 s to appear, or to exit, when the load average is in the
  // hundreds); no verdict asserted here depends on a deadline being short.
  //
  // forkcheck picks a free port by binding port 0 and closing it, so the
  // port is one of the ephemeral range, which any connect() on the machine
  // (other tests' thousands of sessions) may take as its local port before
  // the daemon binds it ("bind: Address already in use"; vsftpd's die()
  // exits 2 without a word). No verdict asserted here is about a daemon
  // that does not start: such a run is made once more.
  static Checked Forkcheck(const std::string& name, std::vector<std::string> args) {
    std::string json = TempPath(name + ".json");
    args.insert(args.begin(),
                {Runfile("conformance/forkcheck"), "--seed=7", "--timeout-scale=3", "--json=" + json});
    Checked run;
    for (int attempt = 0; attempt < 2; ++attempt) {
      run = Checked{};
      unlink(json.c_str());
      run.process = RunProcess(args, Millis(120000));
      nlohmann::json report = nlohmann::json::parse(ReadFile(json), nullptr, /*allow_exceptions=*/false);
      if (report.is_object() && report["results"].is_array())
        for (const auto& entry : report["results"])
          run.verdicts[entry["id"]] = {entry["status"], entry["level"], entry["evidence"]};
      if (!DidNotStart(run)) break;
      std::cerr << name << ": the daemon did not start (" << DidNotStart(run)->evidence << "); run again\n";
    }
    return run;
  }

  static const Verdict* DidNotStart(const Checked& run) {
    for (const auto& entry : run.verdicts)
      if (entry.second.evidence.find("the server did not start") != std::string::npos) return &entry.second;
    return nullptr;
  }
};

// The verdict of `id`, with its evidence and forkcheck's output on a mismatch.
void ExpectVerdict(const Checked& run, const std::string& id, const std::string& status) {
  auto found = run.verdicts.find(id);
  ASSERT_NE(found, run.verdicts.end()) << id << " not in the report:\n" << run.Output();
  EXPECT_EQ(found->second.status, status) << id << ": " << found->second.evidence << "\n" << run.Output();
}

// FORK-1's evidence names the pids cgroup forkcheck made for the server;
// it must be gone once forkcheck has exited. (It used to be left behind now
// and then, removed while a session process in it was still exiting.)
// Whatever is left is removed, so the test leaves nothing behind.
void ExpectCgroupRemoved(const std::string& evidence) {
  size_t start = evidence.find("(/sys/fs/cgroup/");
  if (start == std::string::npos) return;
  size_t end = evidence.find(')', start);
  std::string path = evidence.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
  if (path.find("/forkcheck.") == std::string::npos || access(path.c_str(), F_OK) != 0) return;
  ADD_FAILURE() << "forkcheck left its cgroup " << path << " behind";
  if (!PollUntil([&] { return rmdir(path.c_str()) == 0 || errno == ENOENT; }, Millis(5000), Millis(10)))
    ADD_FAILURE() << path << " could not be removed either";
}

void ExpectEvidence(const Checked& run, const std::string& id, const std::string& part) {
  auto found = run.verdicts.find(id);
  ASSERT_NE(found, run.verdicts.end()) << id << " not in the report:\n" << run.Output();
  EXPECT_NE(found->second.evidence.find(part), std::string::npos) << id << ": " << found->second.evidence;
}

// busybox httpd forks a child per request and lets the kernel reap them
// (SIGCHLD ignored); its reply of a large file survives a SIGCHLD storm on
// the child. On EMFILE its accept loop retries at once (`if (n < 0)
// continue;` in mini_httpd()): a spin, a SHOULD failure, so forkcheck still
// exits 0 (but see the load guard below).
TEST_F(DaemonsTest, BusyboxHttpdServesAndReapsButSpinsOnEmfile) {
  RequireInstalled("/bin/busybox", "busybox");
  if (HasFatalFailure()) return;
  Checked run = Forkcheck("busybox", {"--protocol=http", "--http-large-path=/large.bin",
                                  "--only=CONC-1,REAP-2,FD-2,INTR-3,EMFILE-1", "--",
                                  AbsoluteRunfile("tools/daemons/busybox_httpd.sh"), "{port}"});
  EXPECT_EQ(run.process.exit_code(), 0) << run.Output();
  for (const char* id : {"CONC-1", "REAP-2", "FD-2", "INTR-3"}) ExpectVerdict(run, id, "pass");
  ExpectEvidence(run, "INTR-3", "arrived complete");
  // A spin is judged by CPU share or, on a machine too busy to give the
  // daemon a core, by the time it spent runnable (schedstat): the verdict
  // holds under any load.
  ExpectVerdict(run, "EMFILE-1", "fail");
  EXPECT_EQ(run.verdicts["EMFILE-1"].level, "SHOULD");
  ExpectEvidence(run, "EMFILE-1", "it spins");
}

// socketserver.ForkingMixIn: the child never closes the listening socket
// (FD-1, SHOULD); collect_children() reaps from serve_forever()'s 0.5 s poll,
// within the grace; at max_children = 40 it blocks in waitpid() and further
// clients wait in the backlog (LIMIT-1).
TEST_F(DaemonsTest, PythonForkingHttpChildrenKeepTheListener) {
  RequireInstalled("/usr/bin/python3", "python3");
  if (HasFatalFailure()) return;
  Checked run = Forkcheck("python", {"--protocol=http", "--profile=limit", "--max-children=40",
                                 "--only=REAP-2,FD-1,LIMIT-1", "--", "/usr/bin/python3",
                                 AbsoluteRunfile("tools/daemons/forking_http_server.py"), "{port}"});
  EXPECT_EQ(run.process.exit_code(), 0) << run.Output();
  ExpectVerdict(run, "FD-1", "fail");
  ExpectEvidence(run, "FD-1", "still holds the listening socket");
  ExpectVerdict(run, "REAP-2", "pass");
  ExpectVerdict(run, "LIMIT-1", "pass");
}

// dropbear keeps at most 5 unauthenticated sessions per address
// (MAX_UNAUTH_PER_IP); declared, the burst and descriptor checks stay
// within it and pass. A client beyond the cap is closed, not queued
// (LIMIT-1, SHOULD).
TEST_F(DaemonsTest, DropbearBannerWithItsCapOfFive) {
  RequireInstalled("/usr/sbin/dropbear", "dropbear-bin");
  if (HasFatalFailure()) return;
  Checked run = Forkcheck("dropbear", {"--protocol=banner", "--banner=^SSH-2\\.0-", "--profile=limit",
                                   "--max-children=5", "--only=CONC-1,REAP-2,FD-2,LIMIT-1", "--",
                                   "/usr/sbin/dropbear", "-F", "-E", "-R", "-P", "dropbear.pid", "-p",
                                   "127.0.0.1:{port}"});
  EXPECT_EQ(run.process.exit_code(), 0) << run.Output();
  for (const char* id : {"CONC-1", "REAP-2", "FD-2"}) ExpectVerdict(run, id, "pass");
  ExpectVerdict(run, "LIMIT-1", "fail");
  ExpectEvidence(run, "LIMIT-1", "was not served");
}

// Without the cap declared, REAP-2's burst of 64 meets dropbear's refusal of
// a sixth session, and the evidence says to declare the cap.
TEST_F(DaemonsTest, DropbearWithoutItsCapDeclaredRefusesTheSixthSession) {
  RequireInstalled("/usr/sbin/dropbear", "dropbear-bin");
  if (HasFatalFailure()) return;
  Checked run = Forkcheck("dropbear-nocap", {"--protocol=banner", "--banner=^SSH-2\\.0-", "--only=REAP-2", "--",
                                         "/usr/sbin/dropbear", "-F", "-E", "-R", "-P", "dropbear.pid", "-p",
                                         "127.0.0.1:{port}"});
  EXPECT_EQ(run.process.exit_code(), 1) << run.Output();
  ExpectVerdict(run, "REAP-2", "fail");
  ExpectEvidence(run, "REAP-2", "session 6 of 64");
  ExpectEvidence(run, "REAP-2", "declare the cap with --max-children");
}

// vsftpd after an anonymous login: a session process (and its own child)
// per connection, reaped through its SIGCHLD framework. It makes sessions
// with a raw clone() (isolate=YES), which the preload's fork() never sees:
// FORK-1 then rests on the pids cgroup, when the runner may use one.
// REAP-1 is left out: vsftpd reaps a child whose SIGCHLD came just before
// accept() blocked only when its alarm(1) fires, about 1 s later, right at
// the default reap grace.
TEST_F(DaemonsTest, VsftpdAfterLoginServesReapsAndSurvivesForkFailure) {
  RequireInstalled("/usr/sbin/vsftpd", "vsftpd");
  if (HasFatalFailure()) return;
  Checked run = Forkcheck("vsftpd", {"--protocol=exchange:" + AbsoluteRunfile("tools/daemons/ftp.exchange"),
                                 "--only=CONC-1,REAP-2,FORK-1", "--",
                                 AbsoluteRunfile("tools/daemons/vsftpd.sh"), "{port}"});
  EXPECT_EQ(run.process.exit_code(), 0) << run.Output();
  ExpectVerdict(run, "CONC-1", "pass");
  ExpectVerdict(run, "REAP-2", "pass");
  // Where forkcheck may use a pids cgroup its EAGAIN reaches the clone();
  // where not, nothing does, and FORK-1 must say so.
  if (run.verdicts["FORK-1"].status == "skip") {
    ExpectEvidence(run, "FORK-1", "no writable cgroup pids controller");
  } else {
    ExpectVerdict(run, "FORK-1", "pass");
    ExpectEvidence(run, "FORK-1", "pids.max");
  }
  ExpectEvidence(run, "FORK-1", "never called fork()");
  ExpectCgroupRemoved(run.verdicts["FORK-1"].evidence);
}

// vsftpd's listener dies of SIGTERM. Its session processes asked for a
// parent-death signal (prctl PR_SET_PDEATHSIG, SIGTERM), and end with it
// while nobody has logged in; after a login the session process has
// setuid() to an unprivileged user, which clears that signal (prctl(2)),
// so logged-in sessions outlive the listener.
TEST_F(DaemonsTest, VsftpdSessionsEndWithTheListenerOnlyBeforeLogin) {
  RequireInstalled("/usr/sbin/vsftpd", "vsftpd");
  if (HasFatalFailure()) return;
  std::string vsftpd = AbsoluteRunfile("tools/daemons/vsftpd.sh");
  Checked before = Forkcheck("vsftpd-banner", {"--protocol=banner", "--banner=^220 ", "--profile=shutdown",
                                           "--shutdown-grace=2000", "--only=SHUT-1", "--", vsftpd, "{port}"});
  EXPECT_EQ(before.process.exit_code(), 0) << before.Output();
  ExpectVerdict(before, "SHUT-1", "pass");
  Checked after = Forkcheck("vsftpd-login", {"--protocol=exchange:" + AbsoluteRunfile("tools/daemons/ftp.exchange"),
                                         "--profile=shutdown", "--shutdown-grace=2000", "--only=SHUT-1", "--",
                                         vsftpd, "{port}"});
  EXPECT_EQ(after.process.exit_code(), 0) << after.Output();
  ExpectVerdict(after, "SHUT-1", "fail");
  ExpectEvidence(after, "SHUT-1", "orphaned, still running");
}

}  // namespace
}  // namespace forkcheck
