#ifndef FORKCHECK_CONFORMANCE_INJECT_FAULT_PLAN_H_
#define FORKCHECK_CONFORMANCE_INJECT_FAULT_PLAN_H_

#include <sys/types.h>

#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

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
  // -1 when the backend cannot count.
  virtual long Calls(Family family, Role role) const = 0;
  virtual long Injected(Family family, Role role) const = 0;
  virtual long Shortened(Family family, Role role) const = 0;
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
  bool Arm(Family family, const FaultRule& rule, std::string* error = nullptr);
  void Disarm(Family family);
  void DisarmAll();
  long Calls(Family family, Role role = Role::kAny) const { return backend_->Calls(family, role); }
  long Injected(Family family, Role role = Role::kAny) const;
  long Shortened(Family family, Role role = Role::kAny) const { return backend_->Shortened(family, role); }
  // e.g. "preload: fork EAGAIN x3 (parent); accept EINTR x3 (parent)".
  std::string Describe() const;

 private:
  struct Armed {
    Family family;
    FaultRule rule;
    long injected_before;
    long injected_after = -2;  // -2: still armed
    long shortened_before;
    long shortened_after = -2;
  };
  void Close(Armed& armed);
  std::unique_ptr<FaultBackend> backend_;
  std::vector<Armed> log_;
};

// A number in [lo, hi] drawn from `random`: fault schedules derive from the
// case seed so --seed reproduces them.
long PickInRange(std::mt19937_64& random, long lo, long hi);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_INJECT_FAULT_PLAN_H_
