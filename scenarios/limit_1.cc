// LIMIT-1: never more live children than the declared --max-children.
#include <algorithm>

#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kLimit1 = {
    "LIMIT-1", Level::kShould, "limit", N_("never exceeds the declared --max-children"),
    N_("count live children (fork() adds one, each waitpid'd child removes one) and stop "
       "calling accept() at the cap until SIGCHLD frees a slot"),
    0, Company::kNone};

// Starts exchanges on `count` new clients without waiting for answers.
std::vector<Pending> StartAll(const Sut& sut, int count) {
  std::vector<Pending> clients;
  for (int i = 0; i < count; ++i) {
    auto pending = StartExchange(sut, Scaled(Millis(2000)));
    if (!pending) break;
    clients.push_back(std::move(*pending));
  }
  return clients;
}

// Holds `count` sessions quickly, without looking for their children
// (a /proc scan each): a server that ignores its cap must show it before
// any idle timeout thins the crowd.
std::vector<TcpClient> HoldAll(const Sut& sut, int count, std::string* why) {
  std::vector<TcpClient> held;
  for (int i = 0; i < count; ++i) {
    auto client = sut.Connect();
    if (!client) {
      *why = Say("session {0}: could not connect", i + 1);
      return {};
    }
    if (std::string failure = sut.protocol().Hold(*client, Scaled(Millis(2000))); !failure.empty()) {
      *why = Say("session {0} was not served: {1}", i + 1, failure);
      return {};
    }
    held.push_back(std::move(*client));
  }
  return held;
}

std::string OverCap(int peak, int cap) {
  return Say("{0} live children with --max-children={1}", peak, cap);
}

// The cap is filled with held sessions (their children wait on the
// client); then 3 more clients start an exchange: they must get no child
// until held sessions end, and then be answered.
Outcome Run(Context& context) {
  const int cap = context.declared.max_children;
  if (cap <= 0) return Outcome::Skip(Tr("no cap declared: pass --max-children=N"));
  // As many beyond the cap as sessions will end, so each can be served.
  const int kExtra = std::min(3, cap);
  Sut& sut = context.sut;
  RequireChildPerSession(sut);
  sut.zombies().ResetMaxLiveChildren();
  std::string why;
  std::vector<TcpClient> held = HoldAll(sut, cap, &why);
  if (held.empty())
    return Outcome::Fail(SayN("could not hold the {0} session the cap allows: {1}",
                              "could not hold the {0} sessions the cap allows: {1}", cap, cap, why));
  std::vector<Pending> extra = StartAll(sut, kExtra);
  if (static_cast<int>(extra.size()) < kExtra) return Outcome::Fail(Tr("could not connect clients beyond the cap"));
  auto live = [&] { return static_cast<int>(sut.LiveChildren().size()); };
  // The observation window: over it the extra clients must get no child.
  PollUntil([&] { return live() > cap; }, Scaled(Millis(300)), Millis(5));
  int peak = std::max(sut.zombies().MaxLiveChildren(), live());
  if (peak > cap) return Outcome::Fail(OverCap(peak, cap));
  std::vector<pid_t> freed;
  for (int i = 0; i < kExtra; ++i) {
    TcpClient& client = held[static_cast<size_t>(i)];
    if (auto child = sut.ChildServing(client, Scaled(Millis(1000)))) freed.push_back(*child);
    client.Close();
  }
  // A slot frees when its child is reaped; reaping is REAP's concern.
  RequireReaped(freed, Scaled(Millis(context.declared.reap_grace_ms)) + Scaled(Millis(1000)), "REAP-2",
                SayN("{0} session ended at the cap", "{0} sessions ended together at the cap", freed.size(),
                     freed.size()));
  for (Pending& pending : extra)
    if (!Answered(sut, pending, Scaled(Millis(3000))))
      return Outcome::Fail(Say("a client beyond the cap was not served after {0} sessions ended ({1} were waiting)",
                               freed.size(), kExtra));
  peak = std::max(peak, sut.zombies().MaxLiveChildren());
  if (peak > cap) return Outcome::Fail(OverCap(peak, cap));
  return Outcome::Pass(Say("peak {0} live children at cap {1}; {2} clients held back, served once slots freed", peak,
                           cap, kExtra));
}

}  // namespace

FORKCHECK_SCENARIO(limit_1, kLimit1, Run);

}  // namespace forkcheck
