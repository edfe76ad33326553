// PREF-4: SIGHUP replaces the workers without refusing or cutting a session.
#include <signal.h>

#include <atomic>
#include <thread>

#include "conformance/l10n/tr.h"
#include "scenarios/prefork_workers.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kPref4 = {
    "PREF-4", Level::kShould, "prefork", N_("replaces workers on SIGHUP without refusing a connection"),
    N_("on SIGHUP start a new worker, then ask one old worker to finish its session and exit, one at a time; keep "
       "the listening socket open throughout and never kill a worker in the middle of a session")};

// New clients, one after another, while the workers are replaced.
class ClientLoop {
 public:
  explicit ClientLoop(const Sut& sut)
      : thread_([this, &sut] {
          while (!stop_) {
            std::string why;
            ++tried_;
            if (!ServedOnce(sut, Scaled(Millis(2000)), &why)) ++unserved_, last_why_ = why;
          }
        }) {}
  ~ClientLoop() { Stop(); }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int tried() const { return tried_; }
  int unserved() const { return unserved_; }
  const std::string& last_why() const { return last_why_; }

 private:
  std::atomic<bool> stop_{false};
  int tried_ = 0, unserved_ = 0;
  std::string last_why_;
  std::thread thread_;
};

// The old workers gone (the one holding `held` may finish its session
// first), and as many new ones running.
bool Replaced(const Sut& sut, const std::set<pid_t>& old, pid_t held) {
  std::set<pid_t> now = Workers(sut);
  size_t fresh = 0;
  for (pid_t worker : now) fresh += old.count(worker) == 0;
  for (pid_t worker : old)
    if (worker != held && now.count(worker)) return false;
  return fresh >= old.size() - (now.count(held) ? 1 : 0);
}

Outcome Run(Context& context) {
  std::set<pid_t> old = SettledPool(context.sut);
  std::string why;
  auto held = OpenSession(context.sut, &why);
  if (!held) return Outcome::Fail(Say("could not hold a session: {0}", why));
  ClientLoop clients(context.sut);
  // TRANSLATORS: why the kit sent the signal, shown on the case's timeline.
  context.sut.Signal(SIGHUP, Tr("asks to replace the workers"));
  bool replaced = PollUntil([&] { return Replaced(context.sut, old, held->child); }, Scaled(Millis(5000)), Millis(5));
  std::string held_served = context.sut.protocol().Hold(held->client, Scaled(Millis(2000)));
  held->client.Close();
  bool held_left = AwaitEnded({held->child}, Scaled(Millis(3000))).empty();
  clients.Stop();
  if (!ServerRunning(context.sut)) return Outcome::Fail(Tr("the server exited on SIGHUP"));
  if (!held_served.empty())
    return Outcome::Fail(Say("the session held through SIGHUP was cut: {0}", held_served));
  if (clients.unserved() > 0)
    return Outcome::Fail(Say("{0} of {1} clients that connected during the replacement were not served: {2}",
                             clients.unserved(), clients.tried(), clients.last_why()));
  if (!replaced && !held_left)
    return Outcome::Fail(
        Tr("5000 ms after SIGHUP the old workers still ran; the one whose session ended did not leave"));
  if (!replaced) return Outcome::Fail(Tr("5000 ms after SIGHUP the old workers still ran"));
  if (!held_left) return Outcome::Fail(Tr("5000 ms after SIGHUP the old worker whose session ended did not leave"));
  return Outcome::Pass(Say("SIGHUP replaced all {0} workers; the held session kept being served and all {1} clients "
                           "meanwhile were served",
                           old.size(), clients.tried()));
}

}  // namespace

FORKCHECK_SCENARIO(pref_4, kPref4, Run);

}  // namespace forkcheck
