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

// Into `buf` without allocating: after every fork() the parent's heap pages
// are shared with the children, and each one malloc() writes costs a page
// copy (about a third of the parent's time per session went to such faults).
size_t FormatReapLine(char* buf, size_t size, pid_t pid, const WaitStatus& status) {
  size_t pos = 0;
  Append(buf, size, &pos, "child ");
  AppendNumber(buf, size, &pos, pid);
  switch (status.kind()) {
    case WaitStatus::Kind::kExited:
      Append(buf, size, &pos, " exited with status ");
      AppendNumber(buf, size, &pos, status.exit_code());
      break;
    case WaitStatus::Kind::kKilled:
      Append(buf, size, &pos, " killed by signal ");
      AppendNumber(buf, size, &pos, status.signal());
      if (status.core_dumped()) Append(buf, size, &pos, " (core dumped)");
      break;
    case WaitStatus::Kind::kStopped:
      Append(buf, size, &pos, " stopped by signal ");
      AppendNumber(buf, size, &pos, status.signal());
      break;
    case WaitStatus::Kind::kContinued:
      Append(buf, size, &pos, " continued");
      break;
    case WaitStatus::Kind::kUnknown:
      Append(buf, size, &pos, " unknown status ");
      AppendNumber(buf, size, &pos, status.raw());
      break;
  }
  return pos;
}

}  // namespace

std::string ReapLine(pid_t pid, const WaitStatus& status) {
  char line[128];
  return std::string(line, FormatReapLine(line, sizeof line, pid, status));
}

void ReportReaped(pid_t pid, const WaitStatus& status) {
  char line[128];
  size_t length = FormatReapLine(line, sizeof line - 1, pid, status);
  line[length++] = '\n';
  WriteAll(STDERR_FILENO, line, length);
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
