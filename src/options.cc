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
         "--reaper",
         [&o](const std::string& name) {
           o.reaper = name == "signalfd" ? ReaperKind::kSignalfd
                                         : ReaperKind::kHandler;
         },
         "reaping strategy (default handler)")
      ->check(CLI::IsMember({"handler", "signalfd"}));
  app.add_option("--max-children", o.max_children,
                 "stop accepting while this many children live")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  app.add_option("--idle-timeout", o.idle_timeout_ms,
                 "close a connection idle this many ms, 0 = never")
      ->check(CLI::Range(0, 1 << 30))
      ->capture_default_str();
  app.add_option("--shutdown-grace", o.shutdown_grace_ms,
                 "ms to wait after SIGTERM to children before SIGKILL")
      ->check(CLI::Range(0, 1 << 30))
      ->capture_default_str();
  app.add_option("--events", o.events_path, "append JSON-lines events here");
  app.add_flag("--test-hooks", o.test_hooks,
               "obey !exit N, !raise SIG, !sleep MS lines from clients");
}

}  // namespace

ParseResult ParseOptions(int argc, char** argv) {
  ParseResult result;
  CLI::App app("Fork-per-connection TCP echo server.", "reference_server");
  AddFlags(app, result.options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    result.exit_now = true;
    result.exit_code = kExitOk;
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    std::replace(message.begin(), message.end(), '\n', ' ');
    std::fprintf(stderr, "reference_server: %s\n", message.c_str());
    result.exit_now = true;
    result.exit_code = kExitUsage;
  }
  return result;
}

}  // namespace forkcheck
