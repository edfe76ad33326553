#include "src/reload_request.h"

#include <csignal>

#include "src/signals.h"
#include "src/wakeup.h"

namespace forkcheck {
namespace {

// A counter rather than a flag the loop clears: nothing the handler writes is
// ever overwritten by the main loop, so no request can be lost.
volatile sig_atomic_t g_reload_requests = 0;

void OnReloadSignal(int) {
  g_reload_requests = (g_reload_requests + 1) & 0xffffff;
  WakeFromHandler();
}

}  // namespace

void InstallReloadHandler() { SetDisposition(SIGHUP, OnReloadSignal); }

unsigned ReloadRequests() { return static_cast<unsigned>(g_reload_requests); }

}  // namespace forkcheck
