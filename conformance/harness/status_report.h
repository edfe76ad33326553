#ifndef FORKCHECK_HARNESS_STATUS_REPORT_H_
#define FORKCHECK_HARNESS_STATUS_REPORT_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "conformance/harness/sut.h"

namespace re2 {
class RE2;
}

namespace forkcheck {

// One "child PID ..." line of the server's output, decoded.
struct StatusReport {
  pid_t pid = 0;
  bool exited = false;  // else killed by a signal
  int code = -1;
  int signal = -1;
  bool core = false;
  std::string line;
  const char* stream = "stderr";  // where the server wrote it: stdout or stderr
};

// The reference format; --status-pattern replaces it. Named groups:
// pid (required), and code / signal / core, or raw (a wait status word,
// decoded with the libc W* macros, as tcpserver prints it).
extern const char kDefaultStatusPattern[];

class StatusParser {
 public:
  // Returns null and sets `error` when the pattern is not a valid regex with
  // a `pid` group and either `raw` or `code`/`signal`.
  static std::unique_ptr<StatusParser> Create(const std::string& pattern,
                                              std::string* error);
  ~StatusParser();
  std::optional<StatusReport> Parse(const std::string& line) const;
  std::vector<StatusReport> ParseAll(const std::vector<LogLine>& lines) const;
  std::vector<StatusReport> ReportsFor(const std::vector<LogLine>& lines, pid_t pid) const;

 private:
  StatusParser() = default;
  std::unique_ptr<re2::RE2> regex_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_HARNESS_STATUS_REPORT_H_
