#ifndef FORKCHECK_CONFORMANCE_INJECT_STRACE_BACKEND_H_
#define FORKCHECK_CONFORMANCE_INJECT_STRACE_BACKEND_H_

#include <memory>
#include <string>

#include "conformance/inject/fault_plan.h"

namespace forkcheck {

constexpr char kStrace[] = "/usr/bin/strace";

// strace attached to the running server (-p), injecting with
// -e inject=SET:error=ERRNO:when=FIRST..LAST: reaches a statically linked
// server, which a preload cannot. Null, with the reason, when strace is
// missing or ptrace is not allowed here.
std::unique_ptr<FaultBackend> MakeStraceBackend(const std::string& workdir, std::string* why);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_INJECT_STRACE_BACKEND_H_
