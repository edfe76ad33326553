#include "property_tests/decoded.h"

#include <sys/wait.h>

#include "src/wait_status.h"

namespace forkcheck {
namespace {

Decoded Decode(const WaitStatus& status) {
  switch (status.kind()) {
    case WaitStatus::Kind::kExited:
      return Decoded::Exited(status.exit_code());
    case WaitStatus::Kind::kKilled:
      return Decoded::Killed(status.signal(), status.core_dumped());
    case WaitStatus::Kind::kStopped:
      return Decoded::Stopped(status.signal());
    case WaitStatus::Kind::kContinued:
      return Decoded::Continued();
    case WaitStatus::Kind::kUnknown:
      break;
  }
  return Decoded{};
}

Decoded DecodeMacrosInOrder(int raw) {
  if (WIFEXITED(raw)) return Decoded::Exited(WEXITSTATUS(raw));
  if (WIFSIGNALED(raw)) return Decoded::Killed(WTERMSIG(raw), WCOREDUMP(raw) != 0);
  if (WIFSTOPPED(raw)) return Decoded::Stopped(WSTOPSIG(raw));
  if (WIFCONTINUED(raw)) return Decoded::Continued();
  return Decoded{};
}

}  // namespace

bool operator==(const Decoded& a, const Decoded& b) {
  return a.kind == b.kind && a.code == b.code && a.signal == b.signal && a.core == b.core &&
         a.one_class == b.one_class;
}

std::ostream& operator<<(std::ostream& os, const Decoded& d) {
  if (!d.one_class) os << "(ambiguous) ";
  switch (d.kind) {
    case Decoded::Kind::kExited:
      return os << "exited(" << d.code << ")";
    case Decoded::Kind::kKilled:
      return os << "killed(" << d.signal << (d.core ? ", core" : "") << ")";
    case Decoded::Kind::kStopped:
      return os << "stopped(" << d.signal << ")";
    case Decoded::Kind::kContinued:
      return os << "continued";
    case Decoded::Kind::kUnknown:
      break;
  }
  return os << "unknown";
}

Decoded DecodeWithWaitStatus(int raw) {
  WaitStatus status(raw);
  int holding = status.exited() + status.killed() + status.stopped() + status.continued();
  Decoded decoded = Decode(status);
  decoded.one_class = holding == (status.kind() == WaitStatus::Kind::kUnknown ? 0 : 1);
  return decoded;
}

Decoded DecodeWithMacros(int raw) {
  // Each predicate is tested on its own: two holding at once is a finding.
  int holding = !!WIFEXITED(raw) + !!WIFSIGNALED(raw) + !!WIFSTOPPED(raw) + !!WIFCONTINUED(raw);
  Decoded decoded = DecodeMacrosInOrder(raw);
  decoded.one_class = holding <= 1;
  return decoded;
}

}  // namespace forkcheck
