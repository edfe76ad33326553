// Command-line options of reference_server.
#ifndef FORKCHECK_SRC_OPTIONS_H_
#define FORKCHECK_SRC_OPTIONS_H_

#include <optional>
#include <string>

#include "src/reaper.h"

namespace forkcheck {

struct Options {
  std::optional<int> port;
  std::string bind = "127.0.0.1";
  ReaperKind reaper = ReaperKind::kHandler;
  int max_children = 64;
  int idle_timeout_ms = 0;
  int shutdown_grace_ms = 5000;
  std::string events_path;
  bool test_hooks = false;
};

struct ParseResult {
  Options options;
  bool exit_now = false;  // --help was printed, or an error was reported
  int exit_code = 0;
};

// Prints help to stdout, or one error line naming the flag to stderr.
ParseResult ParseOptions(int argc, char** argv);

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_OPTIONS_H_
