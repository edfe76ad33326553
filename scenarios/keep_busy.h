#ifndef FORKCHECK_SCENARIOS_KEEP_BUSY_H_
#define FORKCHECK_SCENARIOS_KEEP_BUSY_H_

#include <atomic>
#include <thread>

#include "conformance/harness/protocol.h"
#include "conformance/harness/tcp_client.h"

namespace forkcheck {

// Keeps a session busy from a thread of its own (a byte echoed every
// 50 ms), so its child stays alive through any idle timeout while a check
// needs a live child: a blocking wait() then blocks for real. Only an echo
// session can be kept busy; any other stays merely held.
class KeepBusy {
 public:
  KeepBusy(const Protocol& protocol, TcpClient& client);
  ~KeepBusy();
  KeepBusy(const KeepBusy&) = delete;
  KeepBusy& operator=(const KeepBusy&) = delete;

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_SCENARIOS_KEEP_BUSY_H_
