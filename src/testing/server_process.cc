#include "src/testing/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "src/testing/poll_until.h"
#include "src/testing/test_env.h"

namespace forkcheck::testing {
namespace {

std::vector<std::string> CommandLine(const LaunchSpec& spec) {
  std::vector<std::string> argv = spec.wrapper;
  argv.push_back(ServerBinary());
  argv.insert(argv.end(), spec.args.begin(), spec.args.end());
  return argv;
}

// Runs in the forked child (single-threaded test process): exec or die.
[[noreturn]] void ExecChild(const LaunchSpec& spec,
                            const std::vector<std::string>& argv,
                            const std::string& out, const std::string& err) {
  int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  if (spec.inherit_listen_fd >= 0) {
    dup2(spec.inherit_listen_fd, 3);
    setenv("LISTEN_FDS", "1", 1);
    setenv("LISTEN_PID", std::to_string(getpid()).c_str(), 1);
  }
  for (const std::string& kv : spec.env) putenv(strdup(kv.c_str()));
  // No core files from !raise tests unless a test asks for them.
  rlimit core;
  getrlimit(RLIMIT_CORE, &core);
  core.rlim_cur = 0;
  setrlimit(RLIMIT_CORE, &core);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  std::vector<char*> cargv;
  for (const std::string& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  execvp(cargv[0], cargv.data());
  _exit(127);
}

}  // namespace

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

bool ServerProcess::Spawn(const LaunchSpec& spec) {
  out_path_ = UniqueTmpPath("server.out");
  err_path_ = UniqueTmpPath("server.err");
  std::vector<std::string> argv = CommandLine(spec);
  pid_ = fork();
  if (pid_ == 0) ExecChild(spec, argv, out_path_, err_path_);
  return pid_ > 0;
}

bool ServerProcess::Start(const LaunchSpec& spec) {
  return Spawn(spec) && WaitListening();
}

bool ServerProcess::WaitListening() {
  const std::string prefix = "listening on ";
  bool ok = PollUntil(
      [&] {
        std::string out = Stdout();
        return out.size() > prefix.size() && out.back() == '\n';
      },
      10000);
  if (!ok) return false;
  std::string out = Stdout();
  listen_line_ = out.substr(0, out.find('\n'));
  if (listen_line_.compare(0, prefix.size(), prefix) != 0) return false;
  port_ = atoi(listen_line_.substr(listen_line_.rfind(':') + 1).c_str());
  return port_ > 0;
}

std::string ServerProcess::Stdout() const { return ReadFile(out_path_); }
std::string ServerProcess::Stderr() const { return ReadFile(err_path_); }

std::vector<std::string> ServerProcess::StderrLines(const std::string& needle) const {
  std::vector<std::string> lines;
  std::istringstream in(Stderr());
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(needle) != std::string::npos) lines.push_back(line);
  }
  return lines;
}

bool ServerProcess::WaitForStderr(const std::string& needle, int count,
                                  int timeout_ms) const {
  return PollUntil(
      [&] { return static_cast<int>(StderrLines(needle).size()) >= count; },
      timeout_ms);
}

void ServerProcess::Signal(int sig) const {
  if (pid_ > 0) kill(pid_, sig);
}

std::optional<int> ServerProcess::WaitExit(int timeout_ms) {
  int status = 0;
  bool done = PollUntil(
      [&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, timeout_ms);
  if (!done) return std::nullopt;
  pid_ = -1;
  return status;
}

RunResult RunServerToCompletion(const std::vector<std::string>& args) {
  ServerProcess server;
  RunResult result;
  LaunchSpec spec;
  spec.args = args;
  if (!server.Spawn(spec)) return result;
  std::optional<int> status = server.WaitExit(10000);
  result.status = status.value_or(-1);
  result.out = server.Stdout();
  result.err = server.Stderr();
  return result;
}

}  // namespace forkcheck::testing
