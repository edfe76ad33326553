#include "scenarios/keep_busy.h"

namespace forkcheck {

KeepBusy::KeepBusy(TcpClient& client)
    : thread_([this, &client] {
        while (!stop_) {
          client.SendAll("k", Millis(100));
          client.ReadUpTo(1, Millis(100));
          // The beat of the keep-alive, not a wait for a condition.
          std::this_thread::sleep_for(Millis(50));
        }
      }) {}

KeepBusy::~KeepBusy() {
  stop_ = true;
  thread_.join();
}

}  // namespace forkcheck
