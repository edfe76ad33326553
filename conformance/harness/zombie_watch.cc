#include "conformance/harness/zombie_watch.h"

#include <set>

#include "conformance/harness/procfs.h"

namespace forkcheck {

std::optional<double> ZombieWatch::Record::LifetimeMs() const {
  if (!zombie_since || !gone_at) return std::nullopt;
  return std::chrono::duration<double, std::milli>(*gone_at - *zombie_since).count();
}

ZombieWatch::ZombieWatch(pid_t parent, std::shared_ptr<EventLog> log, Millis interval)
    : parent_(parent), log_(std::move(log)), interval_(interval), thread_([this] { Run(); }) {}

ZombieWatch::~ZombieWatch() { Stop(); }

void ZombieWatch::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void ZombieWatch::Run() {
  while (!stop_) {
    Sample();
    std::this_thread::sleep_for(interval_);
  }
}

void ZombieWatch::Sample() {
  std::vector<ProcStat> children = ChildrenOf(parent_);
  Clock::time_point now = Clock::now();
  auto parent = ReadProcStat(parent_);
  int live = 0;
  std::set<pid_t> seen;
  std::lock_guard<std::mutex> lock(mutex_);
  if ((!parent || parent->zombie()) && !parent_ended_at_) {
    parent_ended_at_ = now;
    if (log_) log_->AddAt(now, EventKind::kServerEnded, parent_, parent ? parent->exit_code : -1);
  }
  for (const ProcStat& child : children) {
    seen.insert(child.pid);
    Note(records_[child.pid], child, now);
    live += !child.zombie();
  }
  for (auto& [pid, record] : records_) {
    if (record.gone_at || seen.count(pid) > 0) continue;
    record.gone_at = now;
    if (log_) log_->AddAt(now, EventKind::kReaped, pid);
  }
  if (live > max_live_) max_live_ = live;
}

// A record is new when first seen; the child forked within the last interval.
void ZombieWatch::Note(Record& record, const ProcStat& child, Clock::time_point now) {
  if (!record.seen_at) {
    record.seen_at = now;
    if (log_) log_->AddAt(now, EventKind::kForked, child.pid, parent_);
  }
  if (child.zombie() && !record.zombie_since) {
    record.zombie_since = now;
    if (log_) log_->AddAt(now, EventKind::kExited, child.pid, child.exit_code);
  }
}

std::optional<Clock::time_point> ZombieWatch::ParentEndedAt() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return parent_ended_at_;
}

std::map<pid_t, ZombieWatch::Record> ZombieWatch::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return records_;
}

std::vector<double> ZombieWatch::ReapedLifetimes() const {
  std::vector<double> lifetimes;
  for (const auto& [pid, record] : Snapshot()) {
    if (auto ms = record.LifetimeMs()) lifetimes.push_back(*ms);
  }
  return lifetimes;
}

int ZombieWatch::ReapedBeforeSeen() const {
  int count = 0;
  for (const auto& [pid, record] : Snapshot()) count += !record.zombie_since && record.gone_at;
  return count;
}

std::map<pid_t, double> ZombieWatch::OpenZombies() const {
  std::map<pid_t, double> open;
  Clock::time_point now = Clock::now();
  for (const auto& [pid, record] : Snapshot()) {
    if (record.zombie_since && !record.gone_at)
      open[pid] = std::chrono::duration<double, std::milli>(now - *record.zombie_since).count();
  }
  return open;
}

}  // namespace forkcheck
