#include "conformance/child_lives.h"

#include <sys/wait.h>

#include <algorithm>
#include <map>

#include "conformance/l10n/tr.h"
#include "conformance/markup.h"

namespace forkcheck {

bool ChildLife::EndedAbnormally() const {
  return status >= 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

double ChildLife::ZombieMs(double case_end_ms) const {
  if (exited_ms < 0 || (torn_down && reaped_ms < 0)) return 0;
  return (reaped_ms >= 0 ? reaped_ms : std::max(case_end_ms, exited_ms)) - exited_ms;
}

double ChildLife::FirstSeenMs() const {
  for (double at : {forked_ms, exited_ms, reaped_ms})
    if (at >= 0) return at;
  return 0;
}

namespace {

bool ByFirstSeen(const ChildLife& a, const ChildLife& b) { return a.FirstSeenMs() < b.FirstSeenMs(); }

// Which life an event about `pid` belongs to: its current one, or a new one
// when the pid was never seen or was reaped already (pids are reused).
ChildLife& LifeOf(pid_t pid, bool forked, std::vector<ChildLife>* lives, std::map<pid_t, size_t>* current) {
  auto found = current->find(pid);
  if (found != current->end()) {
    ChildLife& life = (*lives)[found->second];
    if (life.reaped_ms < 0 && !(forked && life.exited_ms >= 0)) return life;
  }
  (*current)[pid] = lives->size();
  lives->push_back(ChildLife{});
  lives->back().pid = pid;
  return lives->back();
}

double TeardownStart(const std::vector<Event>& events, pid_t server_pid) {
  for (const Event& event : events)
    if (event.kind == EventKind::kTeardown || (event.kind == EventKind::kServerEnded && event.pid == server_pid))
      return event.at_ms;
  return -1;
}

void MarkTheEnd(double teardown_ms, double end_ms, int reap_grace_ms, std::vector<ChildLife>* lives) {
  auto alive_then = [&](double ended_ms) { return ended_ms < 0 || ended_ms >= teardown_ms; };
  for (ChildLife& life : *lives) {
    life.torn_down = teardown_ms >= 0 && alive_then(life.exited_ms) && alive_then(life.reaped_ms);
    double zombie_until = teardown_ms >= 0 ? teardown_ms : end_ms;
    life.not_due = !life.torn_down && life.exited_ms >= 0 && life.reaped_ms < 0 &&
                   zombie_until - life.exited_ms <= reap_grace_ms;
  }
}

}  // namespace

std::vector<ChildLife> ChildLives(const std::vector<Event>& events, pid_t server_pid, int reap_grace_ms) {
  std::vector<ChildLife> lives;
  std::map<pid_t, size_t> current;
  double teardown_ms = TeardownStart(events, server_pid);
  for (const Event& event : events) {
    if (event.pid == server_pid) continue;
    if (event.kind == EventKind::kForked) {
      ChildLife& life = LifeOf(event.pid, true, &lives, &current);
      if (life.forked_ms < 0) life.forked_ms = event.at_ms;
      life.parent = event.value;
    } else if (event.kind == EventKind::kExited) {
      ChildLife& life = LifeOf(event.pid, false, &lives, &current);
      if (life.exited_ms < 0) life.exited_ms = event.at_ms;
      if (event.value >= 0) life.status = event.value;
    } else if (event.kind == EventKind::kReaped) {
      LifeOf(event.pid, false, &lives, &current).reaped_ms = event.at_ms;
    } else if (event.kind == EventKind::kSignalSent && current.count(event.pid) &&
               (teardown_ms < 0 || event.at_ms < teardown_ms)) {
      ++lives[current[event.pid]].signals;
    }
  }
  MarkTheEnd(teardown_ms, events.empty() ? 0 : events.back().at_ms, reap_grace_ms, &lives);
  return lives;
}

namespace {

int Interest(const ChildLife& life) {
  if (life.NeverReaped()) return 0;
  if (life.signals > 0 || life.StillRunning() || life.not_due || (life.EndedAbnormally() && !life.torn_down))
    return 1;
  return 2;
}

}  // namespace

std::vector<ChildLife> PickLanes(std::vector<ChildLife> lives, size_t max, std::vector<ChildLife>* omitted) {
  omitted->clear();
  if (lives.size() <= max) return lives;
  std::stable_sort(lives.begin(), lives.end(), ByFirstSeen);
  std::stable_sort(lives.begin(), lives.end(),
                   [](const ChildLife& a, const ChildLife& b) { return Interest(a) < Interest(b); });
  auto rest = std::find_if(lives.begin(), lives.end(), [](const ChildLife& life) { return Interest(life) == 2; });
  // A quarter of the lanes at most for the longest zombies, so the earliest
  // children still show how the case began.
  size_t longest = std::min<size_t>(max / 4, static_cast<size_t>(lives.end() - rest));
  auto longer = [](const ChildLife& a, const ChildLife& b) { return a.ZombieMs(0) > b.ZombieMs(0); };
  std::partial_sort(rest, rest + static_cast<long>(longest), lives.end(), longer);
  while (longest > 0 && rest[static_cast<long>(longest) - 1].ZombieMs(0) <= 0) --longest;
  std::stable_sort(rest + static_cast<long>(longest), lives.end(), ByFirstSeen);
  // Never-reaped zombies take three quarters of the lanes at most, so a few
  // reaped children remain to compare them with.
  auto never = std::find_if(lives.begin(), lives.end(), [](const ChildLife& life) { return !life.NeverReaped(); });
  auto kept = lives.begin() + static_cast<long>(std::min(static_cast<size_t>(never - lives.begin()), max * 3 / 4));
  std::rotate(kept, never, lives.end());
  omitted->assign(lives.begin() + static_cast<long>(max), lives.end());
  lives.resize(max);
  std::stable_sort(lives.begin(), lives.end(), ByFirstSeen);
  return lives;
}

std::string OmittedNote(const std::vector<ChildLife>& omitted, double case_end_ms) {
  if (omitted.empty()) return "";
  size_t never = 0, running = 0, torn_down = 0, not_due = 0;
  double longest = 0;
  for (const ChildLife& life : omitted) {
    if (life.NeverReaped()) ++never;
    else if (life.StillRunning()) ++running;
    else if (life.torn_down) ++torn_down;
    else if (life.not_due) ++not_due;
    // Reaped before any 2 ms sample saw it a zombie.
    else longest = std::max(longest, life.exited_ms < 0 ? 2.0 : life.ZombieMs(case_end_ms));
  }
  size_t reaped = omitted.size() - never - running - torn_down - not_due;
  // TRANSLATORS: under a timeline whose lanes could not show every child; {1} is a time in ms.
  if (reaped == omitted.size())
    return Say("{0} more children not drawn: all reaped within {1} ms", omitted.size(), Decimal1(longest));
  std::vector<std::string> parts;
  // TRANSLATORS: the parts of "N more children not drawn: ...", joined by ", ".
  if (never > 0) parts.push_back(Say("{0} never reaped", never));
  if (running > 0) parts.push_back(Say("{0} still running at the end", running));
  if (torn_down > 0) parts.push_back(Say("{0} alive at the teardown", torn_down));
  if (not_due > 0) parts.push_back(Say("{0} zombies at the end, within the reap grace", not_due));
  if (reaped > 0) parts.push_back(Say("{0} reaped within {1} ms", reaped, Decimal1(longest)));
  std::string list;
  for (size_t i = 0; i < parts.size(); ++i) list += (i > 0 ? ", " : "") + parts[i];
  // TRANSLATORS: {1} is a list such as "20 never reaped, 40 reaped within 1 ms".
  return Say("{0} more children not drawn: {1}", omitted.size(), list);
}

}  // namespace forkcheck
