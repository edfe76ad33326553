// reference_server: fork-per-connection (or prefork) TCP echo server. See
// src/README.md.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "src/event_log.h"
#include "src/exit_codes.h"
#include "src/listener.h"
#include "src/options.h"
#include "src/prefork_server.h"
#include "src/reaper.h"
#include "src/reload_request.h"
#include "src/server.h"
#include "src/signals.h"
#include "src/status_report.h"
#include "src/stop_request.h"
#include "src/wakeup.h"

namespace forkcheck {
namespace {

// SIGHUP only in prefork mode: fork mode leaves its disposition alone.
sigset_t ManagedSignals(Mode mode) {
  sigset_t set = MakeSigset({SIGCHLD, SIGTERM, SIGINT});
  if (mode == Mode::kPrefork) sigaddset(&set, SIGHUP);
  return set;
}

// Blocks the signals we manage; returns the mask we were started with.
sigset_t BlockManagedSignals(const sigset_t& managed, sigset_t* loop_mask) {
  sigset_t original;
  sigprocmask(SIG_BLOCK, &managed, &original);
  sigprocmask(SIG_BLOCK, nullptr, loop_mask);
  return original;
}

sigset_t ChildMask(sigset_t original, const sigset_t& managed) {
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sigismember(&managed, sig) == 1) sigdelset(&original, sig);
  }
  sigdelset(&original, SIGALRM);
  sigdelset(&original, SIGPIPE);
  return original;
}

int RunServer(ServerSetup setup) {
  if (setup.options.mode == Mode::kPrefork) return PreforkServer(std::move(setup)).Run();
  return Server(std::move(setup)).Run();
}

// Socket activation wins over --port, as systemd units expect.
Listener OpenListener(const Options& options, int* error_exit) {
  Listener inherited = InheritListener();
  *error_exit = kExitListen;
  if (inherited.fd >= 0 || !inherited.error.empty()) return inherited;
  if (!options.port) {
    *error_exit = kExitUsage;
    inherited.error = "--port is required unless started by socket activation";
    return inherited;
  }
  return BindListener(options.bind, *options.port);
}

int Main(int argc, char** argv) {
  ParseResult parsed = ParseOptions(argc, argv);
  if (parsed.exit_now) return parsed.exit_code;
  const Options& options = parsed.options;

  if (!InitWakeup()) {
    LogError(std::string("pipe: ") + strerror(errno));
    return kExitInternal;
  }
  ServerSetup setup;
  setup.options = options;
  const sigset_t managed = ManagedSignals(options.mode);
  setup.child_mask = ChildMask(BlockManagedSignals(managed, &setup.loop_mask), managed);
  InstallStopHandlers();
  if (options.mode == Mode::kPrefork) InstallReloadHandler();
  // Children report EPIPE as an error exit; the parent never writes to peers.
  SetDisposition(SIGPIPE, SIG_IGN);

  int error_exit;
  Listener listener = OpenListener(options, &error_exit);
  if (listener.fd < 0) {
    LogError(listener.error);
    return error_exit;
  }
  EventLog events;
  if (!events.Open(options.events_path)) {
    LogError("--events: " + options.events_path + ": " + strerror(errno));
    return kExitUsage;
  }
  setup.reaper = MakeReaper(options.reaper);
  if (!setup.reaper) {
    LogError(std::string("signalfd: ") + strerror(errno));
    return kExitInternal;
  }
  setup.listen_fd = listener.fd;
  setup.events = &events;
  setup.events_fd = events.fd();
  std::printf("listening on %s\n", listener.address.c_str());
  std::fflush(stdout);
  return RunServer(std::move(setup));
}

}  // namespace
}  // namespace forkcheck

int main(int argc, char** argv) { return forkcheck::Main(argc, argv); }
