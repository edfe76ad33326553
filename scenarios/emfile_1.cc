// EMFILE-1: accept() failing with EMFILE is met with back-off, then recovery.
#include <dirent.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <set>
#include <thread>

#include "conformance/harness/procfs.h"
#include "conformance/inject/fault_plan.h"
#include "conformance/l10n/tr.h"
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

struct StormVerdict {
  bool provoked = false;
  std::string failure;  // "" when the server backed off and recovered
  std::string summary;
};

// With accept() failing (however `how` made it fail), queues 3 clients and
// measures the server's CPU over kStormWindow; `end` lifts the fault, after which
// every client still waiting must be served.
StormVerdict Storm(Context& context, const std::string& how, const std::function<void()>& end) {
  pid_t server = context.sut.pid();
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
  auto before = ReadProcStat(server);
  auto sched_before = ReadSchedTimes(server);
  Clock::time_point start = Clock::now();
  // The measurement window: CPU time spent while accept() keeps failing.
  std::this_thread::sleep_for(kStormWindow);
  auto after = ReadProcStat(server);
  auto sched_after = ReadSchedTimes(server);
  double wall = MillisSince(start);
  // A blocking accept() already in progress holds a descriptor reserved
  // before the fault began: that one client may be served anyway.
  std::vector<Pending*> waiting;
  for (Pending& pending : queued)
    if (!Answered(context.sut, pending, Millis(0))) waiting.push_back(&pending);
  end();
  StormVerdict verdict;
  verdict.provoked = !waiting.empty();
  if (!before || !after || !ServerRunning(context.sut)) {
    verdict.provoked = true;
    verdict.failure = Say("the server exited during the EMFILE storm ({0})", how);
    return verdict;
  }
  double cpu = CpuMillis(*after) - CpuMillis(*before);
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
  if (sched_before && sched_after) {
    double runnable = sched_after->running_ms + sched_after->waiting_ms - sched_before->running_ms -
                      sched_before->waiting_ms;
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

// The kernel's own EMFILE: the server's RLIMIT_NOFILE lowered with prlimit.
StormVerdict KernelStorm(Context& context, std::string* unavailable) {
  pid_t server = context.sut.pid();
  if (!context.declared.Allows("kernel")) {
    *unavailable = Tr("kernel backend (RLIMIT_NOFILE) not selected (--backends)");
    return {};
  }
  rlimit original{};
  if (prlimit(server, RLIMIT_NOFILE, nullptr, &original) != 0) {
    *unavailable = Say("cannot read the server's RLIMIT_NOFILE: {0}", std::strerror(errno));
    return {};
  }
  rlimit lowered = original;
  lowered.rlim_cur = static_cast<rlim_t>(LowestFreeFd(server));
  if (prlimit(server, RLIMIT_NOFILE, &lowered, nullptr) != 0) {
    *unavailable = Say("cannot lower the server's RLIMIT_NOFILE: {0}", std::strerror(errno));
    return {};
  }
  std::string how = Say("RLIMIT_NOFILE lowered to {0} with prlimit", lowered.rlim_cur);
  StormVerdict verdict = Storm(context, how, [&] { prlimit(server, RLIMIT_NOFILE, &original, nullptr); });
  if (!verdict.provoked && verdict.failure.empty()) *unavailable = Say("{0} did not make accept() fail", how);
  return verdict;
}

// The preload's EMFILE: every accept() of the parent fails until disarmed.
StormVerdict InjectedStorm(Context& context, std::string* unavailable) {
  if (context.faults == nullptr) {
    *unavailable = context.faults_unavailable;
    return {};
  }
  FaultPlan& faults = *context.faults;
  faults.Arm(Family::kAccept, {EMFILE, 0, -1, 1, 0, Role::kParent});
  // TRANSLATORS: {0} is the fault backend (preload, ...); "accept EMFILE" and "[parent]" are the rule as
  // the fault descriptions write it.
  StormVerdict verdict = Storm(context, Say("{0}: accept EMFILE until disarmed [parent]", faults.backend()),
                               [&] { faults.Disarm(Family::kAccept); });
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
