#include "scenarios/keep_busy.h"

namespace forkcheck {

KeepBusy::KeepBusy(const Protocol& protocol, TcpClient& client)
    : thread_([this, &client, echo = protocol.Provides(Need::kExactEcho)] {
        while (!stop_ && echo) {
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
