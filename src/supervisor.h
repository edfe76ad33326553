// The parent's part common to both modes: sleeping until something happens,
// reaping and reporting children, and the graceful stop.
#ifndef FORKCHECK_SRC_SUPERVISOR_H_
#define FORKCHECK_SRC_SUPERVISOR_H_

#include <poll.h>
#include <signal.h>
#include <sys/types.h>

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "src/child_set.h"
#include "src/reaper.h"
#include "src/server_setup.h"
#include "src/spawn_context.h"

namespace forkcheck {

class Supervisor {
 public:
  // `wait_signals`: blocked in the loop like SIGTERM/SIGINT, and like them
  // delivered only while waiting (SIGHUP in prefork mode).
  Supervisor(const ServerSetup* setup, std::initializer_list<int> wait_signals);

  // What every child must close or keep (see SpawnContext).
  SpawnContext MakeSpawnContext() const;
  // Sleeps until a signal, a byte on the self-pipe, the reaper's descriptor,
  // `listen_fd` if >= 0, or `timeout_ms` (-1: none). Returns ppoll's result;
  // *listener_ready says whether `listen_fd` can be accepted from.
  int Wait(int listen_fd, int timeout_ms, bool* listener_ready);
  // Reaps, reports (stderr and event log) and forgets; returns the reaped.
  const ReapedList& CollectReaped();
  void Adopt(pid_t pid);
  size_t live() const { return children_.size(); }
  // SIGTERM to every child, up to --shutdown-grace ms for them to end (a
  // second stop request cuts it short), then SIGKILL; every child reaped.
  void StopChildren();

 private:
  void WaitForChildren(int64_t deadline_ms, int stop_requests_limit);
  void ForgetVanishedChildren();
  void SignalChildren(int sig);

  const ServerSetup* setup_;
  sigset_t wait_mask_;
  ChildSet children_;
  ReapedList reaped_;
  pollfd fds_[3] = {};
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_SUPERVISOR_H_
