// The false-alarm corpus: correct forking echo servers in different styles
// (scenarios/testdata/corpus) must conform. Each may fail only the SHOULD
// requirements it really breaks, named here with the reason; nothing is
// blocked, and a skip must be one the kernel or the profile explains.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "conformance/harness/procfs.h"
#include "scenarios/test_support.h"

namespace forkcheck {
namespace {

struct CorpusServer {
  const char* name;
  std::vector<std::string> argv;  // relative runfile path first, or an absolute interpreter
  std::set<std::string> profiles;
  int max_children;
  std::string host;
  std::set<std::string> real_should_failures;
};

const std::string kCorpus = "scenarios/testdata/corpus/";

std::vector<CorpusServer> Servers() {
  std::set<std::string> status = {"core", "status"};
  std::set<std::string> core = {"core"};
  // EMFILE-1: `if (accept() < 0) continue;` retries at once on EMFILE.
  std::set<std::string> textbook_spins = {"EMFILE-1"};
  return {
      {"textbook", {kCorpus + "textbook_server", "--port={port}"}, status, 0, "127.0.0.1", textbook_spins},
      {"textbook_static", {kCorpus + "textbook_server_static", "--port={port}"}, status, 0, "127.0.0.1",
       textbook_spins},
      {"sa_restart", {kCorpus + "sa_restart_server", "--port={port}"}, status, 0, "127.0.0.1", {}},
      {"poll", {kCorpus + "poll_server", "--port={port}"}, status, 0, "127.0.0.1", {}},
      {"self_pipe", {kCorpus + "self_pipe_server", "--port={port}"}, status, 0, "127.0.0.1", {}},
      {"signalfd", {kCorpus + "signalfd_server", "--port={port}"}, status, 0, "127.0.0.1", {}},
      {"sigign", {kCorpus + "sigign_server", "--port={port}"}, core, 0, "127.0.0.1", {}},
      {"dual_stack_over_ipv4", {kCorpus + "dual_stack_server", "--port={port}"}, status, 0, "127.0.0.1", {}},
      {"dual_stack_over_ipv6", {kCorpus + "dual_stack_server", "--port={port}"}, status, 0, "::1", {}},
      // ForkingMixIn: the child keeps the listening socket (FD-1), and
      // serve_forever() polls again at once while accept() fails (EMFILE-1).
      {"python_forking_tcp_server",
       {"/usr/bin/python3", kCorpus + "forking_tcp_server.py", "--port={port}"},
       {"core", "limit"},
       40,
       "127.0.0.1",
       {"FD-1", "EMFILE-1"}},
  };
}

class CorpusCase : public testing::Test {
 public:
  explicit CorpusCase(CorpusServer server) : server_(std::move(server)) {}
  void TestBody() override {
    CaseConfig config;
    for (const std::string& arg : server_.argv)
      config.spec.argv.push_back(arg.rfind(kCorpus, 0) == 0 ? RunfilePath(arg) : arg);
    config.spec.host = server_.host;
    config.declared.host = server_.host;
    config.declared.profiles = server_.profiles;
    config.declared.max_children = server_.max_children;
    config.status = server_.profiles.count("status") ? &DefaultParser() : nullptr;
    config.seed = 20261125;
    for (const Scenario& scenario : AllScenarios()) {
      const Requirement& requirement = scenario.requirement;
      CaseResult result = RunScenario(requirement.id, config);
      std::string id = requirement.id;
      const Outcome& outcome = result.outcome;
      if (outcome.verdict == Verdict::kFail) {
        EXPECT_TRUE(server_.real_should_failures.count(id)) << "false alarm on " << server_.name << ": " << id << ": "
                                                            << outcome.evidence;
        EXPECT_EQ(requirement.level, Level::kShould) << id;
      } else if (server_.real_should_failures.count(id)) {
        ADD_FAILURE() << server_.name << " really breaks " << id << ", but it was not flagged: "
                      << VerdictName(outcome.verdict) << " " << outcome.evidence;
      }
      EXPECT_NE(outcome.verdict, Verdict::kBlocked) << id << ": " << outcome.evidence;
      if (outcome.verdict == Verdict::kSkip)
        EXPECT_TRUE(!server_.profiles.count(requirement.profile) || id == "STAT-4")
            << id << " skipped: " << outcome.evidence;
      std::cerr << VerdictName(outcome.verdict) << " " << id << ": " << outcome.evidence << "\n";
    }
    EXPECT_TRUE(DescendantsOf(getpid()).empty()) << "processes left behind";
  }

 private:
  CorpusServer server_;
};

}  // namespace

void RegisterScenarioTests() {
  for (const CorpusServer& server : Servers())
    testing::RegisterTest("Conforms", server.name, nullptr, nullptr, __FILE__, __LINE__,
                          [server]() -> testing::Test* { return new CorpusCase(server); });
}

}  // namespace forkcheck
