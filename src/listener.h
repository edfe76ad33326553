// The listening socket: bound here, or inherited through socket activation.
#ifndef FORKCHECK_SRC_LISTENER_H_
#define FORKCHECK_SRC_LISTENER_H_

#include <string>

namespace forkcheck {

struct Listener {
  int fd = -1;
  std::string address;  // "HOST:PORT", "[HOST]:PORT" for IPv6
  std::string error;    // set when fd < 0
};

// Non-blocking, close-on-exec, SO_REUSEADDR, backlog >= 128.
Listener BindListener(const std::string& host, int port);

// systemd protocol: LISTEN_PID == getpid() and LISTEN_FDS == 1 → fd 3. Clears
// the variables so they are not passed on. Returns fd -1 if not activated.
Listener InheritListener();

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_LISTENER_H_
