// FORK-1: the server survives fork() failure.
#include <cerrno>
#include <functional>

#include "conformance/inject/fault_plan.h"
#include "conformance/inject/pids_cgroup.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kFork1 = {
    "FORK-1", Level::kMust, "core", "survives fork() failure",
    "fork() returns -1 (EAGAIN) when the process limit is reached: close that connection, "
    "back off briefly and keep accepting; never exit"};

// While fork() fails, a client's connection must end within 1 s; once it
// works again, a new client must be served. "" when both hold.
std::string RefuseThenServe(Context& context, const std::function<bool(std::string*)>& fail_forks,
                            const std::function<bool(std::string*)>& restore) {
  std::string why;
  if (!EchoesOnce(context.sut, "warm-up\n", Scaled(Millis(2000)), &why)) return "before any fault: " + why;
  if (!fail_forks(&why)) return "cannot make fork() fail: " + why;
  auto client = context.sut.Connect();
  if (!client) return "could not connect while fork() fails";
  client->SendAll("refused?\n", Scaled(Millis(500)));
  std::string echoed;
  Clock::time_point start = Clock::now();
  TcpClient::End end = client->ReadToEnd(&echoed, Scaled(Millis(1000)));
  double waited = MillisSince(start);
  bool restored = restore(&why);
  if (end == TcpClient::End::kTimeout)
    return "while fork() failed, the client's connection was still open after " +
           std::to_string(static_cast<int>(waited)) + " ms (limit 1000 ms scaled)";
  if (!restored) return "cannot make fork() work again: " + why;
  if (!EchoesOnce(context.sut, "after\n", Scaled(Millis(3000)), &why))
    return std::string("the refused connection ended, but once fork() worked again a new client was not ") +
           "served: " + why + (context.sut.Alive() ? "" : " (the server exited)");
  return "";
}

std::string WithPreload(Context& context) {
  FaultPlan& faults = *context.faults;
  return RefuseThenServe(
      context,
      [&](std::string* why) { return faults.Arm(Family::kFork, {EAGAIN, 0, -1, 1, 0, Role::kParent}, why); },
      [&](std::string* why) {
        faults.Disarm(Family::kFork);
        *why = "the server never called fork() while it was armed";
        return faults.Injected(Family::kFork, Role::kParent) > 0;
      });
}

std::string WithCgroup(Context& context, PidsCgroup& group) {
  return RefuseThenServe(
      context, [&](std::string* why) { return group.Freeze(why); },
      [&](std::string* why) { return group.Thaw(why); });
}

Outcome Run(Context& context) {
  RequireChildPerSession(context.sut);
  std::string done, no_cgroup;
  if (context.faults != nullptr) {
    if (std::string failure = WithPreload(context); !failure.empty())
      return Outcome::Fail(failure + " (" + context.faults->Describe() + ")");
    done = context.faults->Describe();
  }
  // A genuine EAGAIN from the kernel as well, when the runner may use cgroups.
  if (!context.declared.Allows("kernel")) {
    no_cgroup = "kernel backend (cgroup pids.max) not selected (--backends)";
  } else if (auto group = PidsCgroup::Create(context.sut.pid(), &no_cgroup)) {
    if (std::string failure = WithCgroup(context, *group); !failure.empty())
      return Outcome::Fail(failure + " (" + group->Describe() + ")");
    done += (done.empty() ? "" : "; ") + group->Describe() + " set to 0";
  }
  if (done.empty()) return Outcome::Skip(context.faults_unavailable + "; " + no_cgroup);
  return Outcome::Pass("refused connections ended within 1 s and the server served again after: " + done);
}

}  // namespace

FORKCHECK_FAULT_SCENARIO(fork_1, kFork1, Run);

}  // namespace forkcheck
