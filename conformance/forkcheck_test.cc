// The forkcheck binary as a user runs it: exit codes, usage errors, reports,
// and that nothing it started outlives it, whatever the server does.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "conformance/harness/own_children.h"
#include "conformance/harness/procfs.h"
#include "conformance/testing/run_process.h"
#include "conformance/testing/test_files.h"
#include "scenarios/scenario.h"

namespace forkcheck {
namespace {

int CountLines(const std::string& text) {
  int lines = 0;
  for (char c : text) lines += c == '\n';
  return lines;
}

class ForkcheckTest : public testing::Test {
 protected:
  static void SetUpTestSuite() { BecomeSubreaper(); }

  ProcessResult Forkcheck(std::vector<std::string> args, Millis budget = Millis(90000)) {
    args.insert(args.begin(), Runfile("conformance/forkcheck"));
    return RunProcess(args, budget);
  }

  void TearDown() override { ExpectNothingLeftRunning(); }
};

TEST_F(ForkcheckTest, ListNamesEveryRequirement) {
  ProcessResult result = Forkcheck({"--list"});
  EXPECT_EQ(result.exit_code(), 0);
  for (const char* id : {"ECHO-1", "ECHO-2", "CONC-1", "REAP-1", "REAP-2", "REAP-3", "REAP-4", "REAP-5", "INTR-1",
                         "INTR-2", "INTR-3", "FD-1", "FD-2", "FORK-1", "FORK-2", "EMFILE-1", "WAIT-1", "LOAD-1",
                         "LIMIT-1", "SHUT-1", "SHUT-2", "STAT-1", "STAT-2", "STAT-3", "STAT-4", "ALRM-1", "ALRM-2",
                         "ALRM-3"})
    EXPECT_NE(result.out.find(id), std::string::npos) << id;
}

// Under http, the requirements that need an echo are listed as skipped,
// each with why; the rest apply.
TEST_F(ForkcheckTest, ListUnderAProtocolSaysWhatAppliesAndWhy) {
  ProcessResult result = Forkcheck({"--list", "--protocol=http"});
  EXPECT_EQ(result.exit_code(), 0) << result.err;
  std::istringstream lines(result.out);
  std::map<std::string, std::string> skipped;
  std::string line, last_id;
  while (std::getline(lines, line)) {
    if (line.rfind("         skipped with --protocol=http: ", 0) == 0) skipped[last_id] = line;
    else last_id = line.substr(0, line.find(' '));
  }
  for (const char* id : {"ECHO-1", "ECHO-2", "ALRM-2", "ALRM-3", "INTR-3"}) EXPECT_TRUE(skipped.count(id)) << id;
  EXPECT_NE(skipped["ECHO-1"].find("only --protocol=echo gives"), std::string::npos);
  EXPECT_NE(skipped["INTR-3"].find("--http-large-path"), std::string::npos);
  for (const char* id : {"CONC-1", "REAP-2", "FORK-1", "LIMIT-1", "SHUT-1", "ALRM-1"}) EXPECT_FALSE(skipped.count(id)) << id;
  EXPECT_NE(result.out.find("with --protocol=http and --model=fork, 23 of 32 requirements apply"), std::string::npos) << result.out;
  ProcessResult large = Forkcheck({"--list", "--protocol=http", "--http-large-path=/big"});
  EXPECT_NE(large.out.find("24 of 32 requirements apply"), std::string::npos) << large.out;
}

TEST_F(ForkcheckTest, HelpListsOptionsAndExitsZero) {
  ProcessResult result = Forkcheck({"--help"});
  EXPECT_EQ(result.exit_code(), 0);
  for (const char* option : {"--profile", "--idle-timeout", "--max-children", "--shutdown-grace", "--status-pattern",
                             "--reap-grace", "--only", "--skip", "--list", "--seed", "--repeat", "--json", "--junit",
                             "--timeout-scale", "--verbose", "--html", "--trace", "--protocol",
                             "--http-path", "--http-large-path", "--banner"})
    EXPECT_NE(result.out.find(option), std::string::npos) << option;
}

struct BadInput {
  std::vector<std::string> args;
  const char* named;
};

TEST_F(ForkcheckTest, BadInputGivesOneLineNamingItAndExitTwo) {
  const BadInput cases[] = {
      {{"--bogus"}, "--bogus"},
      {{"--max-children=abc"}, "--max-children"},
      {{"--idle-timeout=-5"}, "--idle-timeout"},
      {{"--profile=core,tea"}, "tea"},
      {{"--only=NOPE-*"}, "--only"},
      {{"--status-pattern=(unclosed"}, "--status-pattern"},
      {{"--status-pattern=no groups"}, "pid"},
      {{"--", "/nonexistent/server"}, "/nonexistent/server"},
      {{"--backends=preload,tea"}, "tea"},
      {{"--host=10.0.0.1"}, "10.0.0.1"},
      {{"--host=localhost"}, "localhost"},
      {{"--html=/nonexistent/dir/report.html"}, "/nonexistent/dir"},
      {{"--protocol=gopher"}, "gopher"},
      {{"--protocol=exchange:/nonexistent/script"}, "/nonexistent/script"},
      {{"--protocol=banner", "--banner=(unclosed"}, "--banner"},
      {{"--protocol=http", "--http-path=index.html"}, "index.html"},
      {{"fuzz", "--protocol=gopher"}, "gopher"},
      {{"--trace=/nonexistent/dir/trace.json"}, "/nonexistent/dir"},
      {{"--json=/nonexistent/dir/report.json"}, "/nonexistent/dir"},
      {{"--xpass=maybe"}, "--xpass"},
      {{"--expectations=/nonexistent/known-failures"}, "/nonexistent/known-failures"},
  };
  for (const BadInput& bad : cases) {
    ProcessResult result = Forkcheck(bad.args, Millis(10000));
    EXPECT_EQ(result.exit_code(), 2) << bad.args[0];
    EXPECT_EQ(CountLines(result.err), 1) << result.err;
    EXPECT_NE(result.err.find(bad.named), std::string::npos) << result.err;
  }
}

TEST_F(ForkcheckTest, ReferenceSubsetPassesAndWritesJsonAndJunit) {
  std::string json = TempPath("report.json"), junit = TempPath("report.xml");
  ProcessResult result = Forkcheck({"--only=ECHO-*,REAP-2", "--seed=42", "--json=" + json, "--junit=" + junit});
  EXPECT_EQ(result.exit_code(), 0) << result.out << result.err;
  EXPECT_NE(result.out.find("PASS  REAP-2"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("seed 42"), std::string::npos);
  nlohmann::json report = nlohmann::json::parse(ReadFile(json));
  EXPECT_EQ(report["seed"], 42);
  ASSERT_EQ(report["results"].size(), 3u);
  for (const auto& entry : report["results"]) {
    EXPECT_EQ(entry["status"], "pass") << entry.dump();
    for (const char* key : {"id", "level", "profile", "evidence", "duration_ms"}) EXPECT_TRUE(entry.contains(key));
  }
  EXPECT_EQ(report["summary"]["passed"], 3);
  // A zombie reaped within one /proc sample is counted, not timed.
  EXPECT_GT(report["reap_latency_ms"]["samples"].get<int>() + report["reap_latency_ms"]["reaped_before_seen"].get<int>(), 0);
  EXPECT_TRUE(report["sut"].is_array());
  std::string xml = ReadFile(junit);
  EXPECT_NE(xml.find("<testsuite name=\"forkcheck\" tests=\"3\" failures=\"0\""), std::string::npos) << xml;
}

// The trace of a run where the server reaps one child per SIGCHLD: every case
// is a trace process, every server process a thread with its slices, and
// REAP-2's unreaped children are zombie slices that last to the case's end.
TEST_F(ForkcheckTest, TraceHasATrackPerProcessAndZombieSlices) {
  std::string trace = TempPath("reap_once.trace.json");
  ProcessResult result = Forkcheck({"--only=ECHO-1,REAP-2", "--seed=5", "--trace=" + trace, "--",
                                    Runfile("scenarios/testdata/mutant_server"), "--port={port}", "--bug=reap-once"});
  EXPECT_EQ(result.exit_code(), 1) << result.out << result.err;
  nlohmann::json document = nlohmann::json::parse(ReadFile(trace));
  ASSERT_TRUE(document["traceEvents"].is_array());
  std::map<int, std::string> cases;
  std::map<int, int> children, zombies, unreaped, kit_actions;
  for (const auto& event : document["traceEvents"]) {
    ASSERT_TRUE(event.contains("ph") && event.contains("pid") && event.contains("name")) << event.dump();
    std::string phase = event["ph"], name = event["name"];
    int pid = event["pid"];
    if (phase != "M") ASSERT_TRUE(event["ts"].is_number()) << event.dump();
    if (phase == "X") ASSERT_GE(event["dur"].get<double>(), 0) << event.dump();
    if (phase == "M" && name == "process_name") cases[pid] = event["args"]["name"];
    if (phase == "M" && name == "thread_name" && event["args"]["name"].get<std::string>().rfind("child ", 0) == 0)
      ++children[pid];
    if (phase == "X" && name == "zombie") ++zombies[pid], unreaped[pid] += event["args"].contains("never_reaped");
    if (phase == "i" && name == "connected") ++kit_actions[pid];
  }
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[1].rfind("ECHO-1 PASS", 0), 0u) << cases[1];
  EXPECT_EQ(cases[2].rfind("REAP-2 FAIL", 0), 0u) << cases[2];
  EXPECT_GE(children[2], 2) << "a burst forks several children";
  EXPECT_GE(unreaped[2], 1) << "reap-once leaves zombies unreaped";
  EXPECT_GE(zombies[2], unreaped[2]);
  EXPECT_GE(kit_actions[1], 1);
  EXPECT_GE(kit_actions[2], 2);
}

// Cases side by side, each in a process of its own, give the verdicts of
// one case at a time, printed in SPEC order.
TEST_F(ForkcheckTest, JobsGiveTheSameVerdictsInTheSameOrder) {
  std::map<int, std::string> outputs;
  std::map<int, std::vector<std::pair<std::string, std::string>>> verdicts;
  for (int jobs : {1, 2}) {
    std::string json = TempPath("jobs" + std::to_string(jobs) + ".json");
    ProcessResult result = Forkcheck({"--only=ECHO-1,CONC-1,REAP-1,REAP-2,FD-2,EMFILE-1,STAT-2", "--seed=9",
                                      "--jobs=" + std::to_string(jobs), "--json=" + json, "--",
                                      Runfile("scenarios/testdata/mutant_server"), "--port={port}", "--bug=reap-once",
                                      "--test-hooks"});
    EXPECT_EQ(result.exit_code(), 1) << result.out << result.err;
    nlohmann::json report = nlohmann::json::parse(ReadFile(json));
    for (const auto& entry : report["results"]) verdicts[jobs].push_back({entry["id"], entry["status"]});
    outputs[jobs] = result.out;
  }
  EXPECT_EQ(verdicts[1], verdicts[2]) << outputs[1] << "\n---\n" << outputs[2];
  ASSERT_EQ(verdicts[2].size(), 7u);
  EXPECT_EQ(verdicts[2][3], (std::pair<std::string, std::string>{"REAP-2", "fail"}));
}

TEST_F(ForkcheckTest, SocketActivationWhenNoPortPlaceholder) {
  ProcessResult result = Forkcheck({"--only=ECHO-1,REAP-1", "--", Runfile("src/reference_server")});
  EXPECT_EQ(result.exit_code(), 0) << result.out << result.err;
  EXPECT_NE(result.out.find("PASS  REAP-1"), std::string::npos) << result.out;
}

TEST_F(ForkcheckTest, MustFailureExitsOneWithEvidenceAndHint) {
  std::string json = TempPath("fail.json");
  ProcessResult result = Forkcheck({"--only=REAP-2", "--json=" + json, "--",
                                    Runfile("scenarios/testdata/mutant_server"), "--port={port}", "--bug=reap-once"});
  EXPECT_EQ(result.exit_code(), 1) << result.out << result.err;
  EXPECT_NE(result.out.find("FAIL  REAP-2"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("evidence: "), std::string::npos);
  EXPECT_NE(result.out.find("waitpid(-1, &st, WNOHANG)"), std::string::npos);
  nlohmann::json report = nlohmann::json::parse(ReadFile(json));
  EXPECT_EQ(report["results"][0]["status"], "fail");
  EXPECT_EQ(report["summary"]["must_failed"], 1);
}

TEST_F(ForkcheckTest, ShouldFailureAloneStillExitsZero) {
  ProcessResult result = Forkcheck({"--only=FD-1", "--", Runfile("scenarios/testdata/mutant_server"),
                                    "--port={port}", "--bug=keep-listener"});
  EXPECT_EQ(result.exit_code(), 0) << result.out;
  EXPECT_NE(result.out.find("FAIL  FD-1"), std::string::npos) << result.out;
}

TEST_F(ForkcheckTest, ServerIgnoringSigtermLeavesNothingBehind) {
  ProcessResult result = Forkcheck({"--only=ECHO-1,SHUT-*", "--profile=shutdown", "--shutdown-grace=300", "--",
                                    Runfile("scenarios/testdata/ignore_term_server"), "--port={port}"});
  EXPECT_FALSE(result.timed_out);
  EXPECT_NE(result.out.find("FAIL  SHUT-1"), std::string::npos) << result.out;
}

TEST_F(ForkcheckTest, DoubleForkingServerLeavesNothingBehind) {
  ProcessResult result = Forkcheck({"--only=ECHO-*,CONC-1", "--", Runfile("scenarios/testdata/double_fork_server"),
                                    "--port={port}"});
  EXPECT_FALSE(result.timed_out);
  EXPECT_NE(result.out.find("summary:"), std::string::npos) << result.out << result.err;
}

TEST_F(ForkcheckTest, ServerForkingWithoutEndIsFailedAndKilled) {
  ProcessResult result = Forkcheck({"--only=ECHO-1", "--timeout-scale=0.5", "--",
                                    Runfile("scenarios/testdata/fork_forever_server"), "--port={port}"});
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.exit_code(), 1) << result.out;
}

TEST_F(ForkcheckTest, ServerThatNeverListensFailsWithReason) {
  ProcessResult result = Forkcheck({"--only=ECHO-1", "--timeout-scale=0.3", "--",
                                    Runfile("scenarios/testdata/never_listen_server"), "--port={port}"});
  EXPECT_EQ(result.exit_code(), 1) << result.out;
  EXPECT_NE(result.out.find("never listened"), std::string::npos) << result.out;
}

TEST_F(ForkcheckTest, ServerThatNeverAcceptsOnInheritedSocketFailsWithReason) {
  ProcessResult result = Forkcheck({"--only=ECHO-1", "--timeout-scale=0.3", "--",
                                    Runfile("scenarios/testdata/never_listen_server")});
  EXPECT_EQ(result.exit_code(), 1) << result.out;
  EXPECT_NE(result.out.find("never accepted"), std::string::npos) << result.out;
}

TEST_F(ForkcheckTest, CrashingServerFailsWithItsStatus) {
  ProcessResult result = Forkcheck({"--only=ECHO-1,REAP-1", "--", Runfile("scenarios/testdata/crash_server"),
                                    "--port={port}"});
  EXPECT_EQ(result.exit_code(), 1) << result.out;
  EXPECT_NE(result.out.find("killed by signal 6"), std::string::npos) << result.out;
}

TEST_F(ForkcheckTest, BackendsSelectsHowFaultsAreInjected) {
  std::vector<std::string> server = {"--", Runfile("scenarios/testdata/mutant_server"), "--port={port}",
                                     "--bug=exit-on-fork-fail"};
  std::vector<std::string> args = {"--only=FORK-1", "--backends=strace"};
  args.insert(args.end(), server.begin(), server.end());
  ProcessResult result = Forkcheck(args);
  EXPECT_EQ(result.exit_code(), 1) << result.out;
  EXPECT_NE(result.out.find("(strace: fork EAGAIN"), std::string::npos) << result.out;
  args = {"--only=INTR-2", "--backends=kernel"};
  args.insert(args.end(), server.begin(), server.end());
  result = Forkcheck(args);
  EXPECT_NE(result.out.find("SKIP  INTR-2"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("not selected (--backends)"), std::string::npos) << result.out;
}

TEST_F(ForkcheckTest, SigtermToForkcheckLeavesNothingRunning) {
  std::string forkcheck = Runfile("conformance/forkcheck");
  pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDOUT_FILENO);
    execl(forkcheck.c_str(), forkcheck.c_str(), "--only=ALRM-3", static_cast<char*>(nullptr));
    _exit(127);
  }
  // Once the server under test runs, stop forkcheck the way Ctrl-C or a CI timeout would.
  auto has_grandchild = [&] {
    for (const ProcStat& proc : DescendantsOf(getpid()))
      if (proc.ppid == pid) return true;
    return false;
  };
  ASSERT_TRUE(PollUntil(has_grandchild, Millis(20000)));
  kill(pid, SIGTERM);
  auto status = AwaitOwnChild(pid, Millis(20000));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 128 + SIGTERM) << *status;
}

// One bug, one failure: a server that never forks fails CONC-1, and the
// checks about children say CONC-1 blocked them, in every report.
TEST_F(ForkcheckTest, BlockedChecksNameTheirBlockerInEveryReport) {
  std::string json = TempPath("blocked.json"), junit = TempPath("blocked.xml");
  ProcessResult result = Forkcheck({"--only=CONC-1,REAP-1,FD-2", "--json=" + json, "--junit=" + junit, "--",
                                    Runfile("scenarios/testdata/mutant_server"), "--port={port}", "--bug=iterative"});
  EXPECT_EQ(result.exit_code(), 1) << result.out;
  EXPECT_NE(result.out.find("FAIL  CONC-1"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("BLOCK  REAP-1"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("blocked:  by CONC-1:"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("1 failed (1 MUST), 2 blocked, 0 skipped"), std::string::npos) << result.out;
  nlohmann::json report = nlohmann::json::parse(ReadFile(json));
  EXPECT_EQ(report["results"][1]["status"], "blocked");
  EXPECT_EQ(report["results"][1]["blocked_by"], "CONC-1");
  EXPECT_EQ(report["summary"]["blocked"], 2);
  std::string xml = ReadFile(junit);
  EXPECT_NE(xml.find("skipped=\"2\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<skipped message=\"blocked by CONC-1: "), std::string::npos) << xml;
}

// A server that dies as soon as a child ends (EINTR from accept() taken as
// fatal) fails case after case the same way: one diagnosis line says so.
TEST_F(ForkcheckTest, RecurringServerDeathGetsOneDiagnosis) {
  std::string json = TempPath("diagnosis.json");
  ProcessResult result = Forkcheck({"--only=ECHO-1,REAP-1,REAP-2", "--json=" + json, "--",
                                    Runfile("scenarios/testdata/mutant_server"), "--port={port}", "--bug=eintr-fatal"});
  EXPECT_EQ(result.exit_code(), 1) << result.out;
  EXPECT_NE(result.out.find("diagnosis: in 3 cases the server exited with status 1"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("ECHO-1 showed it first"), std::string::npos) << result.out;
  nlohmann::json report = nlohmann::json::parse(ReadFile(json));
  ASSERT_EQ(report["diagnosis"].size(), 1u) << report.dump();
}

// Status lines are read from stdout as well, and the evidence names it.
TEST_F(ForkcheckTest, StatusLinesOnStdoutAreRead) {
  ProcessResult result = Forkcheck({"--only=STAT-*", "--profile=status", "--verbose", "--",
                                    Runfile("scenarios/testdata/corpus/self_pipe_server"), "--port={port}"});
  EXPECT_EQ(result.exit_code(), 0) << result.out;
  EXPECT_NE(result.out.find("PASS  STAT-1"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("PASS  STAT-3"), std::string::npos) << result.out;
}

// A dual-stack server (:: wildcard) over IPv4 and over ::1 alike.
TEST_F(ForkcheckTest, DualStackServerOverIpv4AndIpv6) {
  for (const char* host : {"127.0.0.1", "::1"}) {
    ProcessResult result = Forkcheck({"--only=ECHO-1,REAP-1,FD-1", std::string("--host=") + host, "--",
                                      Runfile("scenarios/testdata/corpus/dual_stack_server"), "--port={port}"});
    EXPECT_EQ(result.exit_code(), 0) << host << "\n" << result.out;
    EXPECT_NE(result.out.find("3 passed"), std::string::npos) << host << "\n" << result.out;
  }
}

std::string WriteFile(const std::string& name, const std::string& text) {
  std::string path = TempPath(name);
  std::ofstream(path) << text;
  return path;
}

// A known failure listed in the expectations file is XFAIL and does not fail
// the run; every report says so.
TEST_F(ForkcheckTest, ExpectedFailureIsXfailAndTheRunPasses) {
  std::string known = WriteFile("known", "# accepted for now\nREAP-2   one waitpid per SIGCHLD, fixed in 2.0\n");
  std::string json = TempPath("xfail.json"), junit = TempPath("xfail.xml");
  ProcessResult result = Forkcheck({"--only=REAP-2", "--expectations=" + known, "--json=" + json, "--junit=" + junit,
                                    "--", Runfile("scenarios/testdata/mutant_server"), "--port={port}",
                                    "--bug=reap-once"});
  EXPECT_EQ(result.exit_code(), 0) << result.out;
  EXPECT_NE(result.out.find("XFAIL  REAP-2"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("expected: one waitpid per SIGCHLD, fixed in 2.0"), std::string::npos) << result.out;
  nlohmann::json report = nlohmann::json::parse(ReadFile(json));
  EXPECT_EQ(report["results"][0]["status"], "xfail");
  EXPECT_EQ(report["results"][0]["expectation"], "one waitpid per SIGCHLD, fixed in 2.0");
  EXPECT_EQ(report["summary"]["xfail"], 1);
  EXPECT_EQ(report["summary"]["conforms"], true);
  EXPECT_NE(ReadFile(junit).find("<skipped message=\"expected failure (XFAIL): one waitpid"), std::string::npos);
}

// A listed requirement that passes is XPASS: the run fails, so the file
// cannot rot, unless --xpass=warn.
TEST_F(ForkcheckTest, UnexpectedPassFailsTheRunUnlessWarned) {
  std::string known = WriteFile("stale", "ECHO-1 thought to corrupt bytes\n");
  std::string json = TempPath("xpass.json"), junit = TempPath("xpass.xml");
  ProcessResult result =
      Forkcheck({"--only=ECHO-1", "--expectations=" + known, "--json=" + json, "--junit=" + junit});
  EXPECT_EQ(result.exit_code(), 1) << result.out;
  EXPECT_NE(result.out.find("XPASS  ECHO-1"), std::string::npos) << result.out;
  nlohmann::json report = nlohmann::json::parse(ReadFile(json));
  EXPECT_EQ(report["results"][0]["status"], "xpass");
  EXPECT_EQ(report["summary"]["conforms"], false);
  EXPECT_NE(ReadFile(junit).find("<failure message=\"ECHO-1 passed (XPASS)\""), std::string::npos);
  ProcessResult warned = Forkcheck({"--only=ECHO-1", "--expectations=" + known, "--xpass=warn"});
  EXPECT_EQ(warned.exit_code(), 0) << warned.out;
  EXPECT_NE(warned.out.find("XPASS  ECHO-1"), std::string::npos) << warned.out;
}

TEST_F(ForkcheckTest, BadExpectationsFileIsExitTwoNamingTheLine) {
  const std::pair<const char*, const char*> cases[] = {
      {"NOPE-1 no such requirement\n", "known-bad:1: unknown requirement 'NOPE-1'"},
      {"# fine\n\nREAP-2\n", "known-bad:3: no reason after REAP-2"},
      {"REAP-2 a\nREAP-2 b\n", "known-bad:2: REAP-2 is listed twice"},
  };
  for (const auto& [text, named] : cases) {
    std::string known = WriteFile("known-bad", text);
    ProcessResult result = Forkcheck({"--only=ECHO-1", "--expectations=" + known}, Millis(10000));
    EXPECT_EQ(result.exit_code(), 2) << result.out << result.err;
    EXPECT_EQ(CountLines(result.err), 1) << result.err;
    EXPECT_NE(result.err.find(named), std::string::npos) << result.err;
  }
}

// Third-party servers from Debian (tools/bootstrap.sh installs them; the
// whole table is tools/compat.sh's). Their reapers loop waitpid(WNOHANG), so
// WAIT-1 must pass them and say why EINTR could not occur.
TEST_F(ForkcheckTest, TcpserverAndSocatPassWaitWithoutFakeEintr) {
  const std::vector<std::vector<std::string>> servers = {
      {"--profile=limit", "--max-children=40", "--", "/usr/bin/tcpserver", "-H", "-R", "-l", "0", "-c", "40",
       "127.0.0.1", "{port}", "/bin/cat"},
      {"--", "/usr/bin/socat", "TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork", "EXEC:/bin/cat"}};
  for (const std::vector<std::string>& server : servers) {
    std::string program = server[std::find(server.begin(), server.end(), "--") - server.begin() + 1];
    if (access(program.c_str(), X_OK) != 0) GTEST_SKIP() << program << " is not installed (tools/bootstrap.sh)";
    std::vector<std::string> args = {"--only=ECHO-1,REAP-2,INTR-2,WAIT-1", "--verbose"};
    args.insert(args.end(), server.begin(), server.end());
    ProcessResult result = Forkcheck(args);
    EXPECT_EQ(result.exit_code(), 0) << result.out;
    EXPECT_NE(result.out.find("PASS  WAIT-1"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("EINTR cannot occur"), std::string::npos) << result.out;
  }
}

TEST_F(ForkcheckTest, RepeatAggregatesRuns) {
  ProcessResult result = Forkcheck({"--only=ECHO-2", "--repeat=3"});
  EXPECT_EQ(result.exit_code(), 0) << result.out;
  EXPECT_NE(result.out.find("3 runs"), std::string::npos) << result.out;
}

// The number in "violated after N steps", or -1.
int StepsInReport(const std::string& out) {
  size_t at = out.find("violated after ");
  return at == std::string::npos ? -1 : std::atoi(out.c_str() + at + std::strlen("violated after "));
}

TEST_F(ForkcheckTest, FuzzShrinksTheCoalescedSigchldBugAndItsReplayReproduces) {
  std::vector<std::string> server = {Runfile("scenarios/testdata/mutant_server"), "--port={port}", "--bug=reap-once"};
  std::vector<std::string> args = {"fuzz", "--seed=1", "--runs=60", "--"};
  args.insert(args.end(), server.begin(), server.end());
  ProcessResult result = Forkcheck(args, Millis(240000));
  EXPECT_EQ(result.exit_code(), 1) << result.out << result.err;
  EXPECT_NE(result.out.find("REAP-2 violated"), std::string::npos) << result.out;
  int steps = StepsInReport(result.out);
  EXPECT_GE(steps, 1) << result.out;
  EXPECT_LE(steps, 5) << result.out;
  size_t seed_at = result.out.find("--seed=", result.out.find("replay: "));
  ASSERT_NE(seed_at, std::string::npos) << result.out;
  std::string seed = result.out.substr(seed_at, result.out.find(' ', seed_at) - seed_at);
  std::vector<std::string> replay = {"fuzz", seed, "--runs=1", "--"};
  replay.insert(replay.end(), server.begin(), server.end());
  ProcessResult again = Forkcheck(replay, Millis(240000));
  EXPECT_EQ(again.exit_code(), 1) << again.out;
  EXPECT_NE(again.out.find("REAP-2 violated"), std::string::npos) << again.out;
}

// The fork() race as a fuzz action: the shrunk schedule is the race itself.
TEST_F(ForkcheckTest, FuzzShrinksTheForkRaceToOneStep) {
  ProcessResult result = Forkcheck({"fuzz", "--seed=1", "--runs=30", "--profile=limit", "--max-children=8", "--",
                                    Runfile("scenarios/testdata/mutant_server"), "--port={port}", "--bug=fork-race",
                                    "--max-children=8"},
                                   Millis(240000));
  EXPECT_EQ(result.exit_code(), 1) << result.out << result.err;
  EXPECT_NE(result.out.find("FORK-2 violated after 1 step"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("ms after fork(), 9 clients close at once"), std::string::npos) << result.out;
}

TEST_F(ForkcheckTest, FuzzFindsNothingOnTheReferenceServer) {
  ProcessResult result = Forkcheck({"fuzz", "--seed=5", "--runs=15", "--profile=status,hooks,limit", "--max-children=8",
                                    "--", Runfile("src/reference_server"), "--port={port}", "--test-hooks",
                                    "--max-children=8"},
                                   Millis(240000));
  EXPECT_EQ(result.exit_code(), 0) << result.out << result.err;
  EXPECT_NE(result.out.find("no violation"), std::string::npos) << result.out;
}

// Fuzzing under another protocol: schedules hold sessions the protocol's
// way; the reaping bug is found and its replay line names the protocol; the
// correct server speaking it shows nothing.
TEST_F(ForkcheckTest, FuzzWorksUnderEveryProtocol) {
  const std::string exchange = "--protocol=exchange:" + Runfile("scenarios/testdata/protocols/line.exchange");
  struct Speaking {
    std::string protocol, speak;
  };
  for (const Speaking& speaking : {Speaking{"--protocol=http", "http"}, Speaking{"--protocol=banner", "banner"},
                                   Speaking{exchange, "line"}}) {
    std::vector<std::string> server = {"--", Runfile("scenarios/testdata/mutant_server"), "--port={port}",
                                       "--speak=" + speaking.speak};
    std::vector<std::string> buggy = {"fuzz", "--seed=11", "--runs=10", speaking.protocol};
    buggy.insert(buggy.end(), server.begin(), server.end());
    buggy.push_back("--bug=reap-once");
    ProcessResult found = Forkcheck(buggy, Millis(240000));
    EXPECT_EQ(found.exit_code(), 1) << speaking.speak << found.out << found.err;
    EXPECT_NE(found.out.find("REAP-2 violated"), std::string::npos) << found.out;
    EXPECT_NE(found.out.find("replay: forkcheck fuzz " + speaking.protocol.substr(0, 10)), std::string::npos) << found.out;
    std::vector<std::string> correct = {"fuzz", "--seed=3", "--runs=5", speaking.protocol};
    correct.insert(correct.end(), server.begin(), server.end());
    ProcessResult clean = Forkcheck(correct, Millis(240000));
    EXPECT_EQ(clean.exit_code(), 0) << speaking.speak << clean.out << clean.err;
  }
}

TEST_F(ForkcheckTest, FuzzUsageErrorsExitTwo) {
  EXPECT_EQ(Forkcheck({"fuzz", "--runs=0"}, Millis(10000)).exit_code(), 2);
  EXPECT_EQ(Forkcheck({"fuzz", "--", "/nonexistent/server"}, Millis(10000)).exit_code(), 2);
}

}  // namespace
}  // namespace forkcheck
