#include "property_tests/reaper_case.h"

#include <signal.h>

#include <string>
#include <utility>

namespace forkcheck {

int ReaperCase::Together() const {
  int n = 0;
  for (const ChildPlan& plan : children) n += plan.timing == ChildPlan::Timing::kTogether;
  return n;
}

std::ostream& operator<<(std::ostream& os, const ChildPlan& plan) {
  os << ExpectedDescription(plan);
  switch (plan.timing) {
    case ChildPlan::Timing::kTogether:
      return os << ", released together";
    case ChildPlan::Timing::kImmediate:
      return os << ", at once";
    case ChildPlan::Timing::kDelayed:
      return os << ", after " << plan.delay_ms << " ms";
  }
  return os;
}

std::ostream& operator<<(std::ostream& os, const ExtraSignal& extra) {
  return os << (extra.signo == SIGCHLD ? "SIGCHLD" : extra.signo == SIGALRM ? "SIGALRM" : "signal ")
            << (extra.signo == SIGCHLD || extra.signo == SIGALRM ? "" : std::to_string(extra.signo))
            << " at " << extra.at_ms << " ms";
}

std::ostream& operator<<(std::ostream& os, const ReaperCase& c) {
  os << c.children.size() << (c.children.size() == 1 ? " child (" : " children (") << c.Together() << " released together at "
     << c.release_ms << " ms): [";
  for (size_t i = 0; i < c.children.size(); ++i) os << (i ? "; " : "") << c.children[i];
  os << "], extra signals to the parent: [";
  for (size_t i = 0; i < c.extras.size(); ++i) os << (i ? "; " : "") << c.extras[i];
  return os << "]";
}

std::string ExpectedDescription(const ChildPlan& plan) {
  return plan.by_signal ? "killed by signal " + std::to_string(plan.value)
                        : "exited with status " + std::to_string(plan.value);
}

const std::vector<int>& ChildDeathSignals() {
  static const std::vector<int> signals = {SIGKILL, SIGTERM, SIGUSR1, SIGSEGV, SIGUSR2,
                                           SIGHUP,  SIGINT,  SIGABRT, SIGPIPE, SIGQUIT};
  return signals;
}

// Every choice is an inRange index: rapidcheck shrinks those towards 0 (this
// version's elementOf and oneOf do not shrink across elements), so children
// shrink to "exit 0, released together" and cases to fewer children.
rc::Gen<ChildPlan> GenChildPlan() {
  // inRange depends on the size: fix it, so codes, signals and delays are
  // uniform over their whole range from the first case on.
  using Timing = ChildPlan::Timing;
  const int signals = static_cast<int>(ChildDeathSignals().size());
  auto fate = rc::gen::mapcat(rc::gen::inRange(0, 2), [signals](int by_signal) {
    if (!by_signal) return rc::gen::map(rc::gen::inRange(0, 256), [](int code) { return std::make_pair(false, code); });
    return rc::gen::map(rc::gen::inRange(0, signals),
                        [](int i) { return std::make_pair(true, ChildDeathSignals()[static_cast<size_t>(i)]); });
  });
  auto timing = rc::gen::mapcat(rc::gen::inRange(0, 3), [](int kind) {
    if (kind != 2) return rc::gen::just(std::make_pair(static_cast<Timing>(kind), 0));
    return rc::gen::map(rc::gen::inRange(0, 21), [](int ms) { return std::make_pair(Timing::kDelayed, ms); });
  });
  auto plan = rc::gen::map(rc::gen::pair(fate, timing), [](std::pair<std::pair<bool, int>, std::pair<Timing, int>> p) {
    ChildPlan plan;
    plan.by_signal = p.first.first;
    plan.value = p.first.second;
    plan.timing = p.second.first;
    plan.delay_ms = p.second.second;
    return plan;
  });
  return rc::gen::resize(100, plan);
}

rc::Gen<ReaperCase> GenReaperCase(int max_children) {
  // 1..max_children, growing with rapidcheck's size (0..100).
  auto children = rc::gen::nonEmpty(
      rc::gen::scale(max_children / 100.0, rc::gen::container<std::vector<ChildPlan>>(GenChildPlan())));
  auto extra = rc::gen::resize(100, rc::gen::map(rc::gen::pair(rc::gen::inRange(0, 2), rc::gen::inRange(0, 31)), [](std::pair<int, int> p) {
    return ExtraSignal{p.first ? SIGALRM : SIGCHLD, p.second};
  }));
  auto extras = rc::gen::scale(0.08, rc::gen::container<std::vector<ExtraSignal>>(extra));
  // Children first: rapidcheck shrinks a tuple's members in order, and
  // dropping children is what makes a counterexample small.
  return rc::gen::map(rc::gen::tuple(children, extras, rc::gen::resize(100, rc::gen::inRange(0, 21))),
                      [](std::tuple<std::vector<ChildPlan>, std::vector<ExtraSignal>, int> t) {
                        ReaperCase c;
                        c.children = std::move(std::get<0>(t));
                        c.extras = std::move(std::get<1>(t));
                        c.release_ms = std::get<2>(t);
                        return c;
                      });
}

}  // namespace forkcheck
