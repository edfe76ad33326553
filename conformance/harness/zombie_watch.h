#ifndef FORKCHECK_HARNESS_ZOMBIE_WATCH_H_
#define FORKCHECK_HARNESS_ZOMBIE_WATCH_H_

#include <sys/types.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "conformance/harness/deadline.h"
#include "conformance/harness/event_log.h"
#include "conformance/harness/procfs.h"

namespace forkcheck {

// Samples the children of one process through /proc every few milliseconds
// and records, per child, when it was first seen a zombie and when it was
// gone (reaped): the evidence behind every REAP verdict.
class ZombieWatch {
 public:
  struct Record {
    std::optional<Clock::time_point> seen_at;
    std::optional<Clock::time_point> zombie_since;
    std::optional<Clock::time_point> gone_at;
    std::optional<double> LifetimeMs() const;
  };

  // Each child's fork, exit and reaping, and the parent's end, also go
  // into `log` when there is one.
  explicit ZombieWatch(pid_t parent, std::shared_ptr<EventLog> log = nullptr, Millis interval = Millis(2));
  ~ZombieWatch();
  ZombieWatch(const ZombieWatch&) = delete;
  ZombieWatch& operator=(const ZombieWatch&) = delete;

  void Stop();
  std::map<pid_t, Record> Snapshot() const;
  // How long each reaped zombie lived (ms).
  std::vector<double> ReapedLifetimes() const;
  // Children gone before any sample saw them a zombie: reaped within one
  // sampling interval, too fast to time.
  int ReapedBeforeSeen() const;
  Millis interval() const { return interval_; }
  // Zombies still unreaped now, with their age (ms).
  std::map<pid_t, double> OpenZombies() const;
  // When the watched process itself was first seen ended (zombie or gone).
  std::optional<Clock::time_point> ParentEndedAt() const;
  int MaxLiveChildren() const { return max_live_.load(); }
  void ResetMaxLiveChildren() { max_live_ = 0; }

 private:
  void Run();
  void Sample();
  void Note(Record& record, const ProcStat& child, Clock::time_point now);

  pid_t parent_;
  std::shared_ptr<EventLog> log_;
  Millis interval_;
  std::atomic<bool> stop_{false};
  std::atomic<int> max_live_{0};
  mutable std::mutex mutex_;
  std::map<pid_t, Record> records_;
  std::optional<Clock::time_point> parent_ended_at_;
  std::thread thread_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_HARNESS_ZOMBIE_WATCH_H_
