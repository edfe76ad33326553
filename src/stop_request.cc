#include "src/stop_request.h"

#include <csignal>

#include "src/signals.h"
#include "src/wakeup.h"

namespace forkcheck {
namespace {

volatile sig_atomic_t g_stop_requests = 0;

void OnStopSignal(int) {
  if (g_stop_requests < 2) g_stop_requests = g_stop_requests + 1;
  WakeFromHandler();
}

}  // namespace

void InstallStopHandlers() {
  SetDisposition(SIGTERM, OnStopSignal);
  SetDisposition(SIGINT, OnStopSignal);
}

int StopRequests() { return g_stop_requests; }

}  // namespace forkcheck
