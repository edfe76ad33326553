// What forkcheck shows on a terminal (run through a pseudo-terminal) and
// through a pipe: live progress and colours only on the former.
#include <gtest/gtest.h>

#include <algorithm>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>

#include "conformance/harness/own_children.h"
#include "conformance/harness/procfs.h"
#include "conformance/progress.h"
#include "conformance/testing/run_process.h"
#include "conformance/testing/test_files.h"

namespace forkcheck {
namespace {

constexpr char kClearLine[] = "\r\x1b[K";
constexpr char kEllipsis[] = "\xe2\x80\xa6";

struct TtyRun {
  std::string out;  // stdout and stderr, as the terminal got them ("\n" arrives as "\r\n")
  int status = -1;
  bool timed_out = false;
  int exit_code() const { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }
};

// This process's environment with no NO_COLOR, `extra`, and TERM=xterm
// unless `extra` sets TERM.
std::vector<std::string> TerminalEnvironment(const std::vector<std::string>& extra) {
  std::vector<std::string> env = extra;
  bool term = false;
  for (const std::string& assignment : extra) term |= assignment.rfind("TERM=", 0) == 0;
  if (!term) env.push_back("TERM=xterm");
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string assignment = *entry;
    if (assignment.rfind("TERM=", 0) != 0 && assignment.rfind("NO_COLOR=", 0) != 0) env.push_back(assignment);
  }
  return env;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Reads the terminal until every holder of its other side has closed it.
void ReadUntilClosed(int master, const Deadline& deadline, std::string* out) {
  char buffer[4096];
  while (!deadline.Expired()) {
    pollfd fd = {master, POLLIN, 0};
    if (poll(&fd, 1, deadline.RemainingMsForPoll()) <= 0) continue;
    ssize_t n = read(master, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // EIO: the last process holding the terminal is gone
    out->append(buffer, static_cast<size_t>(n));
  }
}

// Runs argv with a pseudo-terminal `columns` wide as its stdin, stdout and stderr.
TtyRun RunOnTerminal(const std::vector<std::string>& argv, const std::vector<std::string>& env, int columns,
                     Millis budget) {
  TtyRun run;
  std::vector<std::string> args = argv, environment = TerminalEnvironment(env);
  std::vector<char*> arg_pointers = Pointers(args), env_pointers = Pointers(environment);
  winsize size{};
  size.ws_row = 24;
  size.ws_col = static_cast<unsigned short>(columns);
  int master = -1;
  pid_t pid = forkpty(&master, nullptr, nullptr, &size);
  if (pid < 0) return run;
  if (pid == 0) {
    execve(arg_pointers[0], arg_pointers.data(), env_pointers.data());
    _exit(127);
  }
  Deadline deadline(budget);
  ReadUntilClosed(master, deadline, &run.out);
  close(master);  // a forkcheck still running gets SIGHUP and cleans up
  std::optional<int> status = AwaitOwnChild(pid, deadline.Remaining());
  if (!status) {
    run.timed_out = true;
    kill(pid, SIGKILL);
    KillAllDescendants(Millis(10000));
    status = OwnChildStatus(pid);
  }
  run.status = status.value_or(-1);
  return run;
}

// The texts drawn after each "\r\x1b[K" that are progress lines, not results.
std::vector<std::string> ProgressLines(const std::string& out) {
  std::vector<std::string> lines;
  for (size_t at = out.find(kClearLine); at != std::string::npos;) {
    size_t begin = at + sizeof kClearLine - 1;
    at = out.find(kClearLine, begin);
    std::string drawn = out.substr(begin, at == std::string::npos ? std::string::npos : at - begin);
    if (!drawn.empty() && drawn[0] == '[') lines.push_back(drawn);
  }
  return lines;
}

size_t CountColumns(const std::string& text) {
  size_t columns = 0;
  for (char c : text) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return columns;
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Every escape sequence in `out` is the line clear, so no colour.
bool OnlyLineClears(const std::string& out) {
  for (size_t at = out.find('\x1b'); at != std::string::npos; at = out.find('\x1b', at + 1))
    if (out.compare(at, 3, "\x1b[K") != 0) return false;
  return true;
}

// Nothing a terminal interprets: printable bytes and newlines only.
bool PlainText(const std::string& out) {
  for (char c : out)
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n') return false;
  return true;
}

class ProgressTest : public testing::Test {
 protected:
  static void SetUpTestSuite() { BecomeSubreaper(); }

  std::vector<std::string> Forkcheck(std::vector<std::string> args) {
    args.insert(args.begin(), Runfile("conformance/forkcheck"));
    return args;
  }

  void TearDown() override { ExpectNothingLeftRunning(); }
};

const std::vector<std::string> kTwoCases = {"--only=ECHO-1,REAP-2", "--seed=3"};

TEST_F(ProgressTest, TerminalShowsProgressThatResultLinesReplaceInColour) {
  TtyRun run = RunOnTerminal(Forkcheck(kTwoCases), {}, 100, Millis(90000));
  ASSERT_FALSE(run.timed_out) << run.out;
  EXPECT_EQ(run.exit_code(), 0) << run.out;
  std::vector<std::string> progress = ProgressLines(run.out);
  ASSERT_FALSE(progress.empty()) << run.out;
  // Cases run side by side (--jobs): each is shown, in whatever order.
  auto shown = [&](const char* label) {
    return std::any_of(progress.begin(), progress.end(),
                       [&](const std::string& line) { return line.rfind(label, 0) == 0; });
  };
  EXPECT_TRUE(shown("[1/2] ECHO-1 ")) << run.out;
  EXPECT_TRUE(shown("[2/2] REAP-2 ")) << run.out;
  for (const std::string& line : progress) {
    EXPECT_LE(CountColumns(line), 99u) << line;
    EXPECT_TRUE(Contains(line, " s")) << line;
  }
  EXPECT_TRUE(Contains(run.out, std::string(kClearLine) + "\x1b[32mPASS\x1b[0m  ECHO-1")) << run.out;
  EXPECT_TRUE(Contains(run.out, "\x1b[32mPASS\x1b[0m  REAP-2")) << run.out;
  EXPECT_TRUE(Contains(run.out, "\x1b[32mCONFORMS\x1b[0m")) << run.out;
}

std::vector<std::string> ReapOnceServer() {
  return {"--", Runfile("scenarios/testdata/mutant_server"), "--port={port}", "--bug=reap-once"};
}

TEST_F(ProgressTest, FailureIsRedOnTerminal) {
  std::vector<std::string> args = {"--only=ECHO-1,REAP-2", "--seed=5"};
  for (const std::string& arg : ReapOnceServer()) args.push_back(arg);
  TtyRun run = RunOnTerminal(Forkcheck(args), {}, 100, Millis(90000));
  ASSERT_FALSE(run.timed_out) << run.out;
  EXPECT_EQ(run.exit_code(), 1) << run.out;
  EXPECT_TRUE(Contains(run.out, std::string(kClearLine) + "\x1b[32mPASS\x1b[0m  ECHO-1")) << run.out;
  EXPECT_TRUE(Contains(run.out, "\x1b[31mFAIL\x1b[0m  REAP-2")) << run.out;
  EXPECT_TRUE(Contains(run.out, "\x1b[31mDOES NOT CONFORM\x1b[0m")) << run.out;
}

TEST_F(ProgressTest, NoColorKeepsProgressButDropsColour) {
  TtyRun run = RunOnTerminal(Forkcheck(kTwoCases), {"NO_COLOR=1"}, 100, Millis(90000));
  ASSERT_FALSE(run.timed_out) << run.out;
  EXPECT_EQ(run.exit_code(), 0) << run.out;
  EXPECT_FALSE(ProgressLines(run.out).empty()) << run.out;
  EXPECT_TRUE(OnlyLineClears(run.out)) << run.out;
  EXPECT_TRUE(Contains(run.out, std::string(kClearLine) + "PASS  ECHO-1")) << run.out;
}

// A dumb terminal knows no escape sequence: plain lines, as through a pipe.
TEST_F(ProgressTest, DumbTerminalGetsPlainLines) {
  TtyRun run = RunOnTerminal(Forkcheck(kTwoCases), {"TERM=dumb"}, 100, Millis(90000));
  ASSERT_FALSE(run.timed_out) << run.out;
  EXPECT_EQ(run.exit_code(), 0) << run.out;
  EXPECT_EQ(run.out.find('\x1b'), std::string::npos) << run.out;
  EXPECT_TRUE(Contains(run.out, "PASS  ECHO-1")) << run.out;
}

TEST_F(ProgressTest, NarrowTerminalCutsTheTitle) {
  TtyRun run = RunOnTerminal(Forkcheck({"--only=REAP-2", "--seed=3"}), {}, 30, Millis(90000));
  ASSERT_FALSE(run.timed_out) << run.out;
  std::vector<std::string> progress = ProgressLines(run.out);
  ASSERT_FALSE(progress.empty()) << run.out;
  for (const std::string& line : progress) {
    EXPECT_EQ(line.rfind("[1/1] REAP-2 ", 0), 0u) << line;
    EXPECT_LE(CountColumns(line), 29u) << line;
    EXPECT_NE(line.find(kEllipsis), line.rfind(kEllipsis)) << line << ": one ends the cut title, one leads the time";
  }
}

TEST_F(ProgressTest, PipeGetsPlainLinesOnly) {
  ProcessResult result = RunProcess(Forkcheck(kTwoCases), Millis(90000));
  EXPECT_EQ(result.exit_code(), 0) << result.out << result.err;
  EXPECT_TRUE(PlainText(result.out)) << result.out;
  EXPECT_TRUE(Contains(result.out, "\nPASS  ECHO-1")) << result.out;
  EXPECT_TRUE(Contains(result.out, "\nPASS  REAP-2")) << result.out;
  EXPECT_FALSE(Contains(result.out, "[1/2]")) << result.out;
}

TEST_F(ProgressTest, FuzzOnTerminalShowsRunsAndScheduleLength) {
  TtyRun run = RunOnTerminal(Forkcheck({"fuzz", "--runs=3", "--seed=1"}), {}, 100, Millis(90000));
  ASSERT_FALSE(run.timed_out) << run.out;
  EXPECT_EQ(run.exit_code(), 0) << run.out;
  std::vector<std::string> progress = ProgressLines(run.out);
  ASSERT_FALSE(progress.empty()) << run.out;
  EXPECT_EQ(progress.front().rfind("[run 1/3] schedule of ", 0), 0u) << progress.front();
  EXPECT_EQ(progress.back().rfind("[run 3/3] schedule of ", 0), 0u) << progress.back();
  EXPECT_TRUE(Contains(run.out, std::string(kClearLine) + "no violation found in 3 runs")) << run.out;
}

// Seed 11 finds the coalesced-SIGCHLD bug in its first schedule (see
// forkcheck_test's replay), so the run goes on shrinking it.
TEST_F(ProgressTest, FuzzOnTerminalShowsShrinking) {
  std::vector<std::string> args = {"fuzz", "--runs=1", "--seed=11"};
  for (const std::string& arg : ReapOnceServer()) args.push_back(arg);
  TtyRun run = RunOnTerminal(Forkcheck(args), {}, 100, Millis(240000));
  ASSERT_FALSE(run.timed_out) << run.out;
  EXPECT_EQ(run.exit_code(), 1) << run.out;
  std::vector<std::string> progress = ProgressLines(run.out);
  ASSERT_FALSE(progress.empty()) << run.out;
  EXPECT_EQ(progress.front().rfind("[run 1/1] schedule of ", 0), 0u) << progress.front();
  EXPECT_EQ(progress.back().rfind("[run 1/1] shrinking: schedule of ", 0), 0u) << progress.back();
  EXPECT_TRUE(Contains(run.out, std::string(kClearLine) + "REAP-2 violated")) << run.out;
}

TEST_F(ProgressTest, FuzzThroughPipeShowsNoProgress) {
  ProcessResult result = RunProcess(Forkcheck({"fuzz", "--runs=3", "--seed=1"}), Millis(90000));
  EXPECT_EQ(result.exit_code(), 0) << result.out << result.err;
  EXPECT_TRUE(PlainText(result.out)) << result.out;
  EXPECT_FALSE(Contains(result.out, "[run")) << result.out;
  EXPECT_FALSE(Contains(result.out, "schedule of")) << result.out;
  EXPECT_TRUE(Contains(result.out, "no violation found in 3 runs")) << result.out;
}

TEST(FitColumns, CutsOnCharactersAndMarksTheCut) {
  EXPECT_EQ(FitColumns("short", 10), "short");
  EXPECT_EQ(FitColumns("abcdefgh", 5), "abcd\xe2\x80\xa6");
  EXPECT_EQ(FitColumns("\xc3\xa9t\xc3\xa9s", 3), "\xc3\xa9t\xe2\x80\xa6");
  EXPECT_EQ(FitColumns("abc", 0), "");
}

TEST(Paint, WrapsOnlyWhenEnabled) {
  EXPECT_EQ(Paint("PASS", Colour::kGreen, false), "PASS");
  EXPECT_EQ(Paint("FAIL", Colour::kRed, true), "\x1b[31mFAIL\x1b[0m");
}

TEST(Progress, WritesNothingWhenNotLive) {
  std::ostringstream out;
  Progress progress(out, TerminalStyle{});
  progress.Begin(CaseLabel(1, 2, "ECHO-1", "echoes"));
  progress.Relabel("x");
  progress.End();
  EXPECT_EQ(out.str(), "");
}

TEST(Progress, LiveDrawsTheLabelAndClearsItAtTheEnd) {
  std::ostringstream out;
  {
    Progress progress(out, TerminalStyle{true, false});
    progress.Begin(CaseLabel(3, 26, "REAP-2", "reaps a burst"));
  }
  std::string drawn = out.str();
  EXPECT_EQ(drawn.rfind("\r\x1b[K[3/26] REAP-2 reaps a burst \xe2\x80\xa6 0.", 0), 0u) << drawn;
  EXPECT_EQ(drawn.substr(drawn.size() - 4), kClearLine) << drawn;
}

}  // namespace
}  // namespace forkcheck
