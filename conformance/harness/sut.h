#ifndef FORKCHECK_HARNESS_SUT_H_
#define FORKCHECK_HARNESS_SUT_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "conformance/harness/deadline.h"
#include "conformance/harness/event_log.h"
#include "conformance/harness/procfs.h"
#include "conformance/harness/protocol.h"
#include "conformance/harness/tcp_client.h"
#include "conformance/harness/zombie_watch.h"

namespace forkcheck {

// How to start the server under test. A "{port}" anywhere in argv is
// replaced by a free loopback port (and "{host}" by the host the kit
// connects to); without a {port} the server gets a listening socket by
// systemd socket activation (fd 3, LISTEN_FDS=1, LISTEN_PID).
struct SutSpec {
  std::vector<std::string> argv;
  std::string host = "127.0.0.1";      // a loopback literal: 127.0.0.1 or ::1
  std::vector<std::string> extra_env;  // "NAME=VALUE"
  std::string workdir;                 // cwd of the server; core files land here
  Millis start_timeout{5000};          // scaled by the caller
  // What the server speaks; echo when null.
  std::shared_ptr<const Protocol> protocol;
  // A child per session (fork model): the child that served the readiness
  // probe is let end and be reaped before the first check begins.
  bool child_per_session = true;
};

// One line the server wrote, on stdout or stderr.
struct LogLine {
  Clock::time_point when;
  std::string text;
  const char* stream = "stderr";
};

// A running server under test. Destroying it kills the whole tree the kit
// started (the kit is a subreaper, so double-forked leftovers included).
class Sut {
 public:
  static std::unique_ptr<Sut> Start(const SutSpec& spec, std::string* error);
  ~Sut();
  Sut(const Sut&) = delete;
  Sut& operator=(const Sut&) = delete;

  pid_t pid() const { return pid_; }
  uint16_t port() const { return port_; }
  const std::string& host() const { return host_; }
  const std::vector<std::string>& argv() const { return argv_; }
  const Protocol& protocol() const { return *protocol_; }

  std::optional<TcpClient> Connect(Millis budget = Scaled(Millis(2000))) const;
  // The server's process (not the parent) that holds the server side of
  // `client`'s connection, found through /proc/net/tcp and /proc/PID/fd.
  std::optional<pid_t> ChildServing(const TcpClient& client, Millis budget) const;
  // The inode of the server's side of `client`'s connection.
  std::optional<uint64_t> ConnectionInode(const TcpClient& client) const;

  bool Alive();                    // the main process has not ended
  std::optional<int> ExitStatus();  // raw wait status once it ended
  std::vector<ProcStat> Children() const { return ChildrenOf(pid_); }
  std::vector<ProcStat> LiveChildren() const;
  std::vector<ProcStat> ZombieChildren() const;

  // Every line of its stdout and stderr, in arrival order.
  std::vector<LogLine> OutputLines() const;
  // The last lines of both streams, "stderr: ... | stdout: ...".
  std::string OutputTail(size_t lines) const;
  ZombieWatch& zombies() { return *zombies_; }
  // What happened in this server's life so far, for the reports' timelines;
  // its origin is the moment the server was started.
  const std::shared_ptr<EventLog>& events() const { return events_; }

  // Sends `signo` to the main process; `why` goes into the event log.
  void Signal(int signo, const std::string& why = "") const;
  // Sends `signo` to one of its children, and remembers it: a server that
  // dies right after a child the kit killed is REAP-3's case.
  struct ChildKill {
    Clock::time_point when;
    pid_t child;
    int signo;
  };
  void KillChild(pid_t child, int signo);
  std::vector<ChildKill> ChildKills() const;
  void KillTree();

 private:
  Sut() = default;
  bool Launch(const SutSpec& spec, int listen_fd, std::string* error);
  bool TreeHolds(const TcpClient& client, Millis budget) const;
  bool AwaitReady(Millis budget, bool activated, bool child_per_session, std::string* error);
  void AwaitProbeChildGone(TcpClient& probe);
  void ReadOutput();

  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::string host_;
  std::vector<std::string> argv_;
  std::shared_ptr<const Protocol> protocol_;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  std::thread reader_;
  mutable std::mutex mutex_;
  std::vector<LogLine> output_lines_;
  std::vector<ChildKill> child_kills_;
  std::shared_ptr<EventLog> events_ = std::make_shared<EventLog>();
  std::unique_ptr<ZombieWatch> zombies_;
  bool killed_ = false;
};

// The path execve() will run for `name` (PATH searched when it has no
// slash); empty when there is none.
std::string ResolveProgram(const std::string& name);

// A free port on `host`: bound to port 0, read back, released.
uint16_t PickFreePort(const std::string& host = "127.0.0.1");

}  // namespace forkcheck

#endif  // FORKCHECK_HARNESS_SUT_H_
