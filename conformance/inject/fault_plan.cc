#include "conformance/inject/fault_plan.h"

#include <cerrno>
#include <cstring>

#include "conformance/inject/preload_backend.h"
#include "conformance/inject/strace_backend.h"
#include "conformance/l10n/tr.h"

namespace forkcheck {

const char* FamilyName(Family family) {
  switch (family) {
    case Family::kFork: return "fork";
    case Family::kAccept: return "accept";
    case Family::kRead: return "read";
    case Family::kWrite: return "write";
    case Family::kWaitpid: return "waitpid";
  }
  return "?";
}

const char* RoleName(Role role) {
  switch (role) {
    // TRANSLATORS: whose calls a fault rule hits, shown in brackets: "fork EAGAIN x3 [parent]".
    case Role::kAny: return Tr("any process");
    case Role::kParent: return Tr("parent");
    case Role::kChildren: return Tr("children");
  }
  return "?";
}

std::string ErrnoName(int error) {
  switch (error) {
    case EINTR: return "EINTR";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case ECONNABORTED: return "ECONNABORTED";
    case EMFILE: return "EMFILE";
    case ENFILE: return "ENFILE";
  }
  return "errno " + std::to_string(error);
}

std::unique_ptr<FaultPlan> FaultPlan::Create(const std::string& workdir, std::string* error) {
  std::string library = FindPreloadLibrary();
  if (library.empty()) {
    *error = Tr("libforkcheck_inject.so not found next to this binary");
    return nullptr;
  }
  std::unique_ptr<FaultBackend> backend = MakePreloadBackend(library, workdir, error);
  return backend ? std::make_unique<FaultPlan>(std::move(backend)) : nullptr;
}

std::unique_ptr<FaultPlan> FaultPlan::ForProgram(const std::string& program, const std::string& workdir,
                                                 const std::set<std::string>& allowed, std::string* why) {
  std::string no_preload = Tr("not selected (--backends)");
  if (allowed.count("preload") && PreloadReaches(program, &no_preload)) return Create(workdir, why);
  std::string no_strace = Tr("not selected (--backends)");
  if (allowed.count("strace"))
    if (auto backend = MakeStraceBackend(workdir, &no_strace)) return std::make_unique<FaultPlan>(std::move(backend));
  // TRANSLATORS: {0} and {1} say why each backend (preload, strace) does not reach the server.
  *why = Say("no fault-injection backend reaches the server: preload: {0}; strace: {1}", no_preload, no_strace);
  return nullptr;
}

FaultCounts FaultCounts::Since(const FaultCounts& before) const {
  FaultCounts diff;
  diff.calls = calls - before.calls;
  diff.candidates = candidates - before.candidates;
  diff.cannot_block = cannot_block - before.cannot_block;
  diff.restarting = restarting - before.restarting;
  diff.injected = injected - before.injected;
  diff.shortened = shortened - before.shortened;
  diff.uncuttable = uncuttable - before.uncuttable;
  diff.delayed = delayed - before.delayed;
  diff.counted = counted && before.counted;
  diff.every_call = every_call && before.every_call;
  return diff;
}

FaultPlan::FaultPlan(std::unique_ptr<FaultBackend> backend) : backend_(std::move(backend)) {}

FaultPlan::~FaultPlan() { DisarmAll(); }

bool FaultPlan::Arm(Family family, const FaultRule& rule, std::string* error) {
  Disarm(family);
  std::string ignored;
  // Counted before arming: a backend may inject while it attaches (strace
  // restarts the call the server sleeps in, and that call meets the rule).
  FaultCounts before = backend_->Counts(family, rule.role);
  if (!backend_->Arm(family, rule, error ? error : &ignored)) return false;
  log_.push_back({family, rule, before, {}, true});
  if (events_) events_->Add(EventKind::kFaultArmed, 0, 0, std::string(backend_->name()) + ": " + DescribeRule(family, rule));
  return true;
}

void FaultPlan::Close(Armed& armed) {
  if (!armed.open) return;
  armed.after = backend_->Counts(armed.family, armed.rule.role);
  armed.open = false;
  if (events_) events_->Add(EventKind::kFaultResult, 0, 0, std::string(backend_->name()) + ":" + DescribeArmed(armed));
}

void FaultPlan::Disarm(Family family) {
  backend_->Disarm(family);
  for (Armed& armed : log_)
    if (armed.family == family) Close(armed);
}

void FaultPlan::DisarmAll() {
  for (Family family : {Family::kFork, Family::kAccept, Family::kRead, Family::kWrite, Family::kWaitpid})
    Disarm(family);
}

FaultCounts FaultPlan::Armed::Seen(const FaultBackend& backend) const {
  return (open ? backend.Counts(family, rule.role) : after).Since(before);
}

FaultCounts FaultPlan::ArmedCounts(Family family) const {
  FaultCounts total;
  for (const Armed& armed : log_) {
    if (armed.family != family) continue;
    FaultCounts seen = armed.Seen(*backend_);
    total.calls += seen.calls;
    total.candidates += seen.candidates;
    total.cannot_block += seen.cannot_block;
    total.restarting += seen.restarting;
    total.injected += seen.injected;
    total.shortened += seen.shortened;
    total.uncuttable += seen.uncuttable;
    total.delayed += seen.delayed;
    total.counted = total.counted && seen.counted;
    total.every_call = total.every_call && seen.every_call;
  }
  return total;
}

namespace {

const char* ReturnsAtOnce(Family family) {
  switch (family) {
    // TRANSLATORS: why a call returned at once instead of blocking (so no signal could interrupt it).
    case Family::kWaitpid: return Tr("WNOHANG, a child ready, or no child");
    case Family::kAccept: return Tr("a client queued or a non-blocking socket");
    case Family::kRead: return Tr("data ready or a non-blocking socket");
    case Family::kWrite: return Tr("room to write or a non-blocking socket");
    case Family::kFork: break;
  }
  return "";
}

std::string Count(long n) { return n < 0 ? "?" : std::to_string(n); }

}  // namespace

std::string SparedReasons(Family family, const FaultRule& rule, const FaultCounts& seen) {
  std::vector<std::string> reasons;
  if (rule.error == EINTR && seen.counted) {
    bool all = seen.injected == 0 && seen.cannot_block + seen.restarting == seen.candidates;
    // TRANSLATORS: {2} is why the calls returned at once ("WNOHANG, a child ready, or no child").
    if (seen.cannot_block > 0 && all && seen.restarting == 0)
      reasons.push_back(Say("all {0} of {1} calls could not block ({2})", Count(seen.cannot_block),
                            Count(seen.candidates), ReturnsAtOnce(family)));
    else if (seen.cannot_block > 0)
      reasons.push_back(Say("{0} of {1} calls could not block ({2})", Count(seen.cannot_block), Count(seen.candidates),
                            ReturnsAtOnce(family)));
    if (seen.restarting > 0)
      reasons.push_back(Say("{0} would block, but no caught and unblocked signal without SA_RESTART could interrupt "
                            "them",
                            Count(seen.restarting)));
    if (seen.candidates == 0)
      reasons.push_back(seen.every_call ? Tr("no call while armed") : Tr("no call seen asleep while armed"));
    // TRANSLATORS: {0} is the last reason a rule injected nothing ("no call while armed").
    if (seen.injected == 0 && !reasons.empty()) reasons.back() = Say("{0}: EINTR cannot occur", reasons.back());
  }
  if (rule.short_max > 0 && seen.uncuttable > 0)
    reasons.push_back(Say("{0} writes left whole: a blocking socket and no caught signal, so the kernel would not cut "
                          "them short",
                          Count(seen.uncuttable)));
  std::string text;
  for (const std::string& reason : reasons) text += (text.empty() ? "" : "; ") + reason;
  return text.empty() ? "" : "(" + text + ")";
}

namespace {

// The parts of a rule's description, each a phrase of its own: "fork",
// then "EAGAIN up to 3 times", "1 call in 2", "returns delayed 20 ms in the
// parent", "short transfers (<= 7 bytes)", then the role in brackets.
std::string DelayedPhrase(const FaultRule& rule) {
  // TRANSLATORS: a fault rule on fork(): the call returns only after a delay in that process.
  return rule.delay_child ? Say("returns delayed {0} ms in the child", rule.delay_ms)
                          : Say("returns delayed {0} ms in the parent", rule.delay_ms);
}

// TRANSLATORS: a fault rule on read()/write(): each call moves at most {0} bytes.
std::string ShortPhrase(const FaultRule& rule) { return Say("short transfers (<= {0} bytes)", rule.short_max); }

// TRANSLATORS: a fault rule fails only one call in every {0}.
std::string OneInPhrase(const FaultRule& rule) { return Say("1 call in {0}", rule.every); }

}  // namespace

std::string DescribeRule(Family family, const FaultRule& rule) {
  std::string text = FamilyName(family);
  // TRANSLATORS: {0} is an errno name (EINTR, EAGAIN); a fault rule as armed.
  if (rule.error != 0 && rule.count < 0) text += " " + Say("{0} on every call", ErrnoName(rule.error));
  else if (rule.error != 0) text += " " + Say("{0} up to {1} times", ErrnoName(rule.error), Count(rule.count));
  if (rule.every > 1) text += ", " + OneInPhrase(rule);
  if (rule.delay_ms > 0) text += " " + DelayedPhrase(rule);
  if (rule.short_max > 0) text += " " + ShortPhrase(rule);
  return text + " [" + RoleName(rule.role) + "]";
}

std::string FaultPlan::Describe() const {
  std::string text = std::string(backend_->name()) + ":";
  if (log_.empty()) return text + " " + Tr("nothing armed");
  for (size_t i = 0; i < log_.size(); ++i) text += std::string(i ? ";" : "") + DescribeArmed(log_[i]);
  return text;
}

// " accept EINTR x3 [parent] (...)": one rule and what it did so far.
std::string FaultPlan::DescribeArmed(const Armed& armed) const {
  FaultCounts seen = armed.Seen(*backend_);
  std::string text = std::string(" ") + FamilyName(armed.family);
  if (armed.rule.error != 0) {
    text += " " + ErrnoName(armed.rule.error) + " x" + (seen.counted ? Count(seen.injected) : "?");
    if (armed.rule.every > 1) text += " (" + OneInPhrase(armed.rule) + ")";
  }
  if (armed.rule.delay_ms > 0) text += " " + DelayedPhrase(armed.rule) + " x" + (seen.counted ? Count(seen.delayed) : "?");
  if (armed.rule.short_max > 0)
    text += " " + ShortPhrase(armed.rule) + " x" + (seen.counted ? Count(seen.shortened) : "?");
  text += std::string(" [") + RoleName(armed.rule.role) + "]";
  if (std::string method = backend_->Method(armed.family, armed.rule); !method.empty()) text += " " + method;
  if (std::string spared = SparedReasons(armed.family, armed.rule, seen); !spared.empty()) text += " " + spared;
  return text;
}

long PickInRange(std::mt19937_64& random, long lo, long hi) {
  if (hi <= lo) return lo;
  return lo + static_cast<long>(random() % static_cast<uint64_t>(hi - lo + 1));
}

}  // namespace forkcheck
