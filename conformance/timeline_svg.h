#ifndef FORKCHECK_CONFORMANCE_TIMELINE_SVG_H_
#define FORKCHECK_CONFORMANCE_TIMELINE_SVG_H_

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <vector>

#include "conformance/child_lives.h"
#include "conformance/harness/event_log.h"

namespace forkcheck {

// The case's process timeline as inline SVG (class "timeline"): a lane for
// the server and each drawn child (running, zombie, exit, reaping), lanes
// for the kit's connections and actions and for the server's output, a
// time axis in ms; details in <title> tooltips. Always an SVG, even with no
// events.
std::string TimelineSvg(std::vector<Event> events, pid_t server_pid, int reap_grace_ms);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_TIMELINE_SVG_H_
