#include "src/reaper.h"

#include <sys/wait.h>

#include "src/eintr.h"
#include "src/handler_reaper.h"
#include "src/signalfd_reaper.h"

namespace forkcheck {

std::unique_ptr<Reaper> MakeReaper(ReaperKind kind) {
  if (kind == ReaperKind::kHandler) return std::make_unique<HandlerReaper>();
  return SignalfdReaper::Create();
}

void ReapAvailable(ReapedList* out) {
  int status;
  pid_t pid;
  while ((pid = RetryAfterSignal(-1, waitpid, -1, &status, WNOHANG)) > 0) {
    out->push_back({pid, status});
  }
}

}  // namespace forkcheck
