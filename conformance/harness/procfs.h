#ifndef FORKCHECK_HARNESS_PROCFS_H_
#define FORKCHECK_HARNESS_PROCFS_H_

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace forkcheck {

// One line of /proc/PID/stat, the fields the kit reads.
struct ProcStat {
  pid_t pid = 0;
  pid_t ppid = 0;
  char state = '?';  // R S D Z T t X ...
  std::string comm;
  uint64_t utime_ticks = 0;
  uint64_t stime_ticks = 0;
  uint64_t start_ticks = 0;
  // A zombie's wait status as waitpid() will report it (proc(5) field 52);
  // -1 when the kernel does not show it.
  int exit_code = -1;
  bool zombie() const { return state == 'Z'; }
};

std::optional<ProcStat> ReadProcStat(pid_t pid);
std::vector<ProcStat> ReadAllProcStats();
std::vector<ProcStat> ChildrenOf(pid_t parent);
// Every process below `root` in the ppid tree (not root itself).
std::vector<ProcStat> DescendantsOf(pid_t root);
bool ProcessExists(pid_t pid);

// Descriptors of a process: count, and the socket inodes among them.
int CountOpenFds(pid_t pid);
std::vector<uint64_t> SocketInodesOf(pid_t pid);
bool HoldsSocketInode(pid_t pid, uint64_t inode);

// The inode of the TCP socket whose local port is `local_port` and remote
// port `remote_port` (0 = LISTEN), asked through sock_diag (tcp_diag.h),
// else read from /proc/net/tcp and /proc/net/tcp6.
std::optional<uint64_t> TcpSocketInode(uint16_t local_port,
                                       uint16_t remote_port);

// The signal masks of /proc/PID/status: SigCgt, SigIgn, SigBlk (of the
// main thread). Bit N-1 stands for signal N.
struct SignalMasks {
  uint64_t caught = 0;
  uint64_t ignored = 0;
  uint64_t blocked = 0;
};
SignalMasks ReadSignalMasks(pid_t pid);
inline uint64_t SignalBit(int signo) { return uint64_t{1} << (signo - 1); }

// Whether `signo` sent now would end `pid` by its default action: neither
// caught, ignored nor blocked (SIGKILL always). Only for signals whose
// default action terminates (SIGTERM, SIGSEGV, SIGHUP, SIGUSR1, ...).
bool SignalWouldKill(pid_t pid, int signo);

// The number of connections waiting in the accept queue of the socket
// listening on `port` (sock_diag's rqueue, or rx_queue of its LISTEN line
// in /proc/net/tcp); empty when there is no such socket.
std::optional<long> AcceptQueueLength(uint16_t port);

// The system call the task of `proc_dir` ("/proc/PID" or
// "/proc/PID/task/TID") sleeps in, or -1 (running, or not in one).
long SleepingSyscall(const std::string& proc_dir);

// Total CPU time (user + system) the process has used, in milliseconds.
double CpuMillis(const ProcStat& stat);

// How long the process's threads ran and waited to run, summed over
// /proc/PID/task/*/schedstat (ns). A process that spins is runnable all
// the time: on a starved machine it waits instead of running, so its CPU
// share alone would miss it.
struct SchedTimes {
  double running_ms = 0;
  double waiting_ms = 0;
};
std::optional<SchedTimes> ReadSchedTimes(pid_t pid);

}  // namespace forkcheck

#endif  // FORKCHECK_HARNESS_PROCFS_H_
