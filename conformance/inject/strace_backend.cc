#include "conformance/inject/strace_backend.h"

#include <signal.h>
#include <cerrno>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "conformance/harness/deadline.h"
#include "conformance/inject/signal_interrupter.h"
#include "conformance/l10n/tr.h"

extern char** environ;

namespace forkcheck {
namespace {

const char* SyscallSet(Family family) {
  switch (family) {
    // glibc's fork() is the clone system call.
    case Family::kFork: return "fork,vfork,clone";
    case Family::kAccept: return "accept,accept4";
    case Family::kRead: return "read,recvfrom";
    case Family::kWrite: return "write,sendto";
    case Family::kWaitpid: return "wait4,waitid";
  }
  return "";
}

void AddTo(FaultCounts* sum, const FaultCounts& more) {
  sum->every_call = sum->every_call && more.every_call;
  sum->calls += more.calls;
  sum->candidates += more.candidates;
  sum->cannot_block += more.cannot_block;
  sum->restarting += more.restarting;
  sum->injected += more.injected;
}

bool InSet(Family family, const std::string& syscall) {
  std::string set = std::string(",") + SyscallSet(family) + ",";
  return set.find("," + syscall + ",") != std::string::npos;
}

pid_t Spawn(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  // forkcheck blocks SIGTERM in every thread (own_children.h); strace must
  // not inherit that, or it ignores the SIGTERM that makes it detach.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0].c_str(), &actions, &attributes, args.data(), environ) != 0) pid = -1;
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

// Ends strace (it detaches on SIGTERM) and collects it.
void Stop(pid_t pid) {
  if (pid <= 0) return;
  kill(pid, SIGTERM);
  int status;
  if (!PollUntil([&] { return waitpid(pid, &status, WNOHANG) == pid; }, Scaled(Millis(3000)))) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
}

pid_t TracerOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("TracerPid:", 0) == 0) return std::atoi(line.c_str() + 10);
  return 0;
}

// ptrace may be forbidden (seccomp, yama, no CAP_SYS_PTRACE in a container).
bool StraceWorks(std::string* why) {
  static int works = -1;
  if (works < 0) {
    pid_t pid = Spawn({kStrace, "-qq", "-o", "/dev/null", "-e", "trace=none", "/bin/true"});
    int status = -1;
    if (pid > 0) waitpid(pid, &status, 0);
    works = pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  if (!works) *why = Say("{0} cannot trace here (missing, or ptrace not allowed)", kStrace);
  return works == 1;
}

class StraceBackend : public FaultBackend {
 public:
  explicit StraceBackend(std::string workdir) : workdir_(std::move(workdir)) {}
  ~StraceBackend() override { Restart(nullptr); }

  const char* name() const override { return "strace"; }
  bool Attach(pid_t server, std::string*) override {
    server_ = server;
    return true;
  }
  // EINTR is never faked here: strace cannot tell whether the call would
  // block or a handler lacks SA_RESTART, so a real SIGCHLD is sent into
  // the sleeping call instead and the kernel decides.
  bool Arm(Family family, const FaultRule& rule, std::string* error) override {
    if (rule.short_max > 0 || rule.role == Role::kChildren || rule.delay_child) {
      *error = Tr("strace cannot shorten transfers, single out the children or delay a new child");
      return false;
    }
    Disarm(family);
    if (rule.error == EINTR) {
      interrupters_[family] = std::make_unique<SignalInterrupter>(server_, family, rule);
      return true;
    }
    rules_[family] = rule;
    return Restart(error);
  }
  void Disarm(Family family) override {
    if (auto it = interrupters_.find(family); it != interrupters_.end()) {
      FaultCounts done = it->second->Counts();
      interrupters_.erase(it);
      AddTo(&interrupted_[family], done);
    }
    if (rules_.erase(family)) Restart(nullptr);
  }
  FaultCounts Counts(Family family, Role role) const override {
    FaultCounts counts;
    counts.calls = Count(family, role, "");
    counts.injected = Count(family, role, "(INJECTED)");
    counts.delayed = Count(family, role, "(DELAYED)");
    counts.candidates = counts.calls;
    if (role == Role::kChildren) return counts;
    if (auto it = interrupted_.find(family); it != interrupted_.end()) AddTo(&counts, it->second);
    if (auto it = interrupters_.find(family); it != interrupters_.end()) AddTo(&counts, it->second->Counts());
    return counts;
  }
  std::string Method(Family, const FaultRule& rule) const override {
    // TRANSLATORS: how the strace backend brings about EINTR, after the rule's description.
    return rule.error == EINTR ? Tr("by a real SIGCHLD sent while the call slept") : "";
  }

 private:
  std::string When(const FaultRule& rule) const {
    long every = rule.every > 1 ? rule.every : 1;
    std::string when = std::to_string(rule.skip + 1);
    if (rule.count >= 0) when += ".." + std::to_string(rule.skip + 1 + (rule.count - 1) * every);
    return when + "+" + std::to_string(every);
  }
  bool Restart(std::string* error);
  // Calls of the family in the logs; with a marker, only lines carrying it.
  long Count(Family family, Role role, const std::string& marker) const;

  std::string workdir_;
  pid_t server_ = -1;
  pid_t strace_ = -1;
  int runs_ = 0;
  std::map<Family, FaultRule> rules_;
  std::map<Family, std::unique_ptr<SignalInterrupter>> interrupters_;
  std::map<Family, FaultCounts> interrupted_;
};

bool StraceBackend::Restart(std::string* error) {
  Stop(strace_);
  strace_ = -1;
  if (rules_.empty() || server_ <= 0) return true;
  std::vector<std::string> argv = {kStrace, "-qq", "-o", workdir_ + "/strace." + std::to_string(runs_++)};
  std::string trace = "trace=";
  for (const auto& [family, rule] : rules_) {
    if (rule.role == Role::kAny) argv.push_back("-f");
    std::string what = rule.delay_ms > 0 ? "delay_exit=" + std::to_string(rule.delay_ms * 1000)
                                         : "error=" + ErrnoName(rule.error);
    argv.insert(argv.end(), {"-e", std::string("inject=") + SyscallSet(family) + ":" + what + ":when=" + When(rule)});
    trace += std::string(trace.size() > 6 ? "," : "") + SyscallSet(family);
  }
  argv.insert(argv.end(), {"-e", trace, "-p", std::to_string(server_)});
  strace_ = Spawn(argv);
  // Faults count only once strace really holds the server.
  if (strace_ > 0 && PollUntil([&] { return TracerOf(server_) == strace_; }, Scaled(Millis(3000)))) return true;
  if (error) *error = Say("strace did not attach to pid {0}", server_);
  Stop(strace_);
  strace_ = -1;
  return false;
}

// Reads every run's log: "[PID ]syscall(...) = -1 EINTR (...) (INJECTED)",
// or "... = 1234 (DELAYED)".
long StraceBackend::Count(Family family, Role role, const std::string& marker) const {
  long total = 0;
  for (int run = 0; run < runs_; ++run) {
    std::ifstream in(workdir_ + "/strace." + std::to_string(run));
    std::string line;
    while (std::getline(in, line)) {
      if (line.find("resumed>") != std::string::npos) continue;
      std::istringstream words(line);
      std::string first;
      words >> first;
      Role who = Role::kParent;
      if (!first.empty() && std::isdigit(static_cast<unsigned char>(first[0]))) {
        if (std::atoi(first.c_str()) != server_) who = Role::kChildren;
        words >> first;
      }
      if (!InSet(family, first.substr(0, first.find('(')))) continue;
      if (role != Role::kAny && role != who) continue;
      if (marker.empty() || line.find(marker) != std::string::npos) ++total;
    }
  }
  return total;
}

}  // namespace

std::unique_ptr<FaultBackend> MakeStraceBackend(const std::string& workdir, std::string* why) {
  if (access(kStrace, X_OK) != 0) {
    *why = Say("{0} is not installed", kStrace);
    return nullptr;
  }
  if (!StraceWorks(why)) return nullptr;
  return std::make_unique<StraceBackend>(workdir);
}

}  // namespace forkcheck
