// FORK-1: the server survives fork() failure.
#include <cerrno>
#include <functional>

#include "conformance/inject/fault_plan.h"
#include "conformance/inject/pids_cgroup.h"
#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kFork1 = {
    "FORK-1", Level::kMust, "core", N_("survives fork() failure"),
    N_("fork() returns -1 (EAGAIN) when the process limit is reached: close that connection, "
       "back off briefly and keep accepting; never exit")};

// A client connected while fork() failed, not ended within 1 s: the server
// may have kept it to retry the fork (xinetd retries every 5 s), so once
// forks work again it must be served or ended within 6 s; else it hangs.
std::string HeldClientFate(const Sut& sut, Pending& pending) {
  Deadline deadline = Deadline::Scaled(Millis(6000));
  while (!deadline.Expired()) {
    if (Answered(sut, pending, Millis(20))) return "";
    if (pending.client.ReadToEnd(&pending.so_far, Millis(0)) != TcpClient::End::kTimeout) return "";
  }
  return Tr("the client connected while fork() failed was neither ended within 1000 ms nor served within 6000 ms "
            "of fork() working again: it hangs");
}

// While fork() fails, a client's connection must end within 1 s (or be
// kept and served once forks work again); after, a new client must be
// served. "" when both hold; `note` tells which way the server went.
std::string RefuseThenServe(Context& context, const std::function<bool(std::string*)>& fail_forks,
                            const std::function<bool(std::string*)>& restore, std::string* note) {
  std::string why;
  if (!ServedOnce(context.sut, Scaled(Millis(2000)), &why)) return Say("before any fault: {0}", why);
  if (!fail_forks(&why)) return Say("cannot make fork() fail: {0}", why);
  auto pending = StartExchange(context.sut, Scaled(Millis(2000)));
  if (!pending) return Tr("could not connect while fork() fails");
  Clock::time_point start = Clock::now();
  TcpClient::End end = pending->client.ReadToEnd(&pending->so_far, Scaled(Millis(1000)));
  double waited = MillisSince(start);
  bool restored = restore(&why);
  if (!restored) return Say("cannot make fork() work again: {0}", why);
  if (end == TcpClient::End::kTimeout) {
    if (std::string hang = HeldClientFate(context.sut, *pending); !hang.empty()) return hang;
    *note = Tr("the connection made while fork() failed was kept and served once fork() worked again");
  } else {
    *note = Say("the connection made while fork() failed ended after {0} ms", static_cast<int>(waited));
  }
  if (!ServedOnce(context.sut, Scaled(Millis(3000)), &why)) {
    if (context.sut.Alive())
      return Say("the refused connection ended, but once fork() worked again a new client was not served: {0}", why);
    return Say("the refused connection ended, but once fork() worked again a new client was not served: {0} (the "
               "server exited)",
               why);
  }
  return "";
}

// A server that makes its children with a raw clone system call (Debian's
// vsftpd) never meets the preload's fork(): nothing was injected, so this
// phase says nothing about it (`reached` false) and the cgroup's real
// EAGAIN decides.
std::string WithPreload(Context& context, std::string* note, bool* reached) {
  FaultPlan& faults = *context.faults;
  std::string failure = RefuseThenServe(
      context,
      [&](std::string* why) { return faults.Arm(Family::kFork, {EAGAIN, 0, -1, 1, 0, Role::kParent}, why); },
      [&](std::string*) {
        faults.Disarm(Family::kFork);
        return true;
      },
      note);
  *reached = faults.Injected(Family::kFork, Role::kParent) > 0;
  return *reached ? failure : "";
}

std::string WithCgroup(Context& context, PidsCgroup& group, std::string* note) {
  return RefuseThenServe(
      context, [&](std::string* why) { return group.Freeze(why); },
      [&](std::string* why) { return group.Thaw(why); }, note);
}

Outcome Run(Context& context) {
  RequireChildPerSession(context.sut);
  std::string done, no_cgroup, note;
  std::string unreached;
  if (context.faults != nullptr) {
    bool reached = false;
    if (std::string failure = WithPreload(context, &note, &reached); !failure.empty())
      return Outcome::Fail(failure + " (" + context.faults->Describe() + ")");
    if (reached) done = context.faults->Describe() + " (" + note + ")";
    else unreached = Say("{0}: the server never called fork() while it was armed", context.faults->backend());
  }
  // A genuine EAGAIN from the kernel as well, when the runner may use cgroups.
  if (!context.declared.Allows("kernel")) {
    no_cgroup = Tr("kernel backend (cgroup pids.max) not selected (--backends)");
  } else if (auto group = PidsCgroup::Create(context.sut.pid(), &no_cgroup)) {
    if (std::string failure = WithCgroup(context, *group, &note); !failure.empty())
      return Outcome::Fail(failure + " (" + group->Describe() + ")");
    // TRANSLATORS: {0} is "cgroup v1 pids.max" or "cgroup v2 pids.max"; {1} says what the connection made
    // meanwhile did.
    done += (done.empty() ? "" : "; ") + Say("{0} set to 0 ({1})", group->Describe(), note);
  }
  if (done.empty())
    return Outcome::Skip((unreached.empty() ? context.faults_unavailable : unreached) + "; " + no_cgroup);
  if (!unreached.empty()) done += " (" + unreached + ")";
  return Outcome::Pass(Say("the server survived fork() failing and served again after: {0}", done));
}

}  // namespace

FORKCHECK_FAULT_SCENARIO(fork_1, kFork1, Run);

}  // namespace forkcheck
