// EMFILE-1: accept() failing with EMFILE is met with back-off, then recovery.
#include <dirent.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "conformance/harness/procfs.h"
#include "conformance/inject/fault_plan.h"
#include "conformance/l10n/tr.h"
#include "scenarios/model.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kEmfile1 = {
    "EMFILE-1", Level::kShould, "core", N_("backs off when accept() fails with EMFILE, then recovers"),
    N_("when accept() fails with EMFILE/ENFILE the pending connection stays queued and poll() "
       "keeps reporting it: sleep briefly (or stop polling the listener) before retrying, "
       "instead of spinning"),
    0, Company::kNone};

// The lowest descriptor number the process does not use: with RLIMIT_NOFILE
// set to it, its next accept() fails with EMFILE for real.
int LowestFreeFd(pid_t pid) {
  std::set<int> used;
  std::string path = "/proc/" + std::to_string(pid) + "/fd";
  if (DIR* dir = opendir(path.c_str())) {
    while (dirent* entry = readdir(dir))
      if (entry->d_name[0] != '.') used.insert(std::atoi(entry->d_name));
    closedir(dir);
  }
  int fd = 0;
  while (used.count(fd)) ++fd;
  return fd;
}

// Long enough for a CPU share at the clock tick's resolution (10 ms): a
// spinning server shows 50 ticks, the 20 % limit is 10.
constexpr Millis kStormWindow(500);

// Whose accept() fails in a storm: the parent of a forking server, the
// workers of a prefork pool.
std::vector<pid_t> Acceptors(const Context& context) {
  if (AcceptorRole(context.declared) == Role::kParent) return {context.sut.pid()};
  std::vector<pid_t> workers;
  for (const ProcStat& worker : context.sut.LiveChildren()) workers.push_back(worker.pid);
  return workers;
}

// CPU and runnable time (running or waiting for a CPU) of each acceptor.
struct Usage {
  double cpu_ms = 0;
  std::optional<double> runnable_ms;
};

std::map<pid_t, Usage> UsageOf(const std::vector<pid_t>& pids) {
  std::map<pid_t, Usage> usage;
  for (pid_t pid : pids) {
    auto stat = ReadProcStat(pid);
    if (!stat || stat->zombie()) continue;
    Usage& one = usage[pid];
    one.cpu_ms = CpuMillis(*stat);
    if (auto sched = ReadSchedTimes(pid)) one.runnable_ms = sched->running_ms + sched->waiting_ms;
  }
  return usage;
}

// What the acceptors still there at the end used in between, summed: a
// worker that ended meanwhile is left out.
Usage UsedBetween(const std::map<pid_t, Usage>& before, const std::map<pid_t, Usage>& after) {
  Usage used;
  used.runnable_ms = 0.0;
  for (const auto& [pid, end] : after) {
    auto start = before.find(pid);
    if (start == before.end()) continue;
    used.cpu_ms += end.cpu_ms - start->second.cpu_ms;
    if (end.runnable_ms && start->second.runnable_ms && used.runnable_ms)
      *used.runnable_ms += *end.runnable_ms - *start->second.runnable_ms;
    else
      used.runnable_ms.reset();
  }
  return used;
}

struct StormVerdict {
  bool provoked = false;
  std::string failure;  // "" when the server backed off and recovered
  std::string summary;
};

// With accept() failing (however `how` made it fail), queues 3 clients and
// measures the server's CPU over kStormWindow; `end` lifts the fault, after which
// every client still waiting must be served.
StormVerdict Storm(Context& context, const std::string& how, const std::function<void()>& end) {
  const std::vector<pid_t> acceptors = Acceptors(context);
  std::vector<Pending> queued;
  for (int i = 0; i < 3; ++i) {
    auto pending = StartExchange(context.sut, Scaled(Millis(500)));
    if (!pending) {
      end();
      StormVerdict verdict;
      verdict.provoked = true;
      verdict.failure =
          ServerRunning(context.sut)
              ? Say("with accept() failing with EMFILE ({0}), the server stopped listening: client {1} could not "
                    "connect",
                    how, i + 1)
              : Say("with accept() failing with EMFILE ({0}), the server exited", how);
      return verdict;
    }
    queued.push_back(std::move(*pending));
  }
  std::map<pid_t, Usage> before = UsageOf(acceptors);
  Clock::time_point start = Clock::now();
  // The measurement window: CPU time spent while accept() keeps failing.
  std::this_thread::sleep_for(kStormWindow);
  std::map<pid_t, Usage> after = UsageOf(acceptors);
  double wall = MillisSince(start);
  // A blocking accept() already in progress holds a descriptor reserved
  // before the fault began: that one client may be served anyway.
  std::vector<Pending*> waiting;
  for (Pending& pending : queued)
    if (!Answered(context.sut, pending, Millis(0))) waiting.push_back(&pending);
  end();
  StormVerdict verdict;
  verdict.provoked = !waiting.empty();
  if (after.empty() || !ServerRunning(context.sut)) {
    verdict.provoked = true;
    verdict.failure = Say("the server exited during the EMFILE storm ({0})", how);
    return verdict;
  }
  const Usage used = UsedBetween(before, after);
  double cpu = used.cpu_ms;
  double share = 100.0 * cpu / wall;
  verdict.summary = Say("during {0} ms of accept() failing with EMFILE ({1}), the server used {2} ms of CPU ({3} % of "
                        "one core)",
                        static_cast<int>(wall), how, static_cast<int>(cpu), static_cast<int>(share));
  if (!verdict.provoked) return verdict;
  if (share >= 20.0) {
    verdict.failure = Say("{0}; the limit is 20 %: it spins", verdict.summary);
    return verdict;
  }
  // Starved of CPU by other work, a spinning server still never sleeps: it
  // is running or waiting to run nearly all the time.
  if (used.runnable_ms) {
    double runnable = *used.runnable_ms;
    if (runnable >= 0.8 * wall) {
      verdict.failure = Say("{0}, yet it was running or waiting for a CPU {1} % of the time: it spins, on a machine "
                            "too busy to give it a whole core (the limit is 80 %)",
                            verdict.summary, static_cast<int>(100.0 * runnable / wall));
      return verdict;
    }
  }
  // Each served client is closed at once: being served one after another
  // is enough here (concurrency is CONC-1's concern).
  for (size_t i = 0; i < waiting.size(); ++i) {
    if (!Answered(context.sut, *waiting[i], Scaled(Millis(3000)))) {
      verdict.failure = Say("{0}; once accept() worked again, queued client {1} of {2} was not served",
                            verdict.summary, i + 1, waiting.size());
      return verdict;
    }
    waiting[i]->client.Close();
  }
  verdict.summary = Say("{0}; the {1} clients queued meanwhile were then served", verdict.summary, waiting.size());
  return verdict;
}

// The kernel's own EMFILE: each acceptor's RLIMIT_NOFILE lowered with
// prlimit to its lowest free descriptor.
StormVerdict KernelStorm(Context& context, std::string* unavailable) {
  if (!context.declared.Allows("kernel")) {
    *unavailable = Tr("kernel backend (RLIMIT_NOFILE) not selected (--backends)");
    return {};
  }
  struct Lowered {
    pid_t pid;
    rlimit original;
  };
  std::vector<Lowered> lowered;
  auto restore = [&] {
    for (const Lowered& one : lowered) prlimit(one.pid, RLIMIT_NOFILE, &one.original, nullptr);
  };
  rlim_t limit = 0;
  for (pid_t pid : Acceptors(context)) {
    rlimit original{};
    if (prlimit(pid, RLIMIT_NOFILE, nullptr, &original) != 0) {
      *unavailable = Say("cannot read the server's RLIMIT_NOFILE: {0}", std::strerror(errno));
      restore();
      return {};
    }
    rlimit low = original;
    low.rlim_cur = limit = static_cast<rlim_t>(LowestFreeFd(pid));
    if (prlimit(pid, RLIMIT_NOFILE, &low, nullptr) != 0) {
      *unavailable = Say("cannot lower the server's RLIMIT_NOFILE: {0}", std::strerror(errno));
      restore();
      return {};
    }
    lowered.push_back({pid, original});
  }
  if (lowered.empty()) {
    *unavailable = Tr("no worker of the pool was running");
    return {};
  }
  std::string how = lowered.size() == 1
                        ? Say("RLIMIT_NOFILE lowered to {0} with prlimit", limit)
                        : Say("RLIMIT_NOFILE of each of the {0} workers lowered to its lowest free descriptor with "
                              "prlimit",
                              lowered.size());
  StormVerdict verdict = Storm(context, how, restore);
  if (!verdict.provoked && verdict.failure.empty()) *unavailable = Say("{0} did not make accept() fail", how);
  return verdict;
}

// The preload's EMFILE: every accept() of the acceptors fails until disarmed.
StormVerdict InjectedStorm(Context& context, std::string* unavailable) {
  if (context.faults == nullptr) {
    *unavailable = context.faults_unavailable;
    return {};
  }
  FaultPlan& faults = *context.faults;
  const Role acceptors = AcceptorRole(context.declared);
  faults.Arm(Family::kAccept, {EMFILE, 0, -1, 1, 0, acceptors});
  // TRANSLATORS: {0} is the fault backend (preload, ...); {1} whose calls fail ("parent" or "children", as
  // the fault descriptions write it); "accept EMFILE" is the rule as they write it.
  std::string how = Say("{0}: accept EMFILE until disarmed [{1}]", faults.backend(), RoleName(acceptors));
  StormVerdict verdict = Storm(context, how, [&] { faults.Disarm(Family::kAccept); });
  if (!verdict.provoked && verdict.failure.empty()) *unavailable = Tr("the injected EMFILE never reached accept()");
  return verdict;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : "\n") + part;
  return text;
}

// Both storms run when both can (the kernel's and the injected EMFILE), so
// the evidence shows what each backend saw.
Outcome Run(Context& context) {
  std::string why;
  if (!ServedOnce(context.sut, Scaled(Millis(2000)), &why)) return Outcome::Fail(why);
  std::vector<std::string> passed, failed, skipped;
  for (auto storm : {KernelStorm, InjectedStorm}) {
    if (!context.sut.Alive()) break;
    std::string unavailable;
    StormVerdict verdict = storm(context, &unavailable);
    if (!verdict.failure.empty()) failed.push_back(verdict.failure);
    else if (verdict.provoked) passed.push_back(verdict.summary);
    else skipped.push_back(unavailable);
  }
  if (!failed.empty()) return Outcome::Fail(Join(failed));
  if (passed.empty()) return Outcome::Skip(Join(skipped));
  return Outcome::Pass(Join(passed));
}

}  // namespace

FORKCHECK_FAULT_SCENARIO(emfile_1, kEmfile1, Run);

}  // namespace forkcheck
