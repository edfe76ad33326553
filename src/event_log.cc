#include "src/event_log.h"

#include <nlohmann/json.hpp>

#include "src/clock.h"

namespace forkcheck {

EventLog::~EventLog() {
  if (file_ != nullptr) fclose(file_);
}

bool EventLog::Open(const std::string& path) {
  if (path.empty()) return true;
  file_ = fopen(path.c_str(), "ae");
  return file_ != nullptr;
}

void EventLog::Spawn(pid_t pid) {
  if (file_ == nullptr) return;
  nlohmann::ordered_json j = {{"event", "spawn"}, {"pid", pid}, {"ts_ms", WallClockMs()}};
  WriteLine(j.dump());
}

void EventLog::Reap(pid_t pid, const WaitStatus& status) {
  if (file_ == nullptr) return;
  nlohmann::ordered_json j = {{"event", "reap"},
                      {"pid", pid},
                      {"status", status.Describe()},
                      {"code", nullptr},
                      {"signal", nullptr},
                      {"core", status.core_dumped()},
                      {"ts_ms", WallClockMs()}};
  if (status.exited()) j["code"] = status.exit_code();
  if (status.killed()) j["signal"] = status.signal();
  WriteLine(j.dump());
}

void EventLog::WriteLine(const std::string& line) {
  // Flushed per line so a child's _exit never inherits pending bytes and
  // readers see events as they happen.
  fputs(line.c_str(), file_);
  fputc('\n', file_);
  fflush(file_);
}

}  // namespace forkcheck
