#include "conformance/harness/event_log.h"

#include <algorithm>

#include "conformance/l10n/tr.h"

namespace forkcheck {

const char* EventKindName(EventKind kind) {
  switch (kind) {
    // TRANSLATORS: labels of the events on a case's timeline (trace view).
    case EventKind::kServerStarted: return Tr("server started");
    case EventKind::kServerEnded: return Tr("server ended");
    case EventKind::kForked: return Tr("forked");
    case EventKind::kExited: return Tr("exited");
    case EventKind::kReaped: return Tr("reaped");
    case EventKind::kConnected: return Tr("connected");
    case EventKind::kHalfClosed: return Tr("half-closed");
    case EventKind::kClosed: return Tr("closed");
    case EventKind::kReset: return Tr("reset");
    case EventKind::kSignalSent: return Tr("signal");
    case EventKind::kFaultArmed: return Tr("fault armed");
    case EventKind::kFaultResult: return Tr("faults injected");
    case EventKind::kOutput: return Tr("output");
    case EventKind::kTeardown: return Tr("teardown");
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
