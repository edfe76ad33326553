#include "conformance/fuzz/fuzz_server.h"

#include <signal.h>

#include <sstream>

#include <rapidcheck.h>

#include "conformance/harness/procfs.h"
#include "conformance/l10n/tr.h"

namespace forkcheck {
namespace {

bool Running(pid_t pid) {
  auto stat = ReadProcStat(pid);
  return stat && !stat->zombie();
}

// TRANSLATORS: when in a fuzz schedule something happened; put before ": evidence" and into "(ended {0})".
std::string Where(int step) { return step == 0 ? Tr("at start-up") : Say("at step {0}", step); }

}  // namespace

std::string DescribeExpectation(const Expectation& expect) {
  switch (expect.kind) {
    // TRANSLATORS: how a child must have ended, after "expected".
    case Expectation::Kind::kAnyExit:
      return Tr("a normal exit");
    case Expectation::Kind::kExit:
      return Say("exit status {0}", expect.value);
    case Expectation::Kind::kSignal:
      return Say("death by signal {0}", expect.value);
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
  if (!quiet)
    Fail("REAP-1", Say("the child that served the start-up probe was not reaped within {0} ms",
                       (ReapGrace() + Scaled(Millis(1000))).count()));
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
  // TRANSLATORS: {0} is a requirement ID, {1} when ("at step 3"), {2} what was observed.
  throw rc::detail::CaseResult(rc::detail::CaseResult::Type::Failure,
                               Say("{0} violated {1}: {2}", requirement, where, evidence));
}

void FuzzServer::Open(int id) {
  std::optional<TcpClient> client = sut_->Connect(Scaled(Millis(2000)));
  if (!client) Fail("CONC-1", Say("could not connect while {0} connections were open", conns_.size()));
  // TRANSLATORS: {0} is a connection's number (c0, c1, ...); {2} what went wrong.
  if (std::string failure = sut_->protocol().Hold(*client, Scaled(Millis(2000))); !failure.empty())
    Fail("CONC-1", Say("connection c{0} was not served while {1} others were open: {2}", id, conns_.size(), failure));
  std::optional<pid_t> child = sut_->ChildServing(*client, Scaled(Millis(2000)));
  if (!child) Fail("CONC-1", Say("no child process of the server holds connection c{0}", id));
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
      Fail("ECHO-1", Say("a one-byte keep-alive on c{0} was not echoed", id));
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
  if (tail.empty()) Fail(death_requirement, Tr("the server process ended"));
  Fail(death_requirement, Say("the server process ended; its output ends: {0}", tail));
}

void FuzzServer::CheckEnded() {
  Millis budget = Scaled(Millis(2000));
  for (size_t i = newly_ended_; i < ended_.size(); ++i) {
    const EndedChild& child = ended_[i];
    if (!PollUntil([&] { return !Running(child.pid); }, budget))
      // TRANSLATORS: {2} is how it should have ended ("a normal exit", "exit status 3").
      Fail(child.end_requirement, Say("child {0} still runs {1} ms after its session ended (expected {2})", child.pid,
                                      budget.count(), DescribeExpectation(child.expect)));
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
  std::string evidence =
      ended == nullptr
          ? SayN("{0} zombie child (pid {1}) still unreaped {2} ms later",
                 "{0} zombie children (pid {1}) still unreaped {2} ms later", zombies.size(), zombies.size(),
                 zombie.pid, ReapGrace().count())
          // TRANSLATORS: {2} is when the child's session ended ("at step 3").
          : SayN("{0} zombie child (pid {1}, ended {2}) still unreaped {3} ms later",
                 "{0} zombie children (pid {1}, ended {2}) still unreaped {3} ms later", zombies.size(), zombies.size(),
                 zombie.pid, Where(ended->step), ReapGrace().count());
  // Children the model did not end one by one: several at once is REAP-2's case.
  Fail(ended ? ended->reap_requirement : zombies.size() > 1 ? "REAP-2" : "REAP-1", evidence);
}

void FuzzServer::CheckChildCount(const FuzzModel& after) {
  size_t live = 0;
  auto matches = [&] { return (live = sut_->LiveChildren().size()) == after.open.size(); };
  if (PollUntil(matches, Scaled(Millis(1000)))) return;
  Fail("CONC-1", Say("{0} live children while the model has {1} open connections (one child per connection)", live,
                     after.open.size()));
}

void FuzzServer::CheckStatusLines() {
  if (setup_.status == nullptr) return;
  for (EndedChild& child : ended_) CheckStatusOf(child);
}

void FuzzServer::CheckStatusOf(EndedChild& child) {
  std::vector<StatusReport> reports;
  auto arrived = [&] { return !(reports = setup_.status->ReportsFor(sut_->OutputLines(), child.pid)).empty(); };
  if (!child.status_seen && !PollUntil(arrived, ReapGrace() + Scaled(Millis(500))))
    Fail("STAT-1", Say("no status line for child {0} (ended {1})", child.pid, Where(child.step)));
  child.status_seen = true;
  reports = setup_.status->ReportsFor(sut_->OutputLines(), child.pid);
  if (reports.size() > 1)
    Fail("STAT-1", Say("{0} status lines for child {1}: \"{2}\", \"{3}\"", reports.size(), child.pid, reports[0].line,
                       reports[1].line));
  const StatusReport& report = reports.front();
  const Expectation& expect = child.expect;
  bool exit_ok = report.exited && (expect.kind == Expectation::Kind::kAnyExit || report.code == expect.value);
  bool signal_ok = !report.exited && report.signal == expect.value;
  // TRANSLATORS: {0} is the status line the server wrote, {2} how the child should have ended.
  if (expect.kind != Expectation::Kind::kSignal && !exit_ok)
    Fail("STAT-2", Say("\"{0}\" for child {1}, expected {2}", report.line, child.pid, DescribeExpectation(expect)));
  if (expect.kind == Expectation::Kind::kSignal && !signal_ok)
    Fail("STAT-3", Say("\"{0}\" for child {1}, expected {2}", report.line, child.pid, DescribeExpectation(expect)));
}

}  // namespace forkcheck
