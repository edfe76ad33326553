#include "conformance/run_case.h"

#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "conformance/harness/describe_status.h"
#include "conformance/harness/own_children.h"
#include "conformance/inject/fault_plan.h"
#include "conformance/l10n/tr.h"
#include "scenarios/model.h"

namespace forkcheck {
namespace {

std::string MakeWorkdir() {
  const char* base = std::getenv("TEST_TMPDIR");
  if (base == nullptr) base = std::getenv("TMPDIR");
  std::string pattern = std::string(base ? base : "/tmp") + "/forkcheck.XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) return "";
  return pattern;
}

// Kills the server tree if the case runs past its budget.
class Watchdog {
 public:
  Watchdog(Sut& sut, Millis budget)
      : thread_([this, &sut, budget] {
          std::unique_lock<std::mutex> lock(mutex_);
          if (!done_cv_.wait_for(lock, budget, [this] { return done_; })) {
            fired_ = true;
            sut.KillTree();
          }
        }) {}
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    done_cv_.notify_all();
    thread_.join();
  }
  bool fired() const { return fired_; }

 private:
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  bool fired_ = false;
  std::thread thread_;
};

// The plan must be in place before the server starts: the preload backend
// works through the server's environment.
std::unique_ptr<FaultPlan> PlanFaults(const Scenario& scenario, const Declared& declared, SutSpec* spec,
                                      std::string* why) {
  if (!scenario.needs_faults || spec->argv.empty()) return nullptr;
  std::unique_ptr<FaultPlan> plan = FaultPlan::ForProgram(ResolveProgram(spec->argv[0]), spec->workdir,
                                                              declared.backends, why);
  if (plan)
    for (const std::string& variable : plan->Environment()) spec->extra_env.push_back(variable);
  return plan;
}

Outcome RunScenarioBody(const Scenario& scenario, Context& context) {
  try {
    return scenario.run(context);
  } catch (const Blocked& blocked) {
    return Outcome::Blocked(blocked.by(), blocked.what());
  }
}

// The child the kit killed that ended at most 300 ms before the server did.
std::optional<Sut::ChildKill> KilledChildBeforeDeath(Sut& sut) {
  // The sampler may not have seen the end yet; it happened before now.
  auto ended = std::optional(sut.zombies().ParentEndedAt().value_or(Clock::now()));
  for (const Sut::ChildKill& killed : sut.ChildKills())
    if (killed.when <= *ended && *ended - killed.when <= Millis(1300)) return killed;
  return std::nullopt;
}

// Whether the server ended within 300 ms of one of its children: the
// report's diagnosis says so when every case it groups did.
bool DiedAfterChild(Sut& sut) {
  Clock::time_point ended = sut.zombies().ParentEndedAt().value_or(Clock::now());
  for (const auto& [pid, record] : sut.zombies().Snapshot()) {
    auto child_end = record.zombie_since ? record.zombie_since : record.gone_at;
    if (child_end && *child_end <= ended && ended - *child_end <= Millis(300)) return true;
  }
  return false;
}

// The sampler may have missed the server as a zombie (the kit reaps it at
// once); its status is known here.
std::vector<Event> EventsWithServerStatus(const Sut& sut, std::optional<int> status) {
  std::vector<Event> events = sut.events()->Events();
  for (Event& event : events)
    if (event.kind == EventKind::kServerEnded && event.value < 0 && status) event.value = *status;
  return events;
}

Outcome RunWithServer(const Scenario& scenario, const CaseConfig& config, CaseResult* result) {
  std::string error, no_faults;
  SutSpec spec = config.spec;
  spec.child_per_session = config.declared.model != "prefork";
  std::unique_ptr<FaultPlan> faults = PlanFaults(scenario, config.declared, &spec, &no_faults);
  std::unique_ptr<Sut> sut = Sut::Start(spec, &error);
  if (!sut) return Outcome::Fail(Say("the server did not start: {0}", error));
  if (faults && !faults->Attach(sut->pid(), &no_faults)) faults.reset();
  if (faults) faults->LogTo(sut->events());
  Context context{*sut,          config.declared, config.seed, std::mt19937_64(config.seed),
                  config.status, faults.get(),    no_faults};
  Outcome outcome;
  bool fired = false;
  {
    Watchdog watchdog(*sut, Scaled(config.case_budget));
    outcome = RunScenarioBody(scenario, context);
    fired = watchdog.fired();
  }
  if (fired)
    outcome = Outcome::Fail(Say("the case ran past its {0} ms budget; the server tree was killed (last verdict: {1})",
                                Scaled(config.case_budget).count(), outcome.evidence));
  // A server dumping core is still ending: give its status a moment to
  // arrive, since it is the best evidence a failure can have.
  if (outcome.verdict == Verdict::kFail) PollUntil([&] { return !sut->Alive(); }, Scaled(Millis(300)));
  // Only the shutdown checks end the server on purpose. Anything else that
  // passed on a server that died meanwhile judged the kit's own cleanup (as
  // subreaper it reaps the orphans), not the server.
  auto status = sut->ExitStatus();
  bool ends_server = std::string(scenario.requirement.profile) == "shutdown";
  // Surviving a child killed by a signal is REAP-3's concern; a check is
  // never blocked by itself.
  constexpr char kSurvivesKilledChildren[] = "REAP-3";
  if (auto killed = KilledChildBeforeDeath(*sut);
      status && killed && !ends_server && std::string(scenario.requirement.id) != kSurvivesKilledChildren)
    outcome = Outcome::Blocked(kSurvivesKilledChildren,
                               // TRANSLATORS: {0} is how the server ended ("exited with status 1"); {3} is an ID.
                               Say("the server {0} right after the kit killed its child {1} with signal {2} ({3})",
                                   DescribeWaitStatus(*status), killed->child, killed->signo, kSurvivesKilledChildren));
  if (status && outcome.verdict == Verdict::kPass && !ends_server)
    // TRANSLATORS: {0} is how the server ended ("exited with status 1"); {1} is the check's evidence.
    outcome = Outcome::Fail(Say("the server {0} during the case, so what looked right was not its doing ({1})",
                                DescribeWaitStatus(*status), outcome.evidence));
  // The shutdown checks end the server themselves: its death there is no
  // symptom for the diagnosis.
  if (status && outcome.verdict == Verdict::kFail && !ends_server) {
    result->server_death = DescribeWaitStatus(*status);
    result->died_after_child = DiedAfterChild(*sut);
    if (outcome.evidence.find(DescribeWaitStatus(*status)) == std::string::npos)
      // TRANSLATORS: {0} is how the server ended ("exited with status 1").
      outcome.evidence += "\n" + Say("(the server process {0} during the case)", DescribeWaitStatus(*status));
  }
  if (faults) faults->DisarmAll();
  // Timed before the teardown, which ends (and reaps) everything at once.
  result->zombie_lifetimes_ms = sut->zombies().ReapedLifetimes();
  result->reaped_before_seen = sut->zombies().ReapedBeforeSeen();
  sut->KillTree();
  result->events = EventsWithServerStatus(*sut, status);
  result->server_pid = sut->pid();
  return outcome;
}

}  // namespace

std::string SkipReason(const Requirement& requirement, const CaseConfig& config) {
  if (std::string mismatch = ModelMismatch(requirement, config.declared); !mismatch.empty()) return mismatch;
  if (!config.declared.Has(requirement.profile))
    return Say("profile '{0}' not declared (--profile={0})", requirement.profile);
  if (std::string(requirement.profile) == "status" && config.status == nullptr) return Tr("no status pattern");
  if (config.spec.protocol) return MissingNeed(requirement, *config.spec.protocol);
  return "";
}

CaseResult RunCase(const Scenario& scenario, const CaseConfig& config) {
  CaseResult result;
  result.scenario = &scenario;
  Clock::time_point start = Clock::now();
  if (std::string why = SkipReason(scenario.requirement, config); !why.empty()) {
    result.outcome = Outcome::Skip(why);
    return result;
  }
  CaseConfig local = config;
  local.spec.workdir = MakeWorkdir();
  result.outcome = RunWithServer(scenario, local, &result);
  KillAllDescendants(Scaled(Millis(10000)));
  if (!local.spec.workdir.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(local.spec.workdir, ignored);
  }
  result.duration_ms = MillisSince(start);
  return result;
}

}  // namespace forkcheck
