#include "conformance/harness/procfs.h"

#include <dirent.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "conformance/harness/tcp_diag.h"

namespace forkcheck {
namespace {

bool IsAllDigits(const char* name) {
  if (*name == '\0') return false;
  for (; *name; ++name)
    if (*name < '0' || *name > '9') return false;
  return true;
}

std::vector<pid_t> ListPids() {
  std::vector<pid_t> pids;
  DIR* dir = opendir("/proc");
  if (dir == nullptr) return pids;
  while (dirent* entry = readdir(dir)) {
    if (IsAllDigits(entry->d_name)) pids.push_back(std::atoi(entry->d_name));
  }
  closedir(dir);
  return pids;
}

// One open and read for a /proc file of a few hundred bytes (an ifstream
// costs several times that, and the sampler reads thousands a second).
std::string ReadSmallFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  std::string text;
  char buffer[4096];
  for (;;) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return text;
}

// comm may contain spaces and parentheses: it ends at the last ')'.
// Split by hand: the sampler parses every process of the machine every
// 2 ms, and string streams made that most of the kit's own CPU time.
std::optional<ProcStat> ParseStat(pid_t pid, const std::string& text) {
  size_t open = text.find('(');
  size_t close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close + 2 >= text.size()) return std::nullopt;
  ProcStat stat;
  stat.pid = pid;
  stat.comm = text.substr(open + 1, close - open - 1);
  // fields[0] is field 3 (state) of proc(5).
  constexpr size_t kExitCode = 52 - 3;
  const char* fields[kExitCode + 1] = {};
  size_t count = 0;
  const char* cursor = text.c_str() + close + 2;
  while (*cursor != '\0' && count <= kExitCode) {
    while (*cursor == ' ' || *cursor == '\n') ++cursor;
    if (*cursor == '\0') break;
    fields[count++] = cursor;
    while (*cursor != '\0' && *cursor != ' ' && *cursor != '\n') ++cursor;
  }
  if (count < 20) return std::nullopt;
  stat.state = fields[0][0];
  stat.ppid = static_cast<pid_t>(std::strtol(fields[1], nullptr, 10));
  stat.utime_ticks = std::strtoull(fields[11], nullptr, 10);
  stat.stime_ticks = std::strtoull(fields[12], nullptr, 10);
  stat.start_ticks = std::strtoull(fields[19], nullptr, 10);
  if (count > kExitCode) stat.exit_code = static_cast<int>(std::strtol(fields[kExitCode], nullptr, 10));
  return stat;
}

std::vector<std::string> FdLinks(pid_t pid) {
  std::vector<std::string> links;
  std::string dir_path = "/proc/" + std::to_string(pid) + "/fd";
  DIR* dir = opendir(dir_path.c_str());
  if (dir == nullptr) return links;
  while (dirent* entry = readdir(dir)) {
    if (!IsAllDigits(entry->d_name)) continue;
    char target[256];
    std::string link = dir_path + "/" + entry->d_name;
    ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
    if (n < 0) continue;
    links.emplace_back(target, static_cast<size_t>(n));
  }
  closedir(dir);
  return links;
}

}  // namespace

std::optional<ProcStat> ReadProcStat(pid_t pid) {
  std::string text = ReadSmallFile("/proc/" + std::to_string(pid) + "/stat");
  if (text.empty()) return std::nullopt;
  return ParseStat(pid, text);
}

std::vector<ProcStat> ReadAllProcStats() {
  std::vector<ProcStat> all;
  for (pid_t pid : ListPids()) {
    if (auto stat = ReadProcStat(pid)) all.push_back(*stat);
  }
  return all;
}

std::vector<ProcStat> ChildrenOf(pid_t parent) {
  std::vector<ProcStat> children;
  for (const ProcStat& stat : ReadAllProcStats()) {
    if (stat.ppid == parent) children.push_back(stat);
  }
  return children;
}

std::vector<ProcStat> DescendantsOf(pid_t root) {
  std::vector<ProcStat> all = ReadAllProcStats();
  std::multimap<pid_t, const ProcStat*> by_parent;
  for (const ProcStat& stat : all) by_parent.emplace(stat.ppid, &stat);
  std::vector<ProcStat> found;
  std::vector<pid_t> frontier = {root};
  while (!frontier.empty()) {
    pid_t parent = frontier.back();
    frontier.pop_back();
    auto range = by_parent.equal_range(parent);
    for (auto it = range.first; it != range.second; ++it) {
      found.push_back(*it->second);
      frontier.push_back(it->second->pid);
    }
  }
  return found;
}

bool ProcessExists(pid_t pid) { return ReadProcStat(pid).has_value(); }

int CountOpenFds(pid_t pid) { return static_cast<int>(FdLinks(pid).size()); }

std::vector<uint64_t> SocketInodesOf(pid_t pid) {
  std::vector<uint64_t> inodes;
  for (const std::string& link : FdLinks(pid)) {
    unsigned long long inode = 0;
    if (std::sscanf(link.c_str(), "socket:[%llu]", &inode) == 1)
      inodes.push_back(inode);
  }
  return inodes;
}

bool HoldsSocketInode(pid_t pid, uint64_t inode) {
  for (uint64_t held : SocketInodesOf(pid))
    if (held == inode) return true;
  return false;
}

namespace {

// "0100007F:1F90" or a 32-digit IPv6 address, then the port in hex.
uint16_t HexPortOf(const std::string& address) {
  size_t colon = address.rfind(':');
  return colon == std::string::npos ? 0 : static_cast<uint16_t>(std::strtoul(address.c_str() + colon + 1, nullptr, 16));
}

std::optional<uint64_t> FindInode(const char* table, uint16_t local_port, uint16_t remote_port) {
  std::ifstream in(table);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout;
    unsigned long long inode = 0;
    if (!(fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode))
      continue;
    if (HexPortOf(local) == local_port && HexPortOf(remote) == remote_port && inode != 0) return inode;
  }
  return std::nullopt;
}

}  // namespace

// A dual-stack server's side of an IPv4 connection is an IPv4-mapped
// address in the IPv6 tables, so both families are asked.
std::optional<uint64_t> TcpSocketInode(uint16_t local_port, uint16_t remote_port) {
  if (remote_port != 0) {
    if (auto connection = DiagLoopbackConnection(local_port, remote_port))
      return connection->inode != 0 ? std::optional<uint64_t>(connection->inode) : std::nullopt;
  }
  const uint32_t states = remote_port == 0 ? 1u << TCP_LISTEN : ~(1u << TCP_LISTEN);
  if (auto sockets = DiagTcpSockets(local_port, remote_port, states)) {
    for (const TcpSocketInfo& socket : *sockets)
      if (socket.inode != 0) return socket.inode;
    return std::nullopt;
  }
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"})
    if (auto inode = FindInode(table, local_port, remote_port)) return inode;
  return std::nullopt;
}

std::optional<long> AcceptQueueLength(uint16_t port) {
  if (auto listeners = DiagTcpSockets(port, 0, 1u << TCP_LISTEN)) {
    if (listeners->empty()) return std::nullopt;
    return listeners->front().receive_queue;
  }
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues;
      if (!(fields >> slot >> local >> remote >> state >> queues)) continue;
      if (state != "0A" || HexPortOf(local) != port) continue;
      size_t colon = queues.find(':');
      if (colon != std::string::npos) return std::strtol(queues.c_str() + colon + 1, nullptr, 16);
    }
  }
  return std::nullopt;
}

SignalMasks ReadSignalMasks(pid_t pid) {
  SignalMasks masks;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    uint64_t* field = line.rfind("SigCgt:", 0) == 0   ? &masks.caught
                      : line.rfind("SigIgn:", 0) == 0 ? &masks.ignored
                      : line.rfind("SigBlk:", 0) == 0 ? &masks.blocked
                                                      : nullptr;
    if (field != nullptr) *field = std::strtoull(line.c_str() + 7, nullptr, 16);
  }
  return masks;
}

bool SignalWouldKill(pid_t pid, int signo) {
  if (signo == SIGKILL) return true;
  SignalMasks masks = ReadSignalMasks(pid);
  return ((masks.caught | masks.ignored | masks.blocked) & SignalBit(signo)) == 0;
}

double CpuMillis(const ProcStat& stat) {
  static const long ticks_per_second = sysconf(_SC_CLK_TCK);
  return 1000.0 * static_cast<double>(stat.utime_ticks + stat.stime_ticks) /
         static_cast<double>(ticks_per_second);
}

std::optional<SchedTimes> ReadSchedTimes(pid_t pid) {
  std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  DIR* dir = opendir(tasks.c_str());
  if (dir == nullptr) return std::nullopt;
  SchedTimes times;
  bool any = false;
  while (dirent* entry = readdir(dir)) {
    if (!IsAllDigits(entry->d_name)) continue;
    std::string text = ReadSmallFile(tasks + "/" + entry->d_name + "/schedstat");
    unsigned long long running = 0, waiting = 0;
    if (std::sscanf(text.c_str(), "%llu %llu", &running, &waiting) != 2) continue;
    times.running_ms += static_cast<double>(running) / 1e6;
    times.waiting_ms += static_cast<double>(waiting) / 1e6;
    any = true;
  }
  closedir(dir);
  if (!any) return std::nullopt;
  return times;
}

long SleepingSyscall(const std::string& proc_dir) {
  std::string text = ReadSmallFile(proc_dir + "/syscall");
  if (text.empty() || text[0] < '0' || text[0] > '9') return -1;
  return std::atol(text.c_str());
}

}  // namespace forkcheck
