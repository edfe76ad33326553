#include "conformance/inject/pids_cgroup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "conformance/harness/deadline.h"
#include "conformance/l10n/tr.h"

namespace forkcheck {
namespace {

bool WriteFile(const std::string& path, const std::string& text, std::string* why) {
  std::ofstream out(path);
  out << text << std::flush;
  if (out) return true;
  if (why) *why = Say("cannot write '{0}' to {1}: {2}", text, path, std::strerror(errno));
  return false;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

// v1: its own hierarchy. v2: the unified root, if it hands pids to children.
bool FindRoot(std::string* root, bool* v2) {
  if (access("/sys/fs/cgroup/pids/cgroup.procs", W_OK) == 0) {
    *root = "/sys/fs/cgroup/pids";
    *v2 = false;
    return true;
  }
  std::string controllers = " " + ReadFile("/sys/fs/cgroup/cgroup.subtree_control") + " ";
  if (controllers.find(" pids ") != std::string::npos && access("/sys/fs/cgroup/cgroup.procs", W_OK) == 0) {
    *root = "/sys/fs/cgroup";
    *v2 = true;
    return true;
  }
  return false;
}

}  // namespace

std::unique_ptr<PidsCgroup> PidsCgroup::Create(pid_t server, std::string* why) {
  std::string root;
  bool v2 = false;
  if (!FindRoot(&root, &v2)) {
    *why = Tr("no writable cgroup pids controller (v1 /sys/fs/cgroup/pids or v2 with +pids)");
    return nullptr;
  }
  std::string path = root + "/forkcheck." + std::to_string(getpid()) + "." + std::to_string(server);
  if (mkdir(path.c_str(), 0755) != 0) {
    *why = Say("cannot create {0}: {1}", path, std::strerror(errno));
    return nullptr;
  }
  std::unique_ptr<PidsCgroup> group(new PidsCgroup(root, path, v2));
  if (!WriteFile(path + "/cgroup.procs", std::to_string(server), why)) return nullptr;
  return group;
}

// rmdir needs an empty group: every task is handed back to the root. A
// task that is exiting cannot move and keeps the group busy until it is
// gone, so this retries until the deadline.
PidsCgroup::~PidsCgroup() {
  PollUntil(
      [&] {
        for (const std::string& pid : Lines(path_ + "/cgroup.procs")) WriteFile(root_ + "/cgroup.procs", pid, nullptr);
        return rmdir(path_.c_str()) == 0 || errno == ENOENT;
      },
      Scaled(Millis(3000)), Millis(2));
}

// 0, not pids.current: a session child still exiting would free a slot
// for one more fork. A limit below the current count is allowed; it only
// refuses new tasks.
bool PidsCgroup::Freeze(std::string* why) { return WriteFile(path_ + "/pids.max", "0", why); }

bool PidsCgroup::Thaw(std::string* why) { return WriteFile(path_ + "/pids.max", "max", why); }

std::string PidsCgroup::Describe() const {
  return std::string(v2_ ? "cgroup v2" : "cgroup v1") + " pids.max (" + path_ + ")";
}

}  // namespace forkcheck
