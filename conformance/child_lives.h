#ifndef FORKCHECK_CONFORMANCE_CHILD_LIVES_H_
#define FORKCHECK_CONFORMANCE_CHILD_LIVES_H_

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <vector>

#include "conformance/harness/event_log.h"

namespace forkcheck {

// One child of the server's tree as the /proc sampler saw it; a time is
// negative when that moment was not seen.
struct ChildLife {
  pid_t pid = 0;
  pid_t parent = 0;
  double forked_ms = -1;
  double exited_ms = -1;  // first seen a zombie
  double reaped_ms = -1;  // gone from /proc
  int status = -1;        // raw wait status, -1 when unknown
  int signals = 0;        // signals the kit sent it before the teardown
  // Still running when the kit's teardown began (or the server ended): how
  // it ended then is not the server's doing.
  bool torn_down = false;
  // Still a zombie at the end, but younger than the reap grace then: not
  // yet due (the sampler stops at the teardown, so its reaping is unseen).
  bool not_due = false;

  bool NeverReaped() const { return exited_ms >= 0 && reaped_ms < 0 && !torn_down && !not_due; }
  bool StillRunning() const { return exited_ms < 0 && reaped_ms < 0 && !torn_down; }
  bool EndedAbnormally() const;
  // The first of its moments the sampler saw.
  double FirstSeenMs() const;
  // How long it was a zombie (to the case's end if never reaped); 0 when
  // that was not seen.
  double ZombieMs(double case_end_ms) const;
};

// Every child named by a forked, exited or reaped event, in order of first
// sight; a pid seen again after it was reaped is a new child. A teardown
// event or the server's end marks the children still alive then torn down,
// and the zombies younger than `reap_grace_ms` then not due.
std::vector<ChildLife> ChildLives(const std::vector<Event>& events, pid_t server_pid, int reap_grace_ms);

// The children worth a lane when there are more than `max`: never-reaped
// zombies (three quarters of the lanes at most, so reaped ones remain to
// compare), then the signalled, still running or abnormally ended ones (not
// counting the teardown), then the longest zombies, then the earliest.
// Returned in fork order; the rest go to `omitted`.
std::vector<ChildLife> PickLanes(std::vector<ChildLife> lives, size_t max, std::vector<ChildLife>* omitted);

// "4960 more children not drawn: all reaped within 3.2 ms".
std::string OmittedNote(const std::vector<ChildLife>& omitted, double case_end_ms);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_CHILD_LIVES_H_
