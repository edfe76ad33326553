#ifndef FORKCHECK_CONFORMANCE_REFERENCE_SERVER_H_
#define FORKCHECK_CONFORMANCE_REFERENCE_SERVER_H_

#include <string>
#include <vector>

#include "scenarios/scenario.h"

namespace forkcheck {

// The bundled reference server is started as a process, like any server:
// found in the runfiles, or next to this binary in bazel-bin.
std::string FindReferenceServer();

struct ReferenceDeclarations {
  std::vector<std::string> command;
  Declared declared;
};

// The command line and declarations of the project's main job.
ReferenceDeclarations ReferenceServerDeclarations(const std::string& reaper = "handler");

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_REFERENCE_SERVER_H_
