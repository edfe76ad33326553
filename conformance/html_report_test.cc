// The HTML report as a reader sees it: rendered by headless Chromium from a
// real run (failing and passing), and built in-process from a synthetic flood
// to hold its size bound and escape what the server printed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "conformance/harness/own_children.h"
#include "conformance/harness/procfs.h"
#include "conformance/report.h"
#include "conformance/testing/run_process.h"
#include "conformance/testing/test_files.h"
#include "conformance/markup.h"
#include "conformance/timeline_svg.h"

namespace forkcheck {
namespace {

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

size_t Occurrences(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++count;
  return count;
}

// From `<section ... id="case-ID"` to its end.
std::string CaseSection(const std::string& dom, const std::string& id) {
  size_t start = dom.find("id=\"case-" + id + "\"");
  if (start == std::string::npos) return "";
  size_t end = dom.find("</section>", start);
  return dom.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string Heading(const std::string& dom) {
  size_t start = dom.find("<h1>"), end = dom.find("</h1>");
  return start == std::string::npos || end == std::string::npos ? "" : dom.substr(start + 4, end - start - 4);
}

void ExpectSelfContained(const std::string& html) {
  EXPECT_NE(html.find("http-equiv=\"Content-Security-Policy\" content=\"" + std::string(kPolicy) + "\""),
            std::string::npos);
  std::regex remote(R"((src|href)\s*=\s*["']?\s*(https?:|//)|url\(\s*["']?\s*(https?:|//)|@import)",
                    std::regex::icase);
  std::smatch found;
  EXPECT_FALSE(std::regex_search(html, found, remote)) << "remote reference: " << found.str();
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
}

class HtmlReportTest : public testing::Test {
 protected:
  // Chromium writes its profile, caches and crash database under HOME.
  static void SetUpTestSuite() {
    BecomeSubreaper();
    std::string home = TempPath("home");
    mkdir(home.c_str(), 0700);
    setenv("HOME", home.c_str(), 1);
    setenv("XDG_CONFIG_HOME", home.c_str(), 1);
    setenv("XDG_CACHE_HOME", home.c_str(), 1);
  }

  ProcessResult Forkcheck(std::vector<std::string> args) {
    args.insert(args.begin(), Runfile("conformance/forkcheck"));
    return RunProcess(args, Millis(120000));
  }

  ProcessResult Chromium(const std::vector<std::string>& action, const std::string& html) {
    std::string profile = TempPath("chromium-" + std::to_string(++profiles_));
    std::vector<std::string> argv = {kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                                     "--no-first-run", "--disable-background-networking",
                                     "--disable-component-update", "--disable-sync", "--disable-crash-reporter",
                                     "--hide-scrollbars", "--user-data-dir=" + profile};
    argv.insert(argv.end(), action.begin(), action.end());
    argv.push_back("file://" + html);
    ProcessResult result = RunProcess(argv, Millis(60000));
    // Its helper processes end just after it and come to this subreaper.
    PollUntil([] {
      ReapOwnChildren();
      return DescendantsOf(getpid()).empty();
    }, Millis(10000));
    return result;
  }

  // The page as Chromium parsed it.
  std::string Dom(const std::string& html) {
    ProcessResult result = Chromium({"--dump-dom"}, html);
    EXPECT_EQ(result.exit_code(), 0) << result.err;
    EXPECT_FALSE(result.timed_out);
    return result.out;
  }

  void SetUp() override {
    ASSERT_EQ(access(kChromium, X_OK), 0)
        << kChromium << " is missing: run tools/bootstrap.sh (as root) to install chromium";
  }

  void TearDown() override { ExpectNothingLeftRunning(); }

  int profiles_ = 0;
};

TEST_F(HtmlReportTest, FailingRunShowsUnreapedZombiesOnItsTimeline) {
  std::string html = TempPath("reap_once.html");
  ProcessResult run = Forkcheck({"--only=ECHO-1,REAP-1,REAP-2", "--seed=7", "--html=" + html, "--",
                                 Runfile("scenarios/testdata/mutant_server"), "--port={port}", "--bug=reap-once"});
  ASSERT_EQ(run.exit_code(), 1) << run.out << run.err;
  ExpectSelfContained(ReadFile(html));

  std::string dom = Dom(html);
  EXPECT_EQ(Heading(dom), "DOES NOT CONFORM");
  EXPECT_EQ(Occurrences(dom, "<svg class=\"timeline"), 3u);
  std::string reap_2 = CaseSection(dom, "REAP-2");
  ASSERT_FALSE(reap_2.empty()) << dom.substr(0, 2000);
  EXPECT_NE(reap_2.find("<rect class=\"zombie"), std::string::npos);
  EXPECT_NE(reap_2.find("never reaped"), std::string::npos);
  EXPECT_NE(reap_2.find(">FAIL<"), std::string::npos);

  std::string png = TempPath("reap_once.png");
  ProcessResult shot = Chromium({"--screenshot=" + png, "--window-size=1280,2000"}, html);
  EXPECT_EQ(shot.exit_code(), 0) << shot.err;
  struct stat info {};
  ASSERT_EQ(stat(png.c_str(), &info), 0) << shot.err;
  EXPECT_GT(info.st_size, 20000);
  EXPECT_EQ(ReadFile(png).substr(1, 3), "PNG");
}

TEST_F(HtmlReportTest, PassingRunConformsWithoutUnreapedZombies) {
  std::string html = TempPath("reference.html");
  ProcessResult run = Forkcheck({"--only=ECHO-1,REAP-2", "--html=" + html});
  ASSERT_EQ(run.exit_code(), 0) << run.out << run.err;
  ExpectSelfContained(ReadFile(html));

  std::string dom = Dom(html);
  EXPECT_EQ(Heading(dom), "CONFORMS");
  EXPECT_EQ(Occurrences(dom, "<svg class=\"timeline"), 2u);
  EXPECT_EQ(dom.find("class=\"zombie unreaped\""), std::string::npos);
  EXPECT_NE(CaseSection(dom, "REAP-2").find("<rect class=\"running\""), std::string::npos);
  EXPECT_NE(dom.find("<svg class=\"histogram\""), std::string::npos);
}

// A flood: 5000 children (ten never reaped) and 10000 connections, with an
// output line and evidence a hostile server could have written.
RunReport Flood(const Scenario* scenario) {
  RunReport report;
  report.sut = {"./server", "--port={port}"};
  report.profiles = {"core"};
  report.seed = 3;
  report.reap_grace_ms = 200;
  RequirementResult result;
  result.scenario = scenario;
  result.verdict = Verdict::kFail;
  result.evidence = "child said <script>alert(1)</script> & left";
  result.runs = result.failures = 1;
  result.server_pid = 100;
  std::vector<Event>& events = result.events;
  events.push_back({0, EventKind::kServerStarted, 100, 0, ""});
  for (int i = 0; i < 10000; ++i) {
    double at = i * 0.5;
    events.push_back({at, EventKind::kConnected, 0, 40000 + i, ""});
    events.push_back({at + 0.2, EventKind::kClosed, 0, 40000 + i, ""});
  }
  for (int i = 0; i < 5000; ++i) {
    pid_t pid = 1000 + i;
    events.push_back({i * 1.0, EventKind::kForked, pid, 100, ""});
    events.push_back({i * 1.0 + 0.3, EventKind::kExited, pid, 0, ""});
    if (i % 500 != 7) events.push_back({i * 1.0 + 0.3 + (i % 10) * 0.1, EventKind::kReaped, pid, 0, ""});
  }
  events.push_back({42, EventKind::kOutput, 100, 2, "<script>alert(1)</script>"});
  events.push_back({5100, EventKind::kTeardown, 0, 0, "SIGKILL to every descendant"});
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.at_ms < b.at_ms; });
  report.results.push_back(result);
  for (int i = 0; i < 5000; ++i) report.zombie_lifetimes_ms.push_back((i % 10) * 0.1);
  return report;
}

const Scenario kLoad = {{"LOAD-1", Level::kMust, "core", "serves a flood", "reap <all> children"}, nullptr, false};
const Scenario kQuiet = {{"ECHO-1", Level::kMust, "core", "echoes", ""}, nullptr, false};

TEST(HtmlReportSizeTest, FloodStaysSmallAndSaysWhatWasLeftOut) {
  RunReport report = Flood(&kLoad);
  RequirementResult quiet;
  quiet.scenario = &kQuiet;
  report.results.push_back(quiet);
  std::string path = TempPath("flood.html"), error;
  ASSERT_TRUE(WriteHtml(path, report, &error)) << error;
  std::string html = ReadFile(path);
  EXPECT_LT(html.size(), 400u * 1024) << html.size();
  EXPECT_NE(html.find("4960 more children not drawn"), std::string::npos);
  EXPECT_NE(html.find("10000 connections opened drawn as"), std::string::npos);
  EXPECT_EQ(Occurrences(html, "<svg class=\"timeline"), 2u);
  EXPECT_NE(CaseSection(html, "ECHO-1").find("no events"), std::string::npos);
  EXPECT_EQ(Occurrences(html, "class=\"zombie unreaped\""), 10u);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("reap &lt;all&gt; children"), std::string::npos);
  EXPECT_NE(html.find("DOES NOT CONFORM"), std::string::npos);
}

TEST(HtmlReportSizeTest, UnwritablePathIsOneLineNamingIt) {
  RunReport report;
  std::string error;
  EXPECT_FALSE(WriteHtml("/nonexistent/dir/report.html", report, &error));
  EXPECT_NE(error.find("/nonexistent/dir/report.html"), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos);
}

Event At(double at_ms, EventKind kind, pid_t pid, int value = 0) { return {at_ms, kind, pid, value, ""}; }

// Never reaped (past the 5 ms grace), then killed, then the longest zombie,
// then the earliest.
TEST(TimelineLanesTest, NeverReapedAndKilledChildrenComeFirst) {
  std::vector<Event> events = {At(0, EventKind::kServerStarted, 10)};
  for (pid_t pid = 11; pid <= 60; ++pid) {
    events.push_back(At(pid, EventKind::kForked, pid, 10));
    events.push_back(At(pid + 1, EventKind::kExited, pid, pid == 55 ? SIGKILL : 0));
    if (pid != 50) events.push_back(At(pid + (pid == 30 ? 5 : 2), EventKind::kReaped, pid));
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.at_ms < b.at_ms; });
  std::vector<ChildLife> omitted;
  std::vector<ChildLife> lanes = PickLanes(ChildLives(events, 10, 5), 5, &omitted);
  ASSERT_EQ(lanes.size(), 5u);
  EXPECT_EQ(omitted.size(), 45u);
  std::vector<pid_t> pids;
  for (const ChildLife& lane : lanes) pids.push_back(lane.pid);
  EXPECT_EQ(pids, (std::vector<pid_t>{11, 12, 30, 50, 55}));
  EXPECT_TRUE(lanes[3].NeverReaped());
  EXPECT_EQ(OmittedNote(omitted, 70), "45 more children not drawn: all reaped within 1 ms");
  EXPECT_EQ(DescribeStatusWithName(SIGKILL), "was killed by signal 9 (SIGKILL)");
}

// With more never-reaped zombies than lanes, a quarter of the lanes still
// shows reaped children to compare them with.
TEST(TimelineLanesTest, NeverReapedLeaveRoomForReapedChildren) {
  std::vector<Event> events = {At(0, EventKind::kServerStarted, 10)};
  for (pid_t pid = 11; pid <= 110; ++pid) {
    events.push_back(At(pid, EventKind::kForked, pid, 10));
    events.push_back(At(pid + 1, EventKind::kExited, pid, 0));
    if (pid > 60) events.push_back(At(pid + 2, EventKind::kReaped, pid));
  }
  events.push_back(At(5000, EventKind::kTeardown, 0));
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.at_ms < b.at_ms; });
  std::vector<ChildLife> omitted;
  std::vector<ChildLife> lanes = PickLanes(ChildLives(events, 10, 1000), 40, &omitted);
  ASSERT_EQ(lanes.size(), 40u);
  EXPECT_EQ(std::count_if(lanes.begin(), lanes.end(), [](const ChildLife& life) { return life.NeverReaped(); }), 30);
  EXPECT_EQ(OmittedNote(omitted, 5000), "60 more children not drawn: 20 never reaped, 40 reaped within 1 ms");
}

// A zombie still there at the teardown is only "never reaped" once it has
// outlived the reap grace: the sampler stops at the teardown.
TEST(TimelineLanesTest, ZombieYoungerThanTheGraceAtTheTeardownIsNotNeverReaped) {
  std::vector<Event> events = {At(0, EventKind::kServerStarted, 10), At(1, EventKind::kForked, 11, 10),
                               At(2, EventKind::kForked, 12, 10), At(3, EventKind::kExited, 11, 0),
                               At(900, EventKind::kExited, 12, 0), At(1500, EventKind::kTeardown, 0)};
  std::vector<ChildLife> lives = ChildLives(events, 10, 1000);
  ASSERT_EQ(lives.size(), 2u);
  EXPECT_TRUE(lives[0].NeverReaped());
  EXPECT_FALSE(lives[1].NeverReaped());
  EXPECT_TRUE(lives[1].not_due);
  std::string svg = TimelineSvg(events, 10, 1000);
  EXPECT_EQ(Occurrences(svg, "class=\"zombie unreaped\""), 1u);
  EXPECT_EQ(Occurrences(svg, "class=\"zombie\""), 1u);
  EXPECT_NE(svg.find("within the reap grace"), std::string::npos);
}

}  // namespace
}  // namespace forkcheck
