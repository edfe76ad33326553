// Command-line options of reference_server.
#ifndef FORKCHECK_SRC_OPTIONS_H_
#define FORKCHECK_SRC_OPTIONS_H_

#include <optional>
#include <string>

#include "src/reaper.h"

namespace forkcheck {

enum class Mode { kFork, kPrefork };

struct Options {
  std::optional<int> port;
  std::string bind = "127.0.0.1";
  Mode mode = Mode::kFork;
  ReaperKind reaper = ReaperKind::kHandler;
  int max_children = 64;
  int workers = 4;
  int max_sessions_per_worker = 0;  // 0 = never recycle
  int idle_timeout_ms = 0;
  int shutdown_grace_ms = 5000;
  std::string events_path;
  bool test_hooks = false;
  int test_crash_workers = 0;
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
