#include "conformance/reference_server.h"

#include <unistd.h>

#include <cstdlib>

namespace forkcheck {
namespace {

std::string SelfExe() {
  char path[4096];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  return n > 0 ? std::string(path, static_cast<size_t>(n)) : "";
}

std::string Dirname(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

bool Executable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

}  // namespace

std::string FindReferenceServer() {
  const char* override = std::getenv("FORKCHECK_REFERENCE_SERVER");
  std::vector<std::string> candidates;
  if (override != nullptr) candidates.push_back(override);
  for (const char* variable : {"RUNFILES_DIR", "TEST_SRCDIR"})
    if (const char* dir = std::getenv(variable)) candidates.push_back(std::string(dir) + "/forkcheck/src/reference_server");
  std::string self = SelfExe();
  candidates.push_back(self + ".runfiles/forkcheck/src/reference_server");
  candidates.push_back(Dirname(Dirname(self)) + "/src/reference_server");
  candidates.push_back(Dirname(self) + "/reference_server");
  candidates.push_back(Dirname(Dirname(self)) + "/lib/forkcheck/reference_server");  // installed
  for (const std::string& candidate : candidates)
    if (Executable(candidate)) return candidate;
  return "";
}

ReferenceDeclarations ReferenceServerDeclarations(const std::string& reaper) {
  ReferenceDeclarations reference;
  reference.declared.profiles = {"core", "status", "hooks", "alarm", "limit", "shutdown"};
  // Short, since ALRM-* wait on it; long enough that no other check's held
  // session goes idle that long.
  reference.declared.idle_timeout_ms = 500;
  // FORK-2 runs three times the cap of sessions, one fork delay each.
  reference.declared.max_children = 40;
  reference.declared.shutdown_grace_ms = 2000;
  std::string server = FindReferenceServer();
  if (server.empty()) return reference;
  reference.command = {server,
                       "--port={port}",
                       "--reaper=" + reaper,
                       "--test-hooks",
                       "--idle-timeout=" + std::to_string(reference.declared.idle_timeout_ms),
                       "--max-children=" + std::to_string(reference.declared.max_children),
                       "--shutdown-grace=" + std::to_string(reference.declared.shutdown_grace_ms)};
  return reference;
}

}  // namespace forkcheck
