// The classification a wait-status decoder reports, in one comparable value,
// so properties can hold any decoder (the real one, or a planted broken one)
// against what the W* macros or a real child say.
#ifndef FORKCHECK_PROPERTY_TESTS_DECODED_H_
#define FORKCHECK_PROPERTY_TESTS_DECODED_H_

#include <functional>
#include <ostream>

namespace forkcheck {

struct Decoded {
  enum class Kind { kExited, kKilled, kStopped, kContinued, kUnknown };
  Kind kind = Kind::kUnknown;
  int code = 0;    // kExited only
  int signal = 0;  // kKilled / kStopped only
  bool core = false;
  // False when more than one predicate (or none, for a known kind) holds.
  bool one_class = true;

  static Decoded Exited(int code) { return {Kind::kExited, code, 0, false, true}; }
  static Decoded Killed(int signal, bool core) { return {Kind::kKilled, 0, signal, core, true}; }
  static Decoded Stopped(int signal) { return {Kind::kStopped, 0, signal, false, true}; }
  static Decoded Continued() { return {Kind::kContinued, 0, 0, false, true}; }
};

bool operator==(const Decoded& a, const Decoded& b);
std::ostream& operator<<(std::ostream& os, const Decoded& d);

using Decoder = std::function<Decoded(int raw)>;

// src/wait_status's WaitStatus, seen through Decoded.
Decoded DecodeWithWaitStatus(int raw);

// The libc macros alone: what every decoder must agree with.
Decoded DecodeWithMacros(int raw);

}  // namespace forkcheck

#endif  // FORKCHECK_PROPERTY_TESTS_DECODED_H_
