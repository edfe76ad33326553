#include "conformance/l10n/catalogue_dir.h"

#include <limits.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "conformance/l10n/language.h"

namespace forkcheck {
namespace {

std::string ExecutableDir() {
  char path[PATH_MAX];
  ssize_t length = readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (length <= 0) return "";
  std::string exe(path, static_cast<size_t>(length));
  return exe.substr(0, exe.rfind('/'));
}

bool HoldsCatalogue(const std::string& dir, const std::string& language) {
  std::string mo = dir + "/" + language + "/LC_MESSAGES/" + kTextDomain + ".mo";
  return access(mo.c_str(), R_OK) == 0;
}

}  // namespace

std::string CatalogueDir(const std::string& language) {
  std::vector<std::string> candidates;
  if (const char* dir = getenv("FORKCHECK_LOCALEDIR"); dir != nullptr && *dir != '\0') candidates.push_back(dir);
  std::string exe_dir = ExecutableDir();
  if (!exe_dir.empty()) {
    candidates.push_back(exe_dir + "/locale");
    candidates.push_back(exe_dir + "/../share/locale");
  }
  for (const std::string& dir : candidates)
    if (HoldsCatalogue(dir, language)) return dir;
  return "";
}

}  // namespace forkcheck
