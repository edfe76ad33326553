// STAT-4: core dumps are reported.
#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <sys/stat.h>

#include <map>

#include "conformance/harness/describe_status.h"
#include "scenarios/fatal_signals.h"
#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"
#include "scenarios/status_lines.h"

namespace forkcheck {
namespace {

constexpr Requirement kStat4 = {
    "STAT-4", Level::kShould, "status", N_("reports core dumps"),
    N_("WCOREDUMP(st) tells whether a child killed by a signal left a core file: append "
       "\" (core dumped)\" to the report when it holds")};

std::string CwdOf(pid_t pid) {
  char target[4096];
  std::string link = "/proc/" + std::to_string(pid) + "/cwd";
  ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
  return n > 0 ? std::string(target, static_cast<size_t>(n)) : "";
}

// Each core file by name, with what tells a rewritten one from the old:
// a dump over an existing "core" keeps the name (a server that chdir("/")s
// may already have one there from an earlier case).
std::map<std::string, std::string> CoreFiles(const std::string& dir) {
  std::map<std::string, std::string> cores;
  DIR* handle = opendir(dir.c_str());
  if (handle == nullptr) return cores;
  while (dirent* entry = readdir(handle)) {
    std::string name = entry->d_name;
    struct stat st;
    if ((name == "core" || name.rfind("core.", 0) == 0) && stat((dir + "/" + name).c_str(), &st) == 0)
      cores[name] = std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" +
                    std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
  }
  closedir(handle);
  return cores;
}

// Signals whose default action dumps core, the child's handlers permitting.
const std::vector<int> kCoreSignals = {SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGSYS, SIGTRAP};

// The kit knows a core was dumped when a new core file appears in the
// child's working directory (core_pattern "core", RLIMIT_CORE unlimited).
Outcome Run(Context& context) {
  std::string why;
  auto session = OpenSession(context.sut, &why);
  if (!session) return Outcome::Fail(why);
  std::vector<int> lethal = SignalsThatKill(session->child, kCoreSignals);
  if (lethal.empty()) return Outcome::Skip(Tr("the children catch, ignore or block every signal that dumps core"));
  std::string cwd = CwdOf(session->child);
  std::map<std::string, std::string> before = CoreFiles(cwd);
  context.sut.KillChild(session->child, lethal.front());
  RequireReaped({session->child}, Scaled(Millis(5000)), "REAP-3",
                Say("a child killed by {0}", SignalName(lethal.front())));
  if (CoreFiles(cwd) == before)
    // TRANSLATORS: {0} is a signal name, {1} a directory.
    return Outcome::Skip(Say("the kernel wrote no core file for the child killed by {0} (in {1}; check "
                             "/proc/sys/kernel/core_pattern and RLIMIT_CORE)",
                             SignalName(lethal.front()), cwd));
  auto reports = CollectReports(context, {session->child}, &why);
  if (!why.empty()) return Outcome::Fail(why);
  const StatusReport& report = reports[session->child].front();
  if (report.exited || !report.core)
    // TRANSLATORS: {1} is a signal name; {2} the report: the line printed and how the kit read it.
    return Outcome::Fail(Say("child {0} was killed by {1} and dumped core; reported {2}", session->child,
                             SignalName(lethal.front()), DescribeReport(report)));
  return Outcome::Pass(Say("a core dump ({0}) was reported as such", SignalName(lethal.front())));
}

}  // namespace

FORKCHECK_SCENARIO(stat_4, kStat4, Run);

}  // namespace forkcheck
