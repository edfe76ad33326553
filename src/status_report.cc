#include "src/status_report.h"

#include <unistd.h>

#include <cstring>

#include "src/io.h"

namespace forkcheck {
namespace {

void WriteLine(const std::string& line) {
  std::string with_newline = line + "\n";
  WriteAll(STDERR_FILENO, with_newline.data(), with_newline.size());
}

// Appends `text` to the buffer at *pos, truncating at `size`.
void Append(char* buf, size_t size, size_t* pos, const char* text) {
  for (; *text != '\0' && *pos < size; ++text) buf[(*pos)++] = *text;
}

void AppendNumber(char* buf, size_t size, size_t* pos, long value) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  while (n > 0 && *pos < size) buf[(*pos)++] = digits[--n];
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

void LogWorkerError(const char* what, int err) {
  char line[256];
  const size_t size = sizeof line - 1;
  size_t pos = 0;
  Append(line, size, &pos, "reference_server: worker ");
  AppendNumber(line, size, &pos, getpid());
  Append(line, size, &pos, ": ");
  Append(line, size, &pos, what);
  Append(line, size, &pos, ": ");
  // Untranslated and static: strerror() may allocate for its locale lookup.
  const char* text = strerrordesc_np(err);
  Append(line, size, &pos, text != nullptr ? text : "unknown error");
  line[pos++] = '\n';
  WriteAll(STDERR_FILENO, line, pos);
}

}  // namespace forkcheck
