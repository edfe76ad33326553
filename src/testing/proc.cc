#include "src/testing/proc.h"

#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "src/testing/poll_until.h"

namespace forkcheck::testing {

bool ReadProc(pid_t pid, ProcInfo* info) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return false;
  // comm may contain spaces and parentheses: parse after the last ')'.
  size_t close = text.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream rest(text.substr(close + 1));
  info->pid = pid;
  rest >> info->state >> info->ppid;
  return static_cast<bool>(rest);
}

std::vector<ProcInfo> ChildrenOf(pid_t parent) {
  std::vector<ProcInfo> out;
  DIR* dir = opendir("/proc");
  if (dir == nullptr) return out;
  while (dirent* entry = readdir(dir)) {
    char* end;
    long pid = strtol(entry->d_name, &end, 10);
    if (*end != '\0' || pid <= 0) continue;
    ProcInfo info;
    if (ReadProc(static_cast<pid_t>(pid), &info) && info.ppid == parent) {
      out.push_back(info);
    }
  }
  closedir(dir);
  return out;
}

int CountZombieChildren(pid_t parent) {
  int n = 0;
  for (const ProcInfo& p : ChildrenOf(parent)) n += p.state == 'Z';
  return n;
}

int CountLiveChildren(pid_t parent) {
  int n = 0;
  for (const ProcInfo& p : ChildrenOf(parent)) n += p.state != 'Z';
  return n;
}

bool IsRunning(pid_t pid) {
  ProcInfo info;
  return ReadProc(pid, &info) && info.state != 'Z' && info.state != 'X';
}

void KillAndReapDescendants() {
  // Each round kills our direct children; their orphans are reparented to us
  // (subreaper) by the time the parent is reaped, and get the next round.
  for (int round = 0; round < 100; ++round) {
    std::vector<ProcInfo> children = ChildrenOf(getpid());
    if (children.empty()) {
      while (waitpid(-1, nullptr, WNOHANG) > 0) {
      }
      return;
    }
    for (const ProcInfo& c : children) kill(c.pid, SIGKILL);
    for (const ProcInfo& c : children) waitpid(c.pid, nullptr, 0);
  }
}

void BecomeSubreaper() { prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

}  // namespace forkcheck::testing
