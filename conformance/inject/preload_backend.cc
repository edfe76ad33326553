#include "conformance/inject/preload_backend.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "conformance/inject/fault_block.h"
#include "conformance/l10n/tr.h"

namespace forkcheck {
namespace {

int RoleValue(Role role) {
  switch (role) {
    case Role::kParent: return FC_ROLE_PARENT;
    case Role::kChildren: return FC_ROLE_CHILDREN;
    case Role::kAny: break;
  }
  return FC_ROLE_ANY;
}

template <typename T>
void Store(T* field, T value) { __atomic_store_n(field, value, __ATOMIC_RELEASE); }

template <typename T>
T Load(const T* field) { return __atomic_load_n(field, __ATOMIC_ACQUIRE); }

void AddRole(const fc_counts& role, FaultCounts* sum) {
  sum->calls += Load(&role.calls);
  sum->candidates += Load(&role.candidates);
  sum->cannot_block += Load(&role.cannot_block);
  sum->restarting += Load(&role.restarting);
  sum->injected += Load(&role.injected);
  sum->shortened += Load(&role.shortened);
  sum->uncuttable += Load(&role.uncuttable);
  sum->delayed += Load(&role.delayed);
}

class PreloadBackend : public FaultBackend {
 public:
  PreloadBackend(std::string library, std::string path, fc_block* block)
      : library_(std::move(library)), path_(std::move(path)), block_(block) {}
  ~PreloadBackend() override { munmap(block_, sizeof *block_); }

  const char* name() const override { return "preload"; }
  std::vector<std::string> Environment() const override {
    return {"LD_PRELOAD=" + library_, "FORKCHECK_FAULTS=" + path_};
  }

  bool Arm(Family family, const FaultRule& rule, std::string*) override {
    fc_rule& slot = block_->rules[static_cast<int>(family)];
    // Disarmed while the fields change, so no call sees half a rule.
    Store(&slot.armed, 0);
    Store(&slot.error, rule.error);
    Store(&slot.role, RoleValue(rule.role));
    Store(&slot.short_max, rule.short_max);
    Store(&slot.every, rule.every);
    Store(&slot.skip, rule.skip);
    Store(&slot.count, rule.count);
    Store(&slot.seen, 0L);
    Store(&slot.delay_ms, rule.delay_ms);
    Store(&slot.delay_child, rule.delay_child ? 1 : 0);
    Store(&slot.armed, 1);
    return true;
  }
  void Disarm(Family family) override { Store(&block_->rules[static_cast<int>(family)].armed, 0); }
  FaultCounts Counts(Family family, Role role) const override {
    const fc_counts* per_role = block_->counts[static_cast<int>(family)];
    FaultCounts sum;
    if (role != Role::kChildren) AddRole(per_role[FC_PARENT], &sum);
    if (role != Role::kParent) AddRole(per_role[FC_CHILD], &sum);
    return sum;
  }

 private:
  std::string library_, path_;
  fc_block* block_;
};

}  // namespace

std::unique_ptr<FaultBackend> MakePreloadBackend(const std::string& library, const std::string& workdir,
                                                 std::string* error) {
  std::string path = workdir + "/forkcheck_faults";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || ftruncate(fd, sizeof(fc_block)) != 0) {
    *error = Say("cannot create {0}: {1}", path, std::strerror(errno));
    if (fd >= 0) close(fd);
    return nullptr;
  }
  void* map = mmap(nullptr, sizeof(fc_block), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (map == MAP_FAILED) {
    *error = Say("cannot map {0}: {1}", path, std::strerror(errno));
    return nullptr;
  }
  auto* block = static_cast<fc_block*>(map);
  Store(&block->magic, FC_MAGIC);
  return std::make_unique<PreloadBackend>(library, path, block);
}

}  // namespace forkcheck
