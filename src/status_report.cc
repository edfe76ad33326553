#include "src/status_report.h"

#include <unistd.h>

#include "src/io.h"

namespace forkcheck {
namespace {

void WriteLine(const std::string& line) {
  std::string with_newline = line + "\n";
  WriteAll(STDERR_FILENO, with_newline.data(), with_newline.size());
}

}  // namespace

std::string ReapLine(pid_t pid, const WaitStatus& status) {
  return "child " + std::to_string(pid) + " " + status.Describe();
}

void ReportReaped(pid_t pid, const WaitStatus& status) {
  WriteLine(ReapLine(pid, status));
}

void LogError(const std::string& message) {
  WriteLine("reference_server: " + message);
}

}  // namespace forkcheck
