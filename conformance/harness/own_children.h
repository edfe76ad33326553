#ifndef FORKCHECK_HARNESS_OWN_CHILDREN_H_
#define FORKCHECK_HARNESS_OWN_CHILDREN_H_

#include <sys/types.h>

#include <optional>

#include "conformance/harness/deadline.h"

namespace forkcheck {

// The kit's own process hygiene: it adopts every orphan of the servers it
// starts (PR_SET_CHILD_SUBREAPER), reaps whatever it adopted, and remembers
// the wait status of each of its children so a Sut can still ask for it.
void BecomeSubreaper();

// Reaps every child of this process that has ended; records their statuses.
void ReapOwnChildren();

// The raw wait status of `pid`, if it has been reaped by ReapOwnChildren.
std::optional<int> OwnChildStatus(pid_t pid);

// Waits for `pid` (a child of this process) to end, until the deadline.
std::optional<int> AwaitOwnChild(pid_t pid, Millis budget);

// Makes SIGINT, SIGTERM and SIGHUP end this process only after every
// descendant is killed and reaped (a thread waits for them with sigwait).
// Call before any other thread starts, so all of them inherit the mask.
void KillDescendantsOnTermination();

// SIGKILLs every descendant of this process, round after round (a forking
// server may spawn while it dies), and reaps them, until none is left or
// the budget runs out. Returns how many processes were killed.
int KillAllDescendants(Millis budget);

// Whether a SIGINT/SIGTERM/SIGHUP is being handled (the kit is killing its
// descendants and will exit 128 + the signal): a case process that died of
// it is no result, and the main thread must not exit first.
bool Terminating();
[[noreturn]] void AwaitTermination();

}  // namespace forkcheck

#endif  // FORKCHECK_HARNESS_OWN_CHILDREN_H_
