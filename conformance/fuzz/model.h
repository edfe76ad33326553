// The pure model of the state machine: which connections are open, and what
// the schedule may use (from the declared profiles).
#ifndef FORKCHECK_CONFORMANCE_FUZZ_MODEL_H_
#define FORKCHECK_CONFORMANCE_FUZZ_MODEL_H_

#include <vector>

namespace forkcheck {

struct FuzzProfile {
  bool echo = true;  // the protocol echoes: byte-level sends and half-closes are checked
  bool hooks = false;
  bool alarm = false;
  int idle_timeout_ms = 0;
  bool fork_failures = false;
  int max_connections = 4;
};

struct FuzzModel {
  FuzzProfile profile;
  std::vector<int> open;  // connection ids, in opening order
  int next_id = 0;

  bool IsOpen(int id) const;
  void Remove(int id);
};

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_FUZZ_MODEL_H_
