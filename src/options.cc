#include "src/options.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "src/exit_codes.h"

namespace forkcheck {
namespace {

std::string CheckNumericAddress(const std::string& text) {
  unsigned char buf[sizeof(in6_addr)];
  if (inet_pton(AF_INET, text.c_str(), buf) == 1) return "";
  if (inet_pton(AF_INET6, text.c_str(), buf) == 1) return "";
  return "not a numeric IPv4/IPv6 address: " + text;
}

void AddFlags(CLI::App& app, Options& o) {
  app.add_option("--port", o.port, "TCP port to listen on, 0 = ephemeral")
      ->check(CLI::Range(0, 65535));
  app.add_option("--bind", o.bind, "numeric address to bind")
      ->check(CheckNumericAddress, "ADDRESS")
      ->capture_default_str();
  app.add_option_function<std::string>(
         "--mode",
         [&o](const std::string& name) {
           o.mode = name == "prefork" ? Mode::kPrefork : Mode::kFork;
         },
         "fork (one child per connection, default) or prefork (a pool of "
         "--workers processes that accept and serve one session at a time)")
      ->check(CLI::IsMember({"fork", "prefork"}));
  app.add_option_function<std::string>(
         "--reaper",
         [&o](const std::string& name) {
           o.reaper = name == "signalfd" ? ReaperKind::kSignalfd
                                         : ReaperKind::kHandler;
         },
         "reaping strategy (default handler)")
      ->check(CLI::IsMember({"handler", "signalfd"}));
  app.add_option("--max-children", o.max_children,
                 "fork mode: stop accepting while this many children live")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  app.add_option("--workers", o.workers,
                 "prefork mode: worker processes, also the cap on concurrent sessions")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("--max-sessions-per-worker", o.max_sessions_per_worker,
                 "prefork mode: a worker exits after this many sessions and is "
                 "replaced (default: never)")
      ->check(CLI::Range(1, 1 << 30));
  app.add_option("--idle-timeout", o.idle_timeout_ms,
                 "close a connection idle this many ms, 0 = never")
      ->check(CLI::Range(0, 1 << 30))
      ->capture_default_str();
  app.add_option("--shutdown-grace", o.shutdown_grace_ms,
                 "after SIGTERM/SIGINT, ms children (prefork: workers finishing their "
                 "sessions) get before SIGKILL")
      ->check(CLI::Range(0, 1 << 30))
      ->capture_default_str();
  app.add_option("--events", o.events_path, "append JSON-lines events here");
  app.add_flag("--test-hooks", o.test_hooks,
               "obey !exit N, !raise SIG, !sleep MS lines from clients");
  app.add_option("--test-crash-workers", o.test_crash_workers,
                 "prefork mode, with --test-hooks: the first N workers exit 1 "
                 "right after starting")
      ->check(CLI::Range(0, 1 << 30));
}

// Flags that only make sense together; the first problem found, or "".
std::string CheckCombinations(const CLI::App& app, const Options& o) {
  const bool prefork = o.mode == Mode::kPrefork;
  if (prefork && app.count("--max-children") > 0) {
    return "--max-children: not with --mode=prefork, where --workers is the cap";
  }
  for (const char* flag : {"--workers", "--max-sessions-per-worker", "--test-crash-workers"}) {
    if (!prefork && app.count(flag) > 0) return std::string(flag) + ": needs --mode=prefork";
  }
  if (o.test_crash_workers > 0 && !o.test_hooks) return "--test-crash-workers: needs --test-hooks";
  return "";
}

ParseResult UsageError(const std::string& message) {
  std::fprintf(stderr, "reference_server: %s\n", message.c_str());
  ParseResult result;
  result.exit_now = true;
  result.exit_code = kExitUsage;
  return result;
}

constexpr char kDescription[] =
    "TCP echo server. --mode=fork (default): one child per connection. "
    "--mode=prefork: --workers processes each accept and serve one session at a "
    "time; the parent only supervises (SIGHUP replaces them one by one).";

}  // namespace

ParseResult ParseOptions(int argc, char** argv) {
  ParseResult result;
  CLI::App app(kDescription, "reference_server");
  AddFlags(app, result.options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    result.exit_now = true;
    result.exit_code = kExitOk;
    return result;
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    std::replace(message.begin(), message.end(), '\n', ' ');
    return UsageError(message);
  }
  std::string conflict = CheckCombinations(app, result.options);
  if (!conflict.empty()) return UsageError(conflict);
  return result;
}

}  // namespace forkcheck
