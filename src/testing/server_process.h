// Runs reference_server as a child process with stdout/stderr captured to
// files, and finds its port from the "listening on" line.
#ifndef FORKCHECK_SRC_TESTING_SERVER_PROCESS_H_
#define FORKCHECK_SRC_TESTING_SERVER_PROCESS_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace forkcheck::testing {

struct LaunchSpec {
  std::vector<std::string> args;     // after the binary; "--port 0" is not implied
  std::vector<std::string> wrapper;  // e.g. {"fiu-run", "-x", ...}
  std::vector<std::string> env;      // extra "NAME=value"
  int inherit_listen_fd = -1;        // passed as fd 3 with LISTEN_FDS/LISTEN_PID
};

class ServerProcess {
 public:
  ServerProcess() = default;
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts the process; returns false if it could not be spawned.
  bool Spawn(const LaunchSpec& spec);
  // Spawn + wait for the "listening on" line.
  bool Start(const LaunchSpec& spec);
  bool WaitListening();

  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  const std::string& listen_line() const { return listen_line_; }
  std::string Stdout() const;
  std::string Stderr() const;
  // Non-empty lines of stderr containing `needle`.
  std::vector<std::string> StderrLines(const std::string& needle) const;
  bool WaitForStderr(const std::string& needle, int count, int timeout_ms) const;

  void Signal(int sig) const;
  // Raw wait status once the process exits, nullopt on timeout.
  std::optional<int> WaitExit(int timeout_ms);

 private:
  pid_t pid_ = -1;
  int port_ = -1;
  std::string listen_line_;
  std::string out_path_;
  std::string err_path_;
};

// Runs the server binary with `args` to completion (for flag checks).
struct RunResult {
  int status = -1;
  std::string out;
  std::string err;
};
RunResult RunServerToCompletion(const std::vector<std::string>& args);

std::string ReadFile(const std::string& path);

}  // namespace forkcheck::testing

#endif  // FORKCHECK_SRC_TESTING_SERVER_PROCESS_H_
