// Optional JSON-lines event log (--events FILE). Parent process only.
#ifndef FORKCHECK_SRC_EVENT_LOG_H_
#define FORKCHECK_SRC_EVENT_LOG_H_

#include <sys/types.h>

#include <cstdio>
#include <string>

#include "src/wait_status.h"

namespace forkcheck {

class EventLog {
 public:
  EventLog() = default;
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // An empty path leaves the log disabled. False (errno set) on failure.
  bool Open(const std::string& path);
  int fd() const { return file_ != nullptr ? fileno(file_) : -1; }
  void Spawn(pid_t pid);
  void Reap(pid_t pid, const WaitStatus& status);

 private:
  void WriteLine(const std::string& line);

  FILE* file_ = nullptr;
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_EVENT_LOG_H_
