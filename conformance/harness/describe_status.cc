#include "conformance/harness/describe_status.h"

#include <string.h>
#include <sys/wait.h>

#include "conformance/l10n/tr.h"

namespace forkcheck {

std::string DescribeWaitStatus(int status) {
  // TRANSLATORS: put into a sentence about a process ("the server {0}",
  // "the child {0}"); {0} is the exit status (WEXITSTATUS).
  if (WIFEXITED(status)) return Say("exited with status {0}", WEXITSTATUS(status));
  // TRANSLATORS: as above; {0} is the signal number (WTERMSIG).
  if (WIFSIGNALED(status) && WCOREDUMP(status)) return Say("was killed by signal {0} (core dumped)", WTERMSIG(status));
  if (WIFSIGNALED(status)) return Say("was killed by signal {0}", WTERMSIG(status));
  return Say("ended with raw wait status {0}", status);
}

std::string SignalName(int signo) {
  const char* abbrev = sigabbrev_np(signo);
  return abbrev ? std::string("SIG") + abbrev : Say("signal {0}", signo);
}

}  // namespace forkcheck
