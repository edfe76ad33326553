#ifndef FORKCHECK_HARNESS_EVENT_LOG_H_
#define FORKCHECK_HARNESS_EVENT_LOG_H_

#include <sys/types.h>

#include <mutex>
#include <string>
#include <vector>

#include "conformance/harness/deadline.h"

namespace forkcheck {

// What happened during one case, as the harness saw it: the server's
// processes (from the /proc sampler), the kit's own actions and the lines
// the server wrote. The reports draw their timelines from it; nothing there
// is recomputed.
enum class EventKind {
  kServerStarted,  // pid: the server's main process
  kServerEnded,    // pid: main process; value: raw wait status, or -1 (first seen gone)
  kForked,         // pid: a child first seen; value: its parent
  kExited,         // pid: a child first seen a zombie; value: raw wait status, or -1
  kReaped,         // pid: a child gone from /proc
  kConnected,      // value: the client's local port
  kHalfClosed,     // value: local port
  kClosed,         // value: local port
  kReset,          // value: local port (closed with RST)
  kSignalSent,     // pid: target; value: signo; detail: what it was for
  kFaultArmed,     // detail: "accept EINTR x3 [parent]"
  kFaultResult,    // detail: what the rule injected and spared
  kOutput,         // detail: the line; value: 1 stdout, 2 stderr
  kTeardown,       // detail: how the kit ended the tree
};

const char* EventKindName(EventKind kind);  // "forked", "exited", ...

struct Event {
  double at_ms = 0;  // since the case's server was started
  EventKind kind = EventKind::kServerStarted;
  pid_t pid = 0;
  int value = 0;
  std::string detail;
};

class EventLog {
 public:
  explicit EventLog(Clock::time_point origin = Clock::now()) : origin_(origin) {}

  void Add(EventKind kind, pid_t pid = 0, int value = 0, std::string detail = "");
  void AddAt(Clock::time_point when, EventKind kind, pid_t pid = 0, int value = 0, std::string detail = "");
  std::vector<Event> Events() const;  // in time order
  Clock::time_point origin() const { return origin_; }

 private:
  Clock::time_point origin_;
  mutable std::mutex mutex_;
  std::vector<Event> events_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_HARNESS_EVENT_LOG_H_
