#ifndef FORKCHECK_CONFORMANCE_INJECT_PRELOAD_BACKEND_H_
#define FORKCHECK_CONFORMANCE_INJECT_PRELOAD_BACKEND_H_

#include <memory>
#include <string>

#include "conformance/inject/fault_plan.h"

namespace forkcheck {

// The .so in this binary's runfiles (or next to the forkcheck binary);
// empty when it cannot be found.
std::string FindPreloadLibrary();

// Whether LD_PRELOAD takes effect in `program`: not for a statically linked
// ELF (no PT_INTERP) nor a set-user/group-ID binary. `why` says which.
bool PreloadReaches(const std::string& program, std::string* why);

// The control block mapped from a new file in `workdir`.
std::unique_ptr<FaultBackend> MakePreloadBackend(const std::string& library, const std::string& workdir,
                                                 std::string* error);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_INJECT_PRELOAD_BACKEND_H_
