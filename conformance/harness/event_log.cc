#include "conformance/harness/event_log.h"

#include <algorithm>

namespace forkcheck {

const char* EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kServerStarted: return "server started";
    case EventKind::kServerEnded: return "server ended";
    case EventKind::kForked: return "forked";
    case EventKind::kExited: return "exited";
    case EventKind::kReaped: return "reaped";
    case EventKind::kConnected: return "connected";
    case EventKind::kHalfClosed: return "half-closed";
    case EventKind::kClosed: return "closed";
    case EventKind::kReset: return "reset";
    case EventKind::kSignalSent: return "signal";
    case EventKind::kFaultArmed: return "fault armed";
    case EventKind::kFaultResult: return "faults injected";
    case EventKind::kOutput: return "output";
    case EventKind::kTeardown: return "teardown";
  }
  return "?";
}

void EventLog::Add(EventKind kind, pid_t pid, int value, std::string detail) {
  AddAt(Clock::now(), kind, pid, value, std::move(detail));
}

void EventLog::AddAt(Clock::time_point when, EventKind kind, pid_t pid, int value, std::string detail) {
  double at_ms = std::chrono::duration<double, std::milli>(when - origin_).count();
  std::lock_guard<std::mutex> lock(mutex_);
  events_.push_back({at_ms, kind, pid, value, std::move(detail)});
}

// Threads add out of order by a few microseconds; a stable sort keeps the
// order of events logged at the same instant.
std::vector<Event> EventLog::Events() const {
  std::vector<Event> events;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    events = events_;
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.at_ms < b.at_ms; });
  return events;
}

}  // namespace forkcheck
