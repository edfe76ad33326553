#include "conformance/fuzz/fuzz_server.h"

#include <signal.h>

#include <sstream>

#include <rapidcheck.h>

#include "conformance/harness/procfs.h"

namespace forkcheck {
namespace {

bool Running(pid_t pid) {
  auto stat = ReadProcStat(pid);
  return stat && !stat->zombie();
}

std::string Where(int step) { return step == 0 ? "at start-up" : "at step " + std::to_string(step); }

}  // namespace

std::string DescribeExpectation(const Expectation& expect) {
  switch (expect.kind) {
    case Expectation::Kind::kAnyExit:
      return "a normal exit";
    case Expectation::Kind::kExit:
      return "exit status " + std::to_string(expect.value);
    case Expectation::Kind::kSignal:
      return "death by signal " + std::to_string(expect.value);
  }
  return "";
}

FuzzServer::~FuzzServer() {
  conns_.clear();
  if (sut_) sut_->KillTree();
}

Millis FuzzServer::ReapGrace() const { return Scaled(Millis(setup_.options->declared.reap_grace_ms)); }

bool FuzzServer::Start(std::string* error) {
  SutSpec spec;
  spec.argv = setup_.options->argv;
  spec.host = setup_.options->declared.host;
  spec.workdir = setup_.workdir;
  spec.start_timeout = Scaled(Millis(5000));
  spec.protocol = setup_.options->protocol;
  if (setup_.options->fork_failures && !spec.argv.empty()) {
    std::string why;
    faults_ = FaultPlan::ForProgram(ResolveProgram(spec.argv[0]), setup_.workdir,
                                    setup_.options->declared.backends, &why);
    if (faults_)
      for (const std::string& variable : faults_->Environment()) spec.extra_env.push_back(variable);
  }
  sut_ = Sut::Start(spec, error);
  if (!sut_) return false;
  if (faults_ && !faults_->Attach(sut_->pid(), error)) faults_.reset();
  // The harness's readiness probe was served by a child: let it go first.
  bool quiet = PollUntil([&] { return sut_->Children().empty(); }, ReapGrace() + Scaled(Millis(1000)));
  if (!quiet) Fail("REAP-1", "the child that served the start-up probe was not reaped within " +
                                 std::to_string((ReapGrace() + Scaled(Millis(1000))).count()) + " ms");
  return true;
}

void FuzzServer::BeginStep(const std::string& shown) {
  steps_.push_back(shown);
  newly_ended_ = ended_.size();
  KeepAlive();
}

void FuzzServer::Fail(const std::string& requirement, const std::string& evidence) {
  FuzzRecord* record = setup_.record;
  std::string where = Where(static_cast<int>(steps_.size()));
  if (record != nullptr) {
    record->steps = steps_;
    record->requirement = requirement;
    record->evidence = where + ": " + evidence;
  }
  throw rc::detail::CaseResult(rc::detail::CaseResult::Type::Failure,
                               requirement + " violated " + where + ": " + evidence);
}

void FuzzServer::Open(int id) {
  std::optional<TcpClient> client = sut_->Connect(Scaled(Millis(2000)));
  if (!client) Fail("CONC-1", "could not connect while " + std::to_string(conns_.size()) + " connections were open");
  if (std::string failure = sut_->protocol().Hold(*client, Scaled(Millis(2000))); !failure.empty())
    Fail("CONC-1", "connection c" + std::to_string(id) + " was not served while " + std::to_string(conns_.size()) +
                       " others were open: " + failure);
  std::optional<pid_t> child = sut_->ChildServing(*client, Scaled(Millis(2000)));
  if (!child) Fail("CONC-1", "no child process of the server holds connection c" + std::to_string(id));
  conns_[id] = Conn{std::move(*client), *child, Clock::now()};
}

void FuzzServer::Touch(int id) { conns_.at(id).last_active = Clock::now(); }

void FuzzServer::Ended(int id, Expectation expect, const char* end_requirement, const char* reap_requirement) {
  auto it = conns_.find(id);
  ended_.push_back({it->second.child, static_cast<int>(steps_.size()), expect, end_requirement, reap_requirement});
  conns_.erase(it);
}

// With the alarm profile, a connection the schedule leaves alone for the
// idle timeout would be closed behind the model's back: refresh it first.
void FuzzServer::KeepAlive() {
  int timeout = setup_.options->declared.idle_timeout_ms;
  if (!setup_.options->declared.Has("alarm") || timeout <= 0 || !sut_->protocol().Provides(Need::kExactEcho)) return;
  for (auto& [id, conn] : conns_) {
    if (MillisSince(conn.last_active) < timeout / 3.0) continue;
    // A bare newline: the next hook line still starts a line.
    if (!conn.client.SendAll("\n", Scaled(Millis(1000))) ||
        conn.client.ReadUpTo(1, Scaled(Millis(1000))) != "\n")
      Fail("ECHO-1", "a one-byte keep-alive on c" + std::to_string(id) + " was not echoed");
    conn.last_active = Clock::now();
  }
}

void FuzzServer::CheckInvariants(const FuzzModel& after, const char* death_requirement) {
  CheckAlive(death_requirement);
  CheckEnded();
  CheckNoZombies();
  CheckChildCount(after);
  CheckStatusLines();
  CheckAlive(death_requirement);
}

void FuzzServer::CheckAlive(const char* death_requirement) {
  if (sut_->Alive()) return;
  std::string tail = sut_->OutputTail(2);
  Fail(death_requirement, "the server process ended" + (tail.empty() ? "" : "; its output ends: " + tail));
}

void FuzzServer::CheckEnded() {
  Millis budget = Scaled(Millis(2000));
  for (size_t i = newly_ended_; i < ended_.size(); ++i) {
    const EndedChild& child = ended_[i];
    if (!PollUntil([&] { return !Running(child.pid); }, budget))
      Fail(child.end_requirement, "child " + std::to_string(child.pid) + " still runs " +
                                      std::to_string(budget.count()) + " ms after its session ended (expected " +
                                      DescribeExpectation(child.expect) + ")");
  }
}

const FuzzServer::EndedChild* FuzzServer::FindEnded(pid_t pid) const {
  for (const EndedChild& child : ended_)
    if (child.pid == pid) return &child;
  return nullptr;
}

// Every zombie must be reaped within the grace; the one left names the
// requirement of the step that ended it (REAP-2 when several ended at once).
void FuzzServer::CheckNoZombies() {
  std::vector<ProcStat> zombies;
  if (PollUntil([&] { return (zombies = sut_->ZombieChildren()).empty(); }, ReapGrace())) return;
  const ProcStat& zombie = zombies.front();
  const EndedChild* ended = FindEnded(zombie.pid);
  std::ostringstream evidence;
  evidence << zombies.size() << " zombie child" << (zombies.size() > 1 ? "ren" : "") << " (pid " << zombie.pid;
  if (ended != nullptr) evidence << ", ended " << Where(ended->step);
  evidence << ") still unreaped " << ReapGrace().count() << " ms later";
  // Children the model did not end one by one: several at once is REAP-2's case.
  Fail(ended ? ended->reap_requirement : zombies.size() > 1 ? "REAP-2" : "REAP-1", evidence.str());
}

void FuzzServer::CheckChildCount(const FuzzModel& after) {
  size_t live = 0;
  auto matches = [&] { return (live = sut_->LiveChildren().size()) == after.open.size(); };
  if (PollUntil(matches, Scaled(Millis(1000)))) return;
  Fail("CONC-1", std::to_string(live) + " live children while the model has " + std::to_string(after.open.size()) +
                     " open connections (one child per connection)");
}

void FuzzServer::CheckStatusLines() {
  if (setup_.status == nullptr) return;
  for (EndedChild& child : ended_) CheckStatusOf(child);
}

void FuzzServer::CheckStatusOf(EndedChild& child) {
  std::vector<StatusReport> reports;
  auto arrived = [&] { return !(reports = setup_.status->ReportsFor(sut_->OutputLines(), child.pid)).empty(); };
  if (!child.status_seen && !PollUntil(arrived, ReapGrace() + Scaled(Millis(500))))
    Fail("STAT-1", "no status line for child " + std::to_string(child.pid) + " (ended " + Where(child.step) + ")");
  child.status_seen = true;
  reports = setup_.status->ReportsFor(sut_->OutputLines(), child.pid);
  if (reports.size() > 1)
    Fail("STAT-1", std::to_string(reports.size()) + " status lines for child " + std::to_string(child.pid) +
                       ": \"" + reports[0].line + "\", \"" + reports[1].line + "\"");
  const StatusReport& report = reports.front();
  const Expectation& expect = child.expect;
  bool exit_ok = report.exited && (expect.kind == Expectation::Kind::kAnyExit || report.code == expect.value);
  bool signal_ok = !report.exited && report.signal == expect.value;
  if (expect.kind != Expectation::Kind::kSignal && !exit_ok)
    Fail("STAT-2", "\"" + report.line + "\" for child " + std::to_string(child.pid) + ", expected " +
                       DescribeExpectation(expect));
  if (expect.kind == Expectation::Kind::kSignal && !signal_ok)
    Fail("STAT-3", "\"" + report.line + "\" for child " + std::to_string(child.pid) + ", expected " +
                       DescribeExpectation(expect));
}

}  // namespace forkcheck
