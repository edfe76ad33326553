#ifndef FORKCHECK_CONFORMANCE_INJECT_FAULT_PLAN_H_
#define FORKCHECK_CONFORMANCE_INJECT_FAULT_PLAN_H_

#include <sys/types.h>

#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "conformance/harness/event_log.h"

namespace forkcheck {

enum class Family { kFork, kAccept, kRead, kWrite, kWaitpid };
enum class Role { kAny, kParent, kChildren };

const char* FamilyName(Family family);
const char* RoleName(Role role);
// "EINTR", "EAGAIN", ... (the number for anything else).
std::string ErrnoName(int error);

// What to do to the calls of one family: let `skip` matching calls through,
// then fail `count` of them (-1: until disarmed) with `error`, only every
// `every`th one if every > 1. `short_max` > 0 caps each read/write at that
// many bytes (no error), for as long as the rule is armed.
struct FaultRule {
  int error = 0;
  long skip = 0;
  long count = 1;
  long every = 1;
  int short_max = 0;
  Role role = Role::kAny;
  // fork only: after it returns, sleep `delay_ms` in the parent or (with
  // `delay_child`) in the new child; `role` says whose fork() calls.
  int delay_ms = 0;
  bool delay_child = false;
};

// What a backend saw of one family in one role. Only faults the kernel
// could give the caller in its state are injected (SPEC.md, "What the kit
// injects"); the calls a rule had to spare are counted by reason.
struct FaultCounts {
  long calls = 0;         // every call
  long candidates = 0;    // calls an armed rule looked at
  long cannot_block = 0;  // EINTR armed, the call returned at once (WNOHANG, O_NONBLOCK, ready)
  long restarting = 0;    // EINTR armed, it would block, but no signal could interrupt it
  long injected = 0;
  long shortened = 0;
  long uncuttable = 0;    // write cap armed, but the kernel would not cut that write
  long delayed = 0;       // forks whose return was delayed (perturbation)
  bool counted = true;    // false when the backend cannot count calls
  bool every_call = true; // false when only calls seen asleep are counted (signals)
  FaultCounts Since(const FaultCounts& before) const;
};

// One way of reaching the server's system calls (preload, strace).
class FaultBackend {
 public:
  virtual ~FaultBackend() = default;
  virtual const char* name() const = 0;
  // Variables the server must be started with.
  virtual std::vector<std::string> Environment() const { return {}; }
  // Called once the server runs.
  virtual bool Attach(pid_t /*server*/, std::string* /*error*/) { return true; }
  virtual bool Arm(Family family, const FaultRule& rule, std::string* error) = 0;
  virtual void Disarm(Family family) = 0;
  virtual FaultCounts Counts(Family family, Role role) const = 0;
  // How a rule's faults come about, when not by faking the call's result.
  virtual std::string Method(Family /*family*/, const FaultRule& /*rule*/) const { return ""; }
};

// The faults of one case: a backend plus a record of what was armed, so the
// report can say exactly what was injected.
class FaultPlan {
 public:
  // The preload backend, its control block a file in `workdir`.
  static std::unique_ptr<FaultPlan> Create(const std::string& workdir, std::string* error);
  // The first backend that reaches `program` (preload for a dynamic binary,
  // strace for a static one); null with the reason when none does.
  // Only the backends named in `allowed` ("preload", "strace") are tried.
  static std::unique_ptr<FaultPlan> ForProgram(const std::string& program, const std::string& workdir,
                                               const std::set<std::string>& allowed,
                                               std::string* why);
  explicit FaultPlan(std::unique_ptr<FaultBackend> backend);
  ~FaultPlan();

  const char* backend() const { return backend_->name(); }
  std::vector<std::string> Environment() const { return backend_->Environment(); }
  bool Attach(pid_t server, std::string* error) { return backend_->Attach(server, error); }
  // Each rule armed, and what it injected once disarmed, go into `log`.
  void LogTo(std::shared_ptr<EventLog> log) { events_ = std::move(log); }
  bool Arm(Family family, const FaultRule& rule, std::string* error = nullptr);
  void Disarm(Family family);
  void DisarmAll();
  FaultCounts Counts(Family family, Role role = Role::kAny) const { return backend_->Counts(family, role); }
  long Calls(Family family, Role role = Role::kAny) const { return Counts(family, role).calls; }
  long Injected(Family family, Role role = Role::kAny) const { return Counts(family, role).injected; }
  long Shortened(Family family, Role role = Role::kAny) const { return Counts(family, role).shortened; }
  // What the rules armed for `family` so far injected and spared, summed.
  FaultCounts ArmedCounts(Family family) const;
  // e.g. "preload: fork EAGAIN x3 [parent]; waitpid EINTR x0 [parent] (all
  // 12 calls could not block: WNOHANG or a child ready; EINTR cannot occur)".
  std::string Describe() const;

 private:
  struct Armed {
    Family family;
    FaultRule rule;
    FaultCounts before;
    FaultCounts after;
    bool open = true;
    FaultCounts Seen(const FaultBackend& backend) const;
  };
  void Close(Armed& armed);
  std::string DescribeArmed(const Armed& armed) const;
  std::unique_ptr<FaultBackend> backend_;
  std::vector<Armed> log_;
  std::shared_ptr<EventLog> events_;
};

// "accept EINTR up to 3 times [parent]": a rule as armed.
std::string DescribeRule(Family family, const FaultRule& rule);

// "(all 37 calls could not block: WNOHANG or a child ready; EINTR cannot
// occur)": why a rule injected fewer faults than asked, "" if nothing spared.
std::string SparedReasons(Family family, const FaultRule& rule, const FaultCounts& seen);

// A number in [lo, hi] drawn from `random`: fault schedules derive from the
// case seed so --seed reproduces them.
long PickInRange(std::mt19937_64& random, long lo, long hi);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_INJECT_FAULT_PLAN_H_
