// Zombie-free reaping. Two interchangeable strategies; neither assumes one
// SIGCHLD per child (signals coalesce), both drain waitpid(WNOHANG) in a loop.
#ifndef FORKCHECK_SRC_REAPER_H_
#define FORKCHECK_SRC_REAPER_H_

#include <signal.h>
#include <sys/types.h>

#include <memory>
#include <vector>

namespace forkcheck {

struct Reaped {
  pid_t pid;
  int status;
};

enum class ReaperKind { kHandler, kSignalfd };

class Reaper {
 public:
  virtual ~Reaper() = default;
  // Descriptor to poll for readability, or -1 if there is none.
  virtual int fd() const = 0;
  // Removes from `mask` the signals that must be deliverable while waiting.
  virtual void UnblockForWait(sigset_t* mask) const = 0;
  // Appends every child reaped since the last call.
  virtual void Collect(std::vector<Reaped>* out) = 0;
};

// SIGCHLD must already be blocked. Returns null (errno set) on failure.
std::unique_ptr<Reaper> MakeReaper(ReaperKind kind);

// Reaps every child that has already terminated, without blocking.
void ReapAvailable(std::vector<Reaped>* out);

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_REAPER_H_
