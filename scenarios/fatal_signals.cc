#include "scenarios/fatal_signals.h"

#include <signal.h>
#include <string.h>

#include "conformance/harness/describe_status.h"
#include "conformance/harness/procfs.h"
#include "conformance/l10n/tr.h"
#include "scenarios/sessions.h"

namespace forkcheck {

std::vector<int> SignalsThatKill(pid_t pid, const std::vector<int>& candidates) {
  std::vector<int> lethal;
  for (int signo : candidates)
    if (SignalWouldKill(pid, signo)) lethal.push_back(signo);
  return lethal;
}

int KillChild(Sut& sut, pid_t child, int signo, std::string* note) {
  sut.KillChild(child, signo);
  if (AwaitEnded({child}, Scaled(Millis(1000))).empty()) return signo;
  *note += Say("child {0} survived {1} (it caught it after all), so the kit sent SIGKILL", child, SignalName(signo)) +
           "; ";
  sut.KillChild(child, SIGKILL);
  AwaitEnded({child}, Scaled(Millis(1000)));
  return SIGKILL;
}

}  // namespace forkcheck
