// EMFILE-1: accept() failing with EMFILE is met with back-off, then recovery.
#include <dirent.h>
#include <sys/resource.h>

#include <cstdlib>
#include <cstring>
#include <set>
#include <thread>

#include "conformance/harness/procfs.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kEmfile1 = {
    "EMFILE-1", Level::kMust, "core", "backs off when accept() fails with EMFILE, then recovers",
    "when accept() fails with EMFILE/ENFILE the pending connection stays queued and poll() "
    "keeps reporting it: sleep briefly (or stop polling the listener) before retrying, "
    "instead of spinning"};

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

Outcome Run(Context& context) {
  pid_t server = context.sut.pid();
  std::string why;
  if (!EchoesOnce(context.sut, "warm-up\n", Scaled(Millis(2000)), &why)) return Outcome::Fail(why);
  rlimit original{};
  if (prlimit(server, RLIMIT_NOFILE, nullptr, &original) != 0)
    return Outcome::Skip(std::string("cannot read the server's RLIMIT_NOFILE: ") + std::strerror(errno));
  rlimit lowered = original;
  lowered.rlim_cur = static_cast<rlim_t>(LowestFreeFd(server));
  if (prlimit(server, RLIMIT_NOFILE, &lowered, nullptr) != 0)
    return Outcome::Skip(std::string("cannot lower the server's RLIMIT_NOFILE: ") + std::strerror(errno));
  std::vector<TcpClient> queued;
  for (int i = 0; i < 3; ++i) {
    auto client = context.sut.Connect();
    if (!client) break;
    client->SendAll("q", Scaled(Millis(200)));
    queued.push_back(std::move(*client));
  }
  auto before = ReadProcStat(server);
  Clock::time_point start = Clock::now();
  // The measurement window: CPU time spent while accept() keeps failing.
  std::this_thread::sleep_for(Millis(2000));
  auto after = ReadProcStat(server);
  double wall = MillisSince(start);
  // A blocking accept() already in progress holds a descriptor reserved
  // before the limit was lowered: that one client may be served anyway.
  std::vector<TcpClient*> waiting;
  for (TcpClient& client : queued)
    if (client.ReadUpTo(1, Millis(0)) != "q") waiting.push_back(&client);
  prlimit(server, RLIMIT_NOFILE, &original, nullptr);
  if (!before || !after) return Outcome::Fail("the server exited during the EMFILE storm");
  if (waiting.empty())
    return Outcome::Skip("RLIMIT_NOFILE " + std::to_string(lowered.rlim_cur) + " did not make accept() fail");
  double cpu = CpuMillis(*after) - CpuMillis(*before);
  double share = 100.0 * cpu / wall;
  std::string storm = "during " + std::to_string(static_cast<int>(wall)) +
                      " ms of accept() failing with EMFILE (RLIMIT_NOFILE lowered to " +
                      std::to_string(lowered.rlim_cur) + " with prlimit), the server used " +
                      std::to_string(static_cast<int>(cpu)) + " ms of CPU (" +
                      std::to_string(static_cast<int>(share)) + " % of one core)";
  if (share >= 20.0) return Outcome::Fail(storm + "; the limit is 20 %: it spins");
  for (size_t i = 0; i < waiting.size(); ++i) {
    if (waiting[i]->ReadUpTo(1, Scaled(Millis(3000))) != "q")
      return Outcome::Fail(storm + "; after the limit was restored, queued client " + std::to_string(i + 1) + " of " +
                           std::to_string(waiting.size()) + " was not served");
  }
  return Outcome::Pass(storm + "; the " + std::to_string(waiting.size()) +
                       " clients queued meanwhile were served once the limit was restored");
}

}  // namespace

FORKCHECK_SCENARIO(emfile_1, kEmfile1, Run);

}  // namespace forkcheck
