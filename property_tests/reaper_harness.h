// Runs one ReaperCase against the real src reaper (src/reaper.h: MakeReaper,
// Reaper::fd/UnblockForWait/Collect, driven like the server's loop) inside a
// forked helper process, so the reaper's process-wide signal dispositions and
// masks never touch the test process, and checks the reaper property.
//
// Linked against //src:reaper_for_property_tests (reaper_harness) or the
// planted-bug build //src:reaper_reap_once (reaper_harness_reap_once).
#ifndef FORKCHECK_PROPERTY_TESTS_REAPER_HARNESS_H_
#define FORKCHECK_PROPERTY_TESTS_REAPER_HARNESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "property_tests/reaper_case.h"
#include "src/reaper.h"

namespace forkcheck {

struct ReaperLimits {
  // How long a child may sit as a zombie (seen in /proc) before the reaper
  // must have collected it. A correct reaper collects it at the next wake-up.
  int zombie_grace_ms = 1000;
  // Whole case, in the helper; the test process allows a few seconds more,
  // then SIGKILLs the helper's process group.
  int overall_ms = 10000;
};

// FORKCHECK_TIMEOUT_SCALE (default 1) applied to the generous defaults.
ReaperLimits ScaledReaperLimits();

struct ReaperRun {
  std::vector<pid_t> pids;          // pids[i] was told children[i]
  std::vector<Reaped> reaped;       // everything Collect returned, in order
  std::vector<std::string> issues;  // helper-side findings and errors, one per line
  bool helper_ok = false;           // the helper finished and exited 0 in time
  std::string helper_status;
};

ReaperRun RunReaperCase(ReaperKind kind, const ReaperCase& c, const ReaperLimits& limits);

// The property (RC_ASSERT / RC_FAIL): the reaper collected exactly the
// multiset of (pid, decoded status) the children were told to produce,
// nothing twice, and no child of the reaping process is left (no zombie).
void CheckReaper(ReaperKind kind, const ReaperCase& c, const ReaperLimits& limits);

}  // namespace forkcheck

#endif  // FORKCHECK_PROPERTY_TESTS_REAPER_HARNESS_H_
