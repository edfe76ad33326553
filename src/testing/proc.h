// Process inspection through /proc, and teardown of every descendant.
#ifndef FORKCHECK_SRC_TESTING_PROC_H_
#define FORKCHECK_SRC_TESTING_PROC_H_

#include <sys/types.h>

#include <vector>

namespace forkcheck::testing {

struct ProcInfo {
  pid_t pid;
  pid_t ppid;
  char state;  // 'R', 'S', 'Z', 'T'...
};

// False if the process is gone (fully reaped).
bool ReadProc(pid_t pid, ProcInfo* info);
std::vector<ProcInfo> ChildrenOf(pid_t parent);
int CountZombieChildren(pid_t parent);
int CountLiveChildren(pid_t parent);
// Alive and not a zombie.
bool IsRunning(pid_t pid);

// The test process is a child subreaper: SIGKILLs and reaps every descendant,
// including grandchildren orphaned by a killed server.
void KillAndReapDescendants();
void BecomeSubreaper();

}  // namespace forkcheck::testing

#endif  // FORKCHECK_SRC_TESTING_PROC_H_
