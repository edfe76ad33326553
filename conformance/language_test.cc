// forkcheck speaks Korean when the locale (or --lang=ko) asks for it, in the
// textbook's terms, while IDs, levels, statuses and JSON keys stay English;
// --lang=en wins over a Korean locale; a missing ko_KR.UTF-8 locale is said
// once and Korean still shows (through C.UTF-8).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <regex>

#include "conformance/harness/own_children.h"
#include "conformance/testing/run_process.h"
#include "conformance/testing/test_files.h"

namespace forkcheck {
namespace {

// A Hangul syllable (U+AC00..U+D7A3) anywhere in UTF-8 text.
bool HasHangul(const std::string& text) {
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(text[i + k]); };
    if ((byte(0) & 0xF0) != 0xE0 || (byte(1) & 0xC0) != 0x80 || (byte(2) & 0xC0) != 0x80) continue;
    unsigned code = ((byte(0) & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
    if (code >= 0xAC00 && code <= 0xD7A3) return true;
  }
  return false;
}

int Count(const std::string& text, const std::string& what) {
  int count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

class LanguageTest : public testing::Test {
 protected:
  static void SetUpTestSuite() { BecomeSubreaper(); }
  void TearDown() override { ExpectNothingLeftRunning(); }

  // forkcheck with a clean language environment plus `env` (NAME=VALUE).
  ProcessResult Forkcheck(std::vector<std::string> env, std::vector<std::string> args) {
    std::vector<std::string> argv = {"/usr/bin/env", "-u", "LANGUAGE", "-u", "LC_ALL", "-u", "LC_MESSAGES",
                                      "-u",           "LANG", "-u",      "LOCPATH"};
    argv.insert(argv.end(), env.begin(), env.end());
    argv.push_back(Runfile("conformance/forkcheck"));
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProcess(argv, Millis(120000));
  }

  std::string EmptyLocaleDir() {
    std::string dir = TempPath("no-locales");
    mkdir(dir.c_str(), 0755);
    return dir;
  }
};

// The whole catalogue against the reference server under LANG=ko_KR.UTF-8:
// every title, every evidence and the summary are Korean; the JSON keeps its
// keys, IDs and statuses. A sentence that never went through gettext shows
// here as English.
TEST_F(LanguageTest, KoreanLocaleGivesAKoreanReportWithEnglishMachineFields) {
  std::string json = TempPath("ko.json");
  ProcessResult result = Forkcheck({"LANG=ko_KR.UTF-8", "LOCPATH=" + EmptyLocaleDir()}, {"--json=" + json, "--verbose"});
  ASSERT_EQ(result.exit_code(), 0) << result.out << result.err;
  EXPECT_TRUE(HasHangul(result.out)) << result.out;
  EXPECT_NE(result.out.find("PASS  REAP-2   MUST"), std::string::npos) << result.out;
  nlohmann::json report = nlohmann::json::parse(ReadFile(json));
  ASSERT_GE(report["results"].size(), 28u);
  for (const auto& entry : report["results"]) {
    std::string id = entry["id"];
    EXPECT_TRUE(std::regex_match(id, std::regex("[A-Z]+-[0-9]"))) << id;
    EXPECT_TRUE(entry["status"] == "pass" || entry["status"] == "skip") << id << " " << entry["status"];
    EXPECT_TRUE(entry["level"] == "MUST" || entry["level"] == "SHOULD") << id;
    EXPECT_TRUE(HasHangul(entry["title"].get<std::string>())) << id << " title: " << entry["title"];
    std::string evidence = entry.value("evidence", "");
    EXPECT_TRUE(evidence.empty() || HasHangul(evidence)) << id << " evidence: " << evidence;
  }
}

// The planted one-waitpid-per-SIGCHLD server: REAP-2 fails, and its hint is
// the textbook's: 좀비 프로세스, 시그널, waitpid(-1, &st, WNOHANG) in a loop.
TEST_F(LanguageTest, OneWaitpidServerGetsTheReap2HintInKorean) {
  ProcessResult result = Forkcheck({"LANG=ko_KR.UTF-8"}, {"--only=REAP-2", "--", Runfile("scenarios/testdata/mutant_server"),
                                                          "--port={port}", "--bug=reap-once"});
  EXPECT_EQ(result.exit_code(), 1) << result.out << result.err;
  EXPECT_NE(result.out.find("FAIL  REAP-2   MUST"), std::string::npos) << result.out;
  std::smatch hint;
  std::string out = result.out;
  ASSERT_TRUE(std::regex_search(out, hint, std::regex("\n +[^ \n]+: +([^\n]*waitpid[^\n]*)"))) << out;
  EXPECT_TRUE(HasHangul(hint[1].str())) << hint[1];
  EXPECT_NE(hint[1].str().find("시그널"), std::string::npos) << hint[1];
  EXPECT_NE(hint[1].str().find("waitpid(-1, &st, WNOHANG)"), std::string::npos) << hint[1];
}

TEST_F(LanguageTest, LangEnWinsOverAKoreanLocale) {
  ProcessResult result = Forkcheck({"LANG=ko_KR.UTF-8", "LANGUAGE=ko"}, {"--lang=en", "--list"});
  EXPECT_EQ(result.exit_code(), 0) << result.err;
  EXPECT_FALSE(HasHangul(result.out + result.err)) << result.out << result.err;
  EXPECT_NE(result.out.find("reaps every child of a burst"), std::string::npos) << result.out;
}

TEST_F(LanguageTest, LangKoUnderTheCLocale) {
  ProcessResult result = Forkcheck({}, {"--lang=ko", "--list"});
  EXPECT_EQ(result.exit_code(), 0) << result.err;
  EXPECT_TRUE(HasHangul(result.out)) << result.out;
  EXPECT_NE(result.out.find("REAP-2   MUST   core"), std::string::npos) << result.out;
}

// Without ko_KR.UTF-8 (LOCPATH hides every compiled locale) the messages are
// still Korean, and the missing locale is said once, however many case
// processes --jobs starts.
TEST_F(LanguageTest, AMissingKoreanLocaleIsSaidOnce) {
  ProcessResult result =
      Forkcheck({"LANG=ko_KR.UTF-8", "LOCPATH=" + EmptyLocaleDir()}, {"--only=ECHO-*,REAP-1", "--jobs=2"});
  EXPECT_EQ(result.exit_code(), 0) << result.out << result.err;
  EXPECT_EQ(Count(result.err, "\n"), 1) << result.err;
  EXPECT_NE(result.err.find("ko_KR.UTF-8"), std::string::npos) << result.err;
  EXPECT_TRUE(HasHangul(result.out)) << result.out;
}

TEST_F(LanguageTest, HelpAndUsageErrorsInKorean) {
  ProcessResult help = Forkcheck({"LANG=ko_KR.UTF-8"}, {"--help"});
  EXPECT_EQ(help.exit_code(), 0);
  EXPECT_TRUE(HasHangul(help.out)) << help.out;
  EXPECT_NE(help.out.find("--lang"), std::string::npos);
  ProcessResult usage = Forkcheck({"LANG=ko_KR.UTF-8"}, {"--only=NOPE-9"});
  EXPECT_EQ(usage.exit_code(), 2);
  EXPECT_EQ(Count(usage.err, "\n"), 1) << usage.err;
  EXPECT_TRUE(HasHangul(usage.err)) << usage.err;
  ProcessResult bad = Forkcheck({}, {"--lang=fr", "--list"});
  EXPECT_EQ(bad.exit_code(), 2);
  EXPECT_NE(bad.err.find("--lang"), std::string::npos) << bad.err;
}

TEST_F(LanguageTest, FuzzSpeaksKoreanToo) {
  ProcessResult result = Forkcheck({"LANG=ko_KR.UTF-8"}, {"fuzz", "--runs=2", "--seed=7"});
  EXPECT_EQ(result.exit_code(), 0) << result.out << result.err;
  EXPECT_TRUE(HasHangul(result.out)) << result.out;
}

}  // namespace
}  // namespace forkcheck
