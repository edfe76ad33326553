#include "conformance/inject/fault_plan.h"

#include <cerrno>
#include <cstring>

#include "conformance/inject/preload_backend.h"
#include "conformance/inject/strace_backend.h"

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
    case Role::kAny: return "any process";
    case Role::kParent: return "parent";
    case Role::kChildren: return "children";
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
    *error = "libforkcheck_inject.so not found next to this binary";
    return nullptr;
  }
  std::unique_ptr<FaultBackend> backend = MakePreloadBackend(library, workdir, error);
  return backend ? std::make_unique<FaultPlan>(std::move(backend)) : nullptr;
}

std::unique_ptr<FaultPlan> FaultPlan::ForProgram(const std::string& program, const std::string& workdir,
                                                 const std::set<std::string>& allowed, std::string* why) {
  std::string no_preload = "not selected (--backends)";
  if (allowed.count("preload") && PreloadReaches(program, &no_preload)) return Create(workdir, why);
  std::string no_strace = "not selected (--backends)";
  if (allowed.count("strace"))
    if (auto backend = MakeStraceBackend(workdir, &no_strace)) return std::make_unique<FaultPlan>(std::move(backend));
  *why = "no fault-injection backend reaches the server: preload: " + no_preload + "; strace: " + no_strace;
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
    case Family::kWaitpid: return "WNOHANG, a child ready, or no child";
    case Family::kAccept: return "a client queued or a non-blocking socket";
    case Family::kRead: return "data ready or a non-blocking socket";
    case Family::kWrite: return "room to write or a non-blocking socket";
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
    if (seen.cannot_block > 0)
      reasons.push_back((all && seen.restarting == 0 ? "all " : "") + Count(seen.cannot_block) + " of " +
                        Count(seen.candidates) + " calls could not block (" + ReturnsAtOnce(family) + ")");
    if (seen.restarting > 0)
      reasons.push_back(Count(seen.restarting) + " would block, but no caught and unblocked signal without "
                        "SA_RESTART could interrupt them");
    if (seen.candidates == 0)
      reasons.push_back(seen.every_call ? "no call while armed" : "no call seen asleep while armed");
    if (seen.injected == 0 && !reasons.empty()) reasons.back() += ": EINTR cannot occur";
  }
  if (rule.short_max > 0 && seen.uncuttable > 0)
    reasons.push_back(Count(seen.uncuttable) + " writes left whole: a blocking socket and no caught signal, "
                      "so the kernel would not cut them short");
  std::string text;
  for (const std::string& reason : reasons) text += (text.empty() ? "" : "; ") + reason;
  return text.empty() ? "" : "(" + text + ")";
}

std::string DescribeRule(Family family, const FaultRule& rule) {
  std::string text = FamilyName(family);
  if (rule.error != 0) text += " " + ErrnoName(rule.error) + (rule.count < 0 ? " on every call" : " up to " + Count(rule.count) + " times");
  if (rule.every > 1) text += ", 1 call in " + std::to_string(rule.every);
  if (rule.delay_ms > 0)
    text += " returns delayed " + std::to_string(rule.delay_ms) + " ms in the " + (rule.delay_child ? "child" : "parent");
  if (rule.short_max > 0) text += " short transfers (<= " + std::to_string(rule.short_max) + " bytes)";
  return text + " [" + RoleName(rule.role) + "]";
}

std::string FaultPlan::Describe() const {
  std::string text = std::string(backend_->name()) + ":";
  if (log_.empty()) return text + " nothing armed";
  for (size_t i = 0; i < log_.size(); ++i) text += std::string(i ? ";" : "") + DescribeArmed(log_[i]);
  return text;
}

// " accept EINTR x3 [parent] (...)": one rule and what it did so far.
std::string FaultPlan::DescribeArmed(const Armed& armed) const {
  FaultCounts seen = armed.Seen(*backend_);
  std::string text = std::string(" ") + FamilyName(armed.family);
  if (armed.rule.error != 0) {
    text += " " + ErrnoName(armed.rule.error) + " x" + (seen.counted ? Count(seen.injected) : "?");
    if (armed.rule.every > 1) text += " (1 call in " + std::to_string(armed.rule.every) + ")";
  }
  if (armed.rule.delay_ms > 0)
    text += std::string(" returns delayed ") + std::to_string(armed.rule.delay_ms) + " ms in the " +
            (armed.rule.delay_child ? "child" : "parent") + " x" + (seen.counted ? Count(seen.delayed) : "?");
  if (armed.rule.short_max > 0)
    text += " short transfers (<= " + std::to_string(armed.rule.short_max) + " bytes) x" +
            (seen.counted ? Count(seen.shortened) : "?");
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
