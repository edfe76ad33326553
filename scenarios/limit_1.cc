// LIMIT-1: never more live children than the declared --max-children.
#include <algorithm>

#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kLimit1 = {
    "LIMIT-1", Level::kShould, "limit", "never exceeds the declared --max-children",
    "count live children (fork() adds one, each waitpid'd child removes one) and stop "
    "calling accept() at the cap until SIGCHLD frees a slot"};

// Connects all at once, so a server that ignores its cap shows it before
// any idle timeout can thin the crowd.
std::vector<TcpClient> ConnectAll(const Sut& sut, int count) {
  std::vector<TcpClient> clients;
  for (int i = 0; i < count; ++i) {
    auto client = sut.Connect();
    if (!client) break;
    client->SendAll("w", Scaled(Millis(200)));
    clients.push_back(std::move(*client));
  }
  return clients;
}

std::string OverCap(int peak, int cap) {
  return std::to_string(peak) + " live children with --max-children=" + std::to_string(cap);
}

Outcome Run(Context& context) {
  const int cap = context.declared.max_children;
  if (cap <= 0) return Outcome::Skip("no cap declared: pass --max-children=N");
  Sut& sut = context.sut;
  RequireChildPerSession(sut);
  sut.zombies().ResetMaxLiveChildren();
  std::vector<TcpClient> clients = ConnectAll(sut, cap + 3);
  if (static_cast<int>(clients.size()) < cap + 3) return Outcome::Fail("could not connect " + std::to_string(cap + 3) + " clients");
  auto live = [&] { return static_cast<int>(sut.LiveChildren().size()); };
  PollUntil([&] { return live() >= cap; }, Scaled(Millis(3000)), Millis(5));
  // The observation window: over it the 3 extra clients must get no child.
  PollUntil([&] { return live() > cap; }, Scaled(Millis(300)), Millis(5));
  int peak = std::max(sut.zombies().MaxLiveChildren(), live());
  if (peak > cap) return Outcome::Fail(OverCap(peak, cap));
  std::vector<TcpClient*> waiting;
  std::vector<pid_t> freed;
  for (TcpClient& client : clients) {
    if (client.ReadUpTo(1, Millis(0)) != "w") {
      waiting.push_back(&client);
    } else if (freed.size() < 3) {
      if (auto child = sut.ChildServing(client, Millis(0))) freed.push_back(*child);
      client.Close();
    }
  }
  int closed = static_cast<int>(freed.size());
  // A slot frees when its child is reaped; reaping is REAP's concern.
  RequireReaped(freed, Scaled(Millis(context.declared.reap_grace_ms)) + Scaled(Millis(1000)), "REAP-2",
                std::to_string(closed) + " sessions ended together at the cap");
  for (size_t i = 0; i < waiting.size(); ++i)
    if (waiting[i]->ReadUpTo(1, Scaled(Millis(3000))) != "w")
      return Outcome::Fail("a client beyond the cap was not served after " + std::to_string(closed) +
                           " sessions ended (" + std::to_string(waiting.size()) + " were waiting)");
  peak = std::max(peak, sut.zombies().MaxLiveChildren());
  if (peak > cap) return Outcome::Fail(OverCap(peak, cap));
  return Outcome::Pass("peak " + std::to_string(peak) + " live children at cap " + std::to_string(cap) + "; " +
                       std::to_string(waiting.size()) + " clients held back, served once slots freed");
}

}  // namespace

FORKCHECK_SCENARIO(limit_1, kLimit1, Run);

}  // namespace forkcheck
