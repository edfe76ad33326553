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

Outcome Run(Context& context) {
  int cap = context.declared.max_children;
  if (cap <= 0) return Outcome::Skip("no cap declared: pass --max-children=N");
  std::string why;
  std::vector<Session> admitted = OpenSessions(context.sut, cap, &why);
  if (admitted.empty()) return Outcome::Fail("opening " + std::to_string(cap) + " sessions: " + why);
  context.sut.zombies().ResetMaxLiveChildren();
  std::vector<TcpClient> waiting;
  for (int i = 0; i < 3; ++i) {
    auto client = context.sut.Connect();
    if (!client) return Outcome::Fail("could not connect past the cap");
    client->SendAll("w", Scaled(Millis(500)));
    waiting.push_back(std::move(*client));
  }
  // Over this window the waiting clients must not get a child of their own.
  auto over_cap = [&] { return static_cast<int>(context.sut.LiveChildren().size()) > cap; };
  PollUntil(over_cap, Scaled(Millis(300)), Millis(5));
  int peak = std::max(context.sut.zombies().MaxLiveChildren(),
                      static_cast<int>(context.sut.LiveChildren().size()));
  if (peak > cap)
    return Outcome::Fail(std::to_string(peak) + " live children with --max-children=" + std::to_string(cap));
  for (int i = 0; i < 3; ++i) admitted[static_cast<size_t>(i)].client.Close();
  for (size_t i = 0; i < waiting.size(); ++i) {
    if (waiting[i].ReadUpTo(1, Scaled(Millis(3000))) != "w")
      return Outcome::Fail("client " + std::to_string(i + 1) +
                           " beyond the cap was not served after slots were freed");
  }
  peak = std::max(peak, context.sut.zombies().MaxLiveChildren());
  if (peak > cap)
    return Outcome::Fail(std::to_string(peak) + " live children with --max-children=" + std::to_string(cap));
  return Outcome::Pass("peak " + std::to_string(peak) + " live children at cap " + std::to_string(cap) +
                       "; 3 waiting clients served once slots freed");
}

}  // namespace

FORKCHECK_SCENARIO(limit_1, kLimit1, Run);

}  // namespace forkcheck
