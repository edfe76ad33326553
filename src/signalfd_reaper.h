// Reaping driven by a signalfd(2) polled alongside the listener.
#ifndef FORKCHECK_SRC_SIGNALFD_REAPER_H_
#define FORKCHECK_SRC_SIGNALFD_REAPER_H_

#include <memory>

#include "src/reaper.h"

namespace forkcheck {

class SignalfdReaper : public Reaper {
 public:
  static std::unique_ptr<Reaper> Create();
  ~SignalfdReaper() override;

  int fd() const override { return fd_; }
  void UnblockForWait(sigset_t*) const override {}
  void Collect(ReapedList* out) override;

 private:
  explicit SignalfdReaper(int fd) : fd_(fd) {}
  void DrainSignalfd();

  int fd_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_SIGNALFD_REAPER_H_
