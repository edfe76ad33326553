#include "conformance/fuzz/commands.h"

#include <signal.h>

#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "conformance/harness/procfs.h"
#include "conformance/l10n/tr.h"

namespace forkcheck {
namespace {

using Kind = Expectation::Kind;

std::string Name(int id) { return "c" + std::to_string(id); }

// A command that names what it did from the model state it ran in, so the
// reported schedule numbers connections as the shrunk run opened them.
class Step : public FuzzCommand {
 public:
  void run(const FuzzModel& s0, FuzzServer& server) const override {
    server.BeginStep(Describe(s0));
    Act(s0, server);
    server.CheckInvariants(nextState(s0), death_requirement());
  }
  void show(std::ostream& os) const override { os << Describe(FuzzModel{}); }

 protected:
  virtual std::string Describe(const FuzzModel& s0) const = 0;
  virtual void Act(const FuzzModel& s0, FuzzServer& server) const = 0;
  virtual const char* death_requirement() const { return "REAP-3"; }
};

// A command on one open connection, picked by its position.
class OnConnection : public Step {
 public:
  explicit OnConnection(const FuzzModel& s0) {
    RC_PRE(!s0.open.empty());
    pick_ = *rc::gen::inRange<size_t>(0, s0.open.size());
  }
  void checkPreconditions(const FuzzModel& s0) const override { RC_PRE(pick_ < s0.open.size()); }

 protected:
  int Target(const FuzzModel& s0) const { return pick_ < s0.open.size() ? s0.open[pick_] : -1; }

 private:
  size_t pick_ = 0;
};

class Connect : public Step {
 public:
  explicit Connect(const FuzzModel& s0) { checkPreconditions(s0); }
  void checkPreconditions(const FuzzModel& s0) const override {
    RC_PRE(s0.open.size() < static_cast<size_t>(s0.profile.max_connections));
  }
  void apply(FuzzModel& s0) const override { s0.open.push_back(s0.next_id++); }

 protected:
  std::string Describe(const FuzzModel& s0) const override { return "connect " + Name(s0.next_id); }
  void Act(const FuzzModel& s0, FuzzServer& server) const override { server.Open(s0.next_id); }
  const char* death_requirement() const override { return "CONC-1"; }
};

class Send : public OnConnection {
 public:
  explicit Send(const FuzzModel& s0) : OnConnection(s0) {
    RC_PRE(s0.profile.echo);
    // No '!': a hook line must only ever be sent on purpose. The final
    // newline leaves the next hook at a line start, alone in its chunk.
    bytes_ = *rc::gen::container<std::string>(*rc::gen::inRange(0, 2048),
                                              rc::gen::elementOf(std::string("abcxyz0189\n")));
    bytes_ += '\n';
  }

 protected:
  std::string Describe(const FuzzModel& s0) const override {
    // TRANSLATORS: a step of a fuzz schedule. Keep its leading command word (connect, send, half-close, close,
    // kill, wait) and the connection names (c0, c1, ...) as they are.
    return Say("send {0} bytes on {1}", bytes_.size(), Name(Target(s0)));
  }
  void Act(const FuzzModel& s0, FuzzServer& server) const override {
    int id = Target(s0);
    TcpClient& client = server.Client(id);
    bool sent = client.SendAll(bytes_, Scaled(Millis(2000)));
    std::string back = client.ReadUpTo(bytes_.size(), Scaled(Millis(2000)));
    server.Touch(id);
    if (sent && back == bytes_) return;
    size_t same = 0;
    while (same < back.size() && back[same] == bytes_[same]) ++same;
    if (same < back.size())
      server.Fail("ECHO-1", Say("sent {0} bytes on {1}, got {2} back, first difference at byte {3}", bytes_.size(),
                                Name(id), back.size(), same));
    server.Fail("ECHO-1", Say("sent {0} bytes on {1}, got {2} back", bytes_.size(), Name(id), back.size()));
  }
  const char* death_requirement() const override { return "ECHO-1"; }

 private:
  std::string bytes_;
};

class HalfClose : public OnConnection {
 public:
  explicit HalfClose(const FuzzModel& s0) : OnConnection(s0) { RC_PRE(s0.profile.echo); }
  void apply(FuzzModel& s0) const override { s0.Remove(Target(s0)); }

 protected:
  std::string Describe(const FuzzModel& s0) const override {
    return Say("half-close {0} (shutdown SHUT_WR), read to EOF", Name(Target(s0)));
  }
  void Act(const FuzzModel& s0, FuzzServer& server) const override {
    int id = Target(s0);
    TcpClient& client = server.Client(id);
    client.ShutdownWrite();
    std::string rest;
    TcpClient::End end = client.ReadToEnd(&rest, Scaled(Millis(2000)));
    if (end == TcpClient::End::kTimeout)
      server.Fail("ECHO-2", Say("no EOF on {0} within {1} ms of the half-close", Name(id), Scaled(Millis(2000)).count()));
    if (!rest.empty()) server.Fail("ECHO-1", Say("{0} unexpected bytes on {1} after the half-close", rest.size(), Name(id)));
    server.Ended(id, {Kind::kAnyExit, 0}, "ECHO-2", "REAP-1");
  }
};

class Close : public OnConnection {
 public:
  using OnConnection::OnConnection;
  void apply(FuzzModel& s0) const override { s0.Remove(Target(s0)); }

 protected:
  std::string Describe(const FuzzModel& s0) const override { return "close " + Name(Target(s0)); }
  void Act(const FuzzModel& s0, FuzzServer& server) const override {
    server.Ended(Target(s0), {Kind::kAnyExit, 0}, "ECHO-2", "REAP-1");
  }
};

// The signals STAT-3 uses. A child that catches one is sent SIGKILL
// instead, so the model's "dies of the signal sent" stays true.
const std::vector<int> kKillSignals = {SIGKILL, SIGHUP, SIGUSR1, SIGUSR2};

class Kill : public OnConnection {
 public:
  explicit Kill(const FuzzModel& s0) : OnConnection(s0) { signo_ = *rc::gen::elementOf(kKillSignals); }
  void apply(FuzzModel& s0) const override { s0.Remove(Target(s0)); }

 protected:
  std::string Describe(const FuzzModel& s0) const override {
    // TRANSLATORS: {0} is a signal's name without SIG (KILL, HUP).
    return Say("kill -{0} the child serving {1}", sigabbrev_np(signo_), Name(Target(s0)));
  }
  void Act(const FuzzModel& s0, FuzzServer& server) const override {
    int id = Target(s0);
    pid_t child = server.Child(id);
    int signo = SignalWouldKill(child, signo_) ? signo_ : SIGKILL;
    // kill() before the client closes: the child dies of the signal, not of EOF.
    kill(child, signo);
    server.Ended(id, {Kind::kSignal, signo}, "REAP-3", "REAP-3");
  }

 private:
  int signo_ = SIGKILL;
};

class HookExit : public OnConnection {
 public:
  explicit HookExit(const FuzzModel& s0) : OnConnection(s0) {
    RC_PRE(s0.profile.hooks);
    code_ = *rc::gen::inRange(0, 256);
  }
  void apply(FuzzModel& s0) const override { s0.Remove(Target(s0)); }

 protected:
  std::string Describe(const FuzzModel& s0) const override {
    return Say("send \"!exit {0}\" on {1}", code_, Name(Target(s0)));
  }
  void Act(const FuzzModel& s0, FuzzServer& server) const override {
    int id = Target(s0);
    TcpClient& client = server.Client(id);
    client.SendAll("!exit " + std::to_string(code_) + "\n", Scaled(Millis(1000)));
    std::string rest;
    if (client.ReadToEnd(&rest, Scaled(Millis(2000))) == TcpClient::End::kTimeout)
      server.Fail("STAT-2",
                  Say("the child serving {0} did not end after \"!exit {1}\" (is --test-hooks on?)", Name(id), code_));
    server.Ended(id, {Kind::kExit, code_}, "STAT-2", "REAP-1");
  }

 private:
  int code_ = 0;
};

class SigchldStorm : public Step {
 public:
  explicit SigchldStorm(const FuzzModel&) { count_ = *rc::gen::inRange(1, 50); }

 protected:
  std::string Describe(const FuzzModel&) const override {
    return Say("send {0} spurious SIGCHLD to the server", count_);
  }
  void Act(const FuzzModel&, FuzzServer& server) const override {
    for (int i = 0; i < count_; ++i) server.sut().Signal(SIGCHLD);
  }
  const char* death_requirement() const override { return "INTR-1"; }

 private:
  int count_ = 1;
};

std::string JoinNames(const std::vector<int>& ids) {
  std::string names;
  for (int id : ids) names += (names.empty() ? "" : ", ") + Name(id);
  return names;
}

// Holds the server's main process stopped: children that end meanwhile are
// all pending at once when it resumes, their SIGCHLDs coalesced into one, as
// on a busy machine. Deterministic where racing the scheduler is not.
class PausedServer {
 public:
  explicit PausedServer(pid_t server) : server_(server) {
    kill(server_, SIGSTOP);
    PollUntil([&] { return StateOf(server_) == 'T'; }, Scaled(Millis(1000)), Millis(1));
  }
  ~PausedServer() { kill(server_, SIGCONT); }
  PausedServer(const PausedServer&) = delete;
  PausedServer& operator=(const PausedServer&) = delete;

  static char StateOf(pid_t pid) {
    auto stat = ReadProcStat(pid);
    return stat ? stat->state : '?';
  }

 private:
  pid_t server_;
};

class CloseAll : public Step {
 public:
  explicit CloseAll(const FuzzModel& s0) { checkPreconditions(s0); }
  void checkPreconditions(const FuzzModel& s0) const override { RC_PRE(s0.open.size() >= 2); }
  void apply(FuzzModel& s0) const override { s0.open.clear(); }

 protected:
  std::string Describe(const FuzzModel& s0) const override {
    return Say("close {0} at once (server stopped until their children ended)", JoinNames(s0.open));
  }
  void Act(const FuzzModel& s0, FuzzServer& server) const override {
    std::vector<pid_t> children;
    for (int id : s0.open) children.push_back(server.Child(id));
    PausedServer paused(server.sut().pid());
    for (int id : s0.open) server.Ended(id, {Kind::kAnyExit, 0}, "ECHO-2", "REAP-2");
    auto all_ended = [&] {
      for (pid_t child : children)
        if (PausedServer::StateOf(child) != 'Z') return false;
      return true;
    };
    PollUntil(all_ended, Scaled(Millis(2000)), Millis(1));
  }
  const char* death_requirement() const override { return "REAP-2"; }
};

class IdleWait : public Step {
 public:
  explicit IdleWait(const FuzzModel& s0) {
    RC_PRE(s0.profile.alarm && s0.profile.idle_timeout_ms > 0 && !s0.open.empty());
  }
  void checkPreconditions(const FuzzModel& s0) const override { RC_PRE(!s0.open.empty()); }
  void apply(FuzzModel& s0) const override { s0.open.clear(); }

 protected:
  std::string Describe(const FuzzModel& s0) const override {
    return Say("wait past the idle timeout ({0} ms) with {1} open", s0.profile.idle_timeout_ms, JoinNames(s0.open));
  }
  void Act(const FuzzModel& s0, FuzzServer& server) const override {
    int timeout = s0.profile.idle_timeout_ms;
    Deadline deadline(Millis(timeout) + Scaled(Millis(timeout / 2 + 1000)));
    const char* reap = s0.open.size() > 1 ? "REAP-2" : "REAP-1";
    for (int id : s0.open) {
      std::string rest;
      if (server.Client(id).ReadToEnd(&rest, deadline.Remaining()) == TcpClient::End::kTimeout)
        server.Fail("ALRM-1", Say("{0} still open {1} ms + margin after its last byte", Name(id), timeout));
      if (!rest.empty())
        server.Fail("ALRM-2", Say("{0} bytes the client never sent arrived on {1}", rest.size(), Name(id)));
      server.Ended(id, {Kind::kAnyExit, 0}, "ALRM-1", reap);
    }
  }
  const char* death_requirement() const override { return "ALRM-1"; }
};

class ForkFailure : public Step {
 public:
  explicit ForkFailure(const FuzzModel& s0) { RC_PRE(s0.profile.fork_failures); }

 protected:
  std::string Describe(const FuzzModel&) const override {
    return Tr("make the server's next fork() fail with EAGAIN, connect, expect EOF");
  }
  void Act(const FuzzModel&, FuzzServer& server) const override {
    FaultPlan* faults = server.faults();
    if (faults == nullptr) return;
    FaultRule once;
    once.error = EAGAIN;
    once.role = Role::kParent;
    faults->Arm(Family::kFork, once);
    std::optional<TcpClient> client = server.sut().Connect(Scaled(Millis(2000)));
    std::string rest;
    if (client) client->ReadToEnd(&rest, Scaled(Millis(1000)));
    faults->Disarm(Family::kFork);
  }
  const char* death_requirement() const override { return "FORK-1"; }
};

// The fork() race (FORK-2): the parent sleeps after each fork() returns, as
// the scheduler may make it, while clients connect and close at once, so
// their children end before the parent has recorded them.
class ForkRace : public Step {
 public:
  explicit ForkRace(const FuzzModel& s0) {
    RC_PRE(s0.profile.fork_failures);
    // Picked from lists: a fuzz run is one test of size 0, where ranged
    // generators would only ever give their smallest values.
    count_ = *rc::gen::elementOf(std::vector<int>{3, 6, 9, 12});
    delay_ms_ = *rc::gen::elementOf(std::vector<int>{10, 20, 30});
  }

 protected:
  std::string Describe(const FuzzModel&) const override {
    return Say("delay the parent {0} ms after fork(), {1} clients close at once", delay_ms_, count_);
  }
  void Act(const FuzzModel&, FuzzServer& server) const override {
    FaultPlan* faults = server.faults();
    if (faults == nullptr) return;
    FaultRule delay{0, 0, -1, 1, 0, Role::kParent, delay_ms_, false};
    faults->Arm(Family::kFork, delay);
    for (int i = 0; i < count_; ++i)
      if (std::optional<TcpClient> client = server.sut().Connect(Scaled(Millis(2000)))) client->Close();
    uint16_t port = server.sut().port();
    PollUntil([&] { return AcceptQueueLength(port).value_or(0) == 0; }, Scaled(Millis(count_ * (delay_ms_ + 50) + 2000)));
    faults->Disarm(Family::kFork);
    std::optional<TcpClient> probe = server.sut().Connect(Scaled(Millis(2000)));
    if (!probe || !server.sut().protocol().Serve(*probe, Scaled(Millis(2000))).empty())
      server.Fail("FORK-2", Tr("after children that ended before fork() returned in the parent, a new client was not "
                               "served within 2000 ms (slots lost?)"));
  }
  const char* death_requirement() const override { return "FORK-2"; }

 private:
  int count_ = 1;
  int delay_ms_ = 20;
};

}  // namespace

rc::Gen<std::shared_ptr<const FuzzCommand>> GenFuzzCommand(const FuzzModel& model) {
  // Connect is listed twice: schedules need open connections to be useful.
  return rc::state::gen::execOneOfWithArgs<Connect, Connect, Send, HalfClose, Close, Kill, HookExit,
                                           SigchldStorm, CloseAll, IdleWait, ForkFailure, ForkRace>()(model);
}

}  // namespace forkcheck
