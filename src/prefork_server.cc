#include "src/prefork_server.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "src/clock.h"
#include "src/exit_codes.h"
#include "src/reload_request.h"
#include "src/spawner.h"
#include "src/status_report.h"
#include "src/stop_request.h"

namespace forkcheck {

PreforkServer::PreforkServer(ServerSetup setup)
    : setup_(std::move(setup)),
      supervisor_(&setup_, {SIGHUP}),
      spawn_(supervisor_.MakeSpawnContext()),
      reloads_seen_(ReloadRequests()) {}

int PreforkServer::Run() {
  // Room for N accepting workers, one more during a SIGHUP swap, and the N
  // replaced ones still finishing their sessions.
  if (scoreboard_.Create(2 * setup_.options.workers + 2)) {
    Supervise();
  } else {
    LogError(std::string("mmap: ") + strerror(errno));
    fatal_ = true;
  }
  // Workers keep the listener open until they leave: connections arriving
  // meanwhile wait in the backlog (a socket-activated one survives us).
  close(setup_.listen_fd);
  supervisor_.StopChildren();
  return fatal_ ? kExitInternal : kExitOk;
}

void PreforkServer::Supervise() {
  while (StopRequests() == 0 && !fatal_) {
    AccountReaped(MonotonicMs());
    NoticeReload();
    RetireReplacedWorker();
    const int64_t now = MonotonicMs();
    SpawnMissing(now);
    bool unused;
    if (supervisor_.Wait(-1, WaitTimeout(now), &unused) < 0 && errno != EINTR) {
      LogError(std::string("ppoll: ") + strerror(errno));
      fatal_ = true;
    }
  }
}

void PreforkServer::AccountReaped(int64_t now_ms) {
  for (const Reaped& r : supervisor_.CollectReaped()) {
    auto it = workers_.find(r.pid);
    if (it == workers_.end()) continue;
    const Worker worker = it->second;
    workers_.erase(it);
    OnWorkerDeath(r.pid, worker, now_ms);
    scoreboard_.Release(worker.slot);
  }
}

void PreforkServer::OnWorkerDeath(pid_t pid, const Worker& worker, int64_t now_ms) {
  // A worker we asked to leave says nothing about crash loops.
  if (worker.retiring) return;
  const uint32_t sessions = scoreboard_.slot(worker.slot)->sessions.load();
  const int delay = crash_guard_.OnDeath(now_ms, worker.started_ms, sessions, NewWorkerHealthy(now_ms));
  if (delay == 0) return;
  LogError("worker " + std::to_string(pid) + " died " + std::to_string(now_ms - worker.started_ms) +
           " ms after start; respawning in " + std::to_string(delay) + " ms");
}

// Whether a worker started since the last early death has proven healthy.
bool PreforkServer::NewWorkerHealthy(int64_t now_ms) const {
  for (const auto& [pid, w] : workers_) {
    const uint32_t sessions = scoreboard_.slot(w.slot)->sessions.load();
    if (w.started_ms > crash_guard_.last_early_ms() && CrashGuard::Healthy(now_ms, w.started_ms, sessions)) {
      return true;
    }
  }
  return false;
}

void PreforkServer::NoticeReload() {
  const unsigned reloads = ReloadRequests();
  if (reloads == reloads_seen_) return;
  reloads_seen_ = reloads;
  ++generation_;
}

// One step of a SIGHUP swap: once the extra new worker waits for connections,
// one old worker is asked to stop accepting (SIGTERM: it finishes its session
// first). There are always at least --workers workers accepting.
void PreforkServer::RetireReplacedWorker() {
  if (Stale() == 0 || Accepting() <= setup_.options.workers || !CurrentAllReady()) return;
  auto oldest = workers_.end();
  for (auto it = workers_.begin(); it != workers_.end(); ++it) {
    const Worker& w = it->second;
    if (w.retiring || w.generation == generation_) continue;
    if (oldest == workers_.end() || w.started_ms < oldest->second.started_ms) oldest = it;
  }
  oldest->second.retiring = true;
  kill(oldest->first, SIGTERM);
}

void PreforkServer::SpawnMissing(int64_t now_ms) {
  // During a SIGHUP swap one extra worker starts before an old one leaves.
  const int wanted = setup_.options.workers + (Stale() > 0 ? 1 : 0);
  while (Accepting() < wanted && !crash_guard_.Active(now_ms) && !fork_backoff_.Active(now_ms)) {
    if (!SpawnOne(now_ms)) return;
  }
}

bool PreforkServer::SpawnOne(int64_t now_ms) {
  const int slot = scoreboard_.Claim();
  // No slot: replaced workers still finish sessions; the next reap frees one.
  if (slot < 0) return false;
  WorkerConfig config;
  config.parent = getpid();
  config.max_sessions = setup_.options.max_sessions_per_worker;
  config.crash_at_start = spawned_ < setup_.options.test_crash_workers;
  config.slot = scoreboard_.slot(slot);
  const pid_t pid = SpawnWorker(spawn_, config);
  if (pid < 0) {
    LogError(std::string("fork: ") + strerror(errno));
    scoreboard_.Release(slot);
    fork_backoff_.Fail(now_ms);
    return false;
  }
  fork_backoff_.Reset();
  ++spawned_;
  workers_[pid] = Worker{now_ms, slot, generation_, false};
  supervisor_.Adopt(pid);
  return true;
}

int PreforkServer::Accepting() const {
  return static_cast<int>(std::count_if(workers_.begin(), workers_.end(),
                                        [](const auto& w) { return !w.second.retiring; }));
}

int PreforkServer::Stale() const {
  return static_cast<int>(std::count_if(workers_.begin(), workers_.end(), [this](const auto& w) {
    return !w.second.retiring && w.second.generation != generation_;
  }));
}

bool PreforkServer::CurrentAllReady() const {
  return std::all_of(workers_.begin(), workers_.end(), [this](const auto& w) {
    return w.second.retiring || w.second.generation != generation_ ||
           scoreboard_.slot(w.second.slot)->ready.load() != 0;
  });
}

int PreforkServer::WaitTimeout(int64_t now_ms) const {
  const int ms = std::max(crash_guard_.Remaining(now_ms), fork_backoff_.Remaining(now_ms));
  return ms > 0 ? ms : -1;
}

}  // namespace forkcheck
