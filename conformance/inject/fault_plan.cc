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

FaultPlan::FaultPlan(std::unique_ptr<FaultBackend> backend) : backend_(std::move(backend)) {}

FaultPlan::~FaultPlan() { DisarmAll(); }

bool FaultPlan::Arm(Family family, const FaultRule& rule, std::string* error) {
  Disarm(family);
  std::string ignored;
  if (!backend_->Arm(family, rule, error ? error : &ignored)) return false;
  log_.push_back({family, rule, backend_->Injected(family, rule.role), -2,
                  backend_->Shortened(family, rule.role), -2});
  return true;
}

void FaultPlan::Close(Armed& armed) {
  if (armed.injected_after != -2) return;
  armed.injected_after = backend_->Injected(armed.family, armed.rule.role);
  armed.shortened_after = backend_->Shortened(armed.family, armed.rule.role);
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

long FaultPlan::Injected(Family family, Role role) const { return backend_->Injected(family, role); }

std::string FaultPlan::Describe() const {
  std::string text = std::string(backend_->name()) + ":";
  if (log_.empty()) return text + " nothing armed";
  for (size_t i = 0; i < log_.size(); ++i) {
    const Armed& armed = log_[i];
    bool open = armed.injected_after == -2;
    long injected = (open ? backend_->Injected(armed.family, armed.rule.role) : armed.injected_after) -
                    armed.injected_before;
    long shortened = (open ? backend_->Shortened(armed.family, armed.rule.role) : armed.shortened_after) -
                     armed.shortened_before;
    text += std::string(i ? ";" : "") + " " + FamilyName(armed.family);
    if (armed.rule.error != 0) {
      text += " " + ErrnoName(armed.rule.error) + " x" + (injected < 0 ? "?" : std::to_string(injected));
      if (armed.rule.every > 1) text += " (1 call in " + std::to_string(armed.rule.every) + ")";
    }
    if (armed.rule.short_max > 0)
      text += " short transfers (<= " + std::to_string(armed.rule.short_max) + " bytes) x" +
              (shortened < 0 ? "?" : std::to_string(shortened));
    text += std::string(" [") + RoleName(armed.rule.role) + "]";
  }
  return text;
}

long PickInRange(std::mt19937_64& random, long lo, long hi) {
  if (hi <= lo) return lo;
  return lo + static_cast<long>(random() % static_cast<uint64_t>(hi - lo + 1));
}

}  // namespace forkcheck
