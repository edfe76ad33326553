// PREF-3: a worker is recycled after the declared number of sessions.
#include <map>

#include "conformance/l10n/tr.h"
#include "scenarios/prefork_workers.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kPref3 = {
    "PREF-3", Level::kShould, "prefork", N_("recycles a worker after the declared session count"),
    N_("count the sessions each worker served and let it exit (and the parent replace it) after "
       "--max-sessions-per-worker of them: it bounds what a leak in a worker can grow to")};

// Sessions one after another; which worker served each.
std::string ServeOneByOne(Context& context, int count, std::map<pid_t, int>* served) {
  std::string why;
  for (int i = 0; i < count; ++i) {
    auto session = OpenSession(context.sut, &why);
    if (!session) return Say("session {0} of {1}: {2}", i + 1, count, why);
    ++(*served)[session->child];
    std::string rest;
    session->client.Close();
  }
  return "";
}

Outcome Run(Context& context) {
  int limit = context.declared.max_sessions_per_worker;
  if (limit <= 0) return Outcome::Skip(Tr("no session count declared: pass --max-sessions-per-worker=K"));
  int pool = static_cast<int>(SettledPool(context.sut).size());
  int sessions = limit * pool + pool + 1;
  std::map<pid_t, int> served;
  if (std::string failure = ServeOneByOne(context, sessions, &served); !failure.empty()) return Outcome::Fail(failure);
  for (const auto& [worker, count] : served)
    if (count > limit)
      return Outcome::Fail(
          Say("worker {0} served {1} sessions with --max-sessions-per-worker={2}", worker, count, limit));
  return Outcome::Pass(Say("{0} sessions one after another over a pool of {1} were served by {2} workers, none more "
                           "than {3} times",
                           sessions, pool, served.size(), limit));
}

}  // namespace

FORKCHECK_SCENARIO(pref_3, kPref3, Run);

}  // namespace forkcheck
