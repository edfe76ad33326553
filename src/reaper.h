// Zombie-free reaping. Two interchangeable strategies; neither assumes one
// SIGCHLD per child (signals coalesce), both drain waitpid(WNOHANG) in a loop.
#ifndef FORKCHECK_SRC_REAPER_H_
#define FORKCHECK_SRC_REAPER_H_

#include <signal.h>
#include <sys/types.h>

#include <memory>
#include <vector>

#include "src/parent_only.h"

namespace forkcheck {

struct Reaped {
  pid_t pid;
  int status;
};

// Filled after every fork() in the parent: parent-only pages, no page copy.
using ReapedList = std::vector<Reaped, ParentOnlyAllocator<Reaped>>;

enum class ReaperKind { kHandler, kSignalfd };

class Reaper {
 public:
  virtual ~Reaper() = default;
  // Descriptor to poll for readability, or -1 if there is none.
  virtual int fd() const = 0;
  // Removes from `mask` the signals that must be deliverable while waiting.
  virtual void UnblockForWait(sigset_t* mask) const = 0;
  // Appends every child reaped since the last call.
  virtual void Collect(ReapedList* out) = 0;
};

// SIGCHLD must already be blocked. Returns null (errno set) on failure.
std::unique_ptr<Reaper> MakeReaper(ReaperKind kind);

// Reaps every child that has already terminated, without blocking.
void ReapAvailable(ReapedList* out);

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_REAPER_H_
