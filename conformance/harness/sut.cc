#include "conformance/harness/sut.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "conformance/harness/describe_status.h"
#include "conformance/harness/echo_protocol.h"
#include "conformance/harness/loopback.h"
#include "conformance/harness/own_children.h"
#include "conformance/l10n/tr.h"

extern char** environ;

namespace forkcheck {
namespace {

constexpr char kPortPlaceholder[] = "{port}";
constexpr char kHostPlaceholder[] = "{host}";

int NewLoopbackListener(const std::string& host, uint16_t* port) {
  sockaddr_storage addr;
  socklen_t len;
  if (!LoopbackAddress(host, 0, &addr, &len)) return -1;
  int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(fd, 256) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return -1;
  }
  *port = PortOf(addr);
  return fd;
}

bool HasPlaceholder(const std::vector<std::string>& argv) {
  for (const std::string& arg : argv)
    if (arg.find(kPortPlaceholder) != std::string::npos) return true;
  return false;
}

std::string Substitute(std::string arg, const std::string& placeholder, const std::string& value) {
  for (size_t at = 0; (at = arg.find(placeholder, at)) != std::string::npos; at += value.size())
    arg.replace(at, placeholder.size(), value);
  return arg;
}

// Writes the decimal pid into `out` without allocating (runs after fork).
void FormatPid(pid_t pid, char* out) {
  char digits[16];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + pid % 10);
    pid /= 10;
  } while (pid > 0);
  while (n > 0) *out++ = digits[--n];
  *out = '\0';
}

}  // namespace

// PATH lookup happens before fork: the child must not allocate.
std::string ResolveProgram(const std::string& name) {
  if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

uint16_t PickFreePort(const std::string& host) {
  uint16_t port = 0;
  int fd = NewLoopbackListener(host, &port);
  if (fd >= 0) close(fd);
  return port;
}

std::unique_ptr<Sut> Sut::Start(const SutSpec& spec, std::string* error) {
  if (spec.argv.empty()) {
    *error = Tr("no server command given");
    return nullptr;
  }
  std::unique_ptr<Sut> sut(new Sut);
  sut->host_ = spec.host;
  sut->protocol_ = spec.protocol ? spec.protocol : std::make_shared<EchoProtocol>();
  bool activated = !HasPlaceholder(spec.argv);
  int listen_fd = -1;
  if (activated) {
    listen_fd = NewLoopbackListener(spec.host, &sut->port_);
    if (listen_fd < 0) {
      *error = Say("cannot create a listening socket on {0}: {1}", spec.host, std::strerror(errno));
      return nullptr;
    }
  } else {
    sut->port_ = PickFreePort(spec.host);
  }
  for (const std::string& arg : spec.argv)
    sut->argv_.push_back(
        Substitute(Substitute(arg, kPortPlaceholder, std::to_string(sut->port_)), kHostPlaceholder, spec.host));
  bool launched = sut->Launch(spec, listen_fd, error);
  if (listen_fd >= 0) close(listen_fd);
  if (!launched) return nullptr;
  sut->zombies_ = std::make_unique<ZombieWatch>(sut->pid_, sut->events_);
  if (!sut->AwaitReady(spec.start_timeout, activated, spec.child_per_session, error)) return nullptr;
  return sut;
}

bool Sut::Launch(const SutSpec& spec, int listen_fd, std::string* error) {
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0 ||
      pipe2(stop_pipe_, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  std::vector<char*> args;
  for (std::string& arg : argv_) args.push_back(arg.data());
  args.push_back(nullptr);
  std::vector<std::string> env_storage;
  for (char** e = environ; *e; ++e) {
    if (std::strncmp(*e, "LISTEN_", 7) != 0) env_storage.emplace_back(*e);
  }
  for (const std::string& extra : spec.extra_env) env_storage.push_back(extra);
  char listen_pid[32] = "LISTEN_PID=";
  std::vector<char*> envp;
  for (std::string& entry : env_storage) envp.push_back(entry.data());
  char listen_fds[] = "LISTEN_FDS=1";
  if (listen_fd >= 0) {
    envp.push_back(listen_fds);
    envp.push_back(listen_pid);
  }
  envp.push_back(nullptr);
  std::string program = ResolveProgram(argv_[0]);
  if (program.empty()) {
    *error = Say("command not found: {0}", argv_[0]);
    return false;
  }
  // The server starts in the case's workdir: a relative path must not move.
  if (program[0] != '/') {
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd) != nullptr) program = std::string(cwd) + "/" + program;
  }
  const char* workdir = spec.workdir.empty() ? nullptr : spec.workdir.c_str();

  pid_t pid = fork();
  if (pid < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    return false;
  }
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig = 1; sig < NSIG; ++sig) signal(sig, SIG_DFL);
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    if (listen_fd >= 0) {
      if (listen_fd == 3) {
        fcntl(3, F_SETFD, 0);
      } else {
        dup2(listen_fd, 3);
      }
      FormatPid(getpid(), listen_pid + std::strlen("LISTEN_PID="));
    }
    if (workdir != nullptr && chdir(workdir) != 0) _exit(127);
    rlimit core{RLIM_INFINITY, RLIM_INFINITY};
    setrlimit(RLIMIT_CORE, &core);
    execve(program.c_str(), args.data(), envp.data());
    _exit(127);
  }
  pid_ = pid;
  events_->Add(EventKind::kServerStarted, pid);
  close(out_pipe[1]);
  close(err_pipe[1]);
  stdout_fd_ = out_pipe[0];
  stderr_fd_ = err_pipe[0];
  reader_ = std::thread([this] { ReadOutput(); });
  return true;
}

// Ready means a process of the server's tree holds the accepted probe, not
// merely that the kernel completed the handshake: otherwise the child that
// serves the probe could appear and end in the middle of the first case.
bool Sut::AwaitReady(Millis budget, bool activated, bool child_per_session, std::string* error) {
  Deadline deadline(budget);
  bool connected = activated;
  while (!deadline.Expired()) {
    if (auto status = ExitStatus()) {
      std::string tail = OutputTail(3);
      // TRANSLATORS: {0} is how it ended ("exited with status 1", "was killed by signal 11").
      if (tail.empty()) *error = Say("the server {0} before it served a connection", DescribeWaitStatus(*status));
      // TRANSLATORS: {1} is the last lines the server wrote, "stderr: ... | stdout: ...".
      else *error = Say("the server {0} before it served a connection; its output ends: {1}", DescribeWaitStatus(*status), tail);
      return false;
    }
    auto probe = TcpClient::Connect(host_, port_, std::min(Millis(50), deadline.Remaining()));
    if (!probe) continue;
    connected = true;
    // A server that dies on its first connection ends the wait at once.
    bool held = false;
    PollUntil([&] { return ExitStatus().has_value() || (held = TreeHolds(*probe, Millis(0))); },
              deadline.Remaining(), Millis(1));
    if (held) {
      if (child_per_session) AwaitProbeChildGone(*probe);
      return true;
    }
  }
  if (!connected) {
    *error = Say("the server never listened on {0} port {1} within {2} ms", host_, port_, budget.count());
  } else if (activated) {
    *error = Say("the server never accepted a connection on its inherited socket (fd 3) within {0} ms", budget.count());
  } else {
    *error = Say("the server never accepted a connection on port {0} within {1} ms", port_, budget.count());
  }
  return false;
}

// Its exit must not fall into the first check: a SIGCHLD for it and one for
// the check's first child could coalesce, and a server that waits once per
// signal would then fail a check that is not about coalescing (REAP-2 is).
// A server that never reaps leaves a zombie: the wait is bounded.
void Sut::AwaitProbeChildGone(TcpClient& probe) {
  std::optional<pid_t> child = ChildServing(probe, Millis(0));
  probe.Close();
  if (child) PollUntil([&] { return !ReadProcStat(*child).has_value(); }, Scaled(Millis(1000)), Millis(1));
}

void Sut::ReadOutput() {
  std::string partial_err, partial_out;
  pollfd fds[3] = {{stdout_fd_, POLLIN, 0}, {stderr_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
  int open_streams = 2;
  char buffer[4096];
  while (open_streams > 0) {
    if (poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[2].revents) return;
    for (int i = 0; i < 2; ++i) {
      if (!fds[i].revents) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        fds[i].fd = -1;
        --open_streams;
        continue;
      }
      std::string& partial = i == 0 ? partial_out : partial_err;
      partial.append(buffer, static_cast<size_t>(n));
      for (size_t nl; (nl = partial.find('\n')) != std::string::npos;) {
        std::string line = partial.substr(0, nl);
        partial.erase(0, nl + 1);
        Clock::time_point now = Clock::now();
        events_->AddAt(now, EventKind::kOutput, pid_, i + 1, line);
        std::lock_guard<std::mutex> lock(mutex_);
        output_lines_.push_back({now, line, i == 1 ? "stderr" : "stdout"});
      }
    }
  }
}

Sut::~Sut() {
  KillTree();
  if (stop_pipe_[1] >= 0) {
    char wake = 1;
    (void)!write(stop_pipe_[1], &wake, 1);
  }
  if (reader_.joinable()) reader_.join();
  for (int fd : {stdout_fd_, stderr_fd_, stop_pipe_[0], stop_pipe_[1]})
    if (fd >= 0) close(fd);
}

std::optional<TcpClient> Sut::Connect(Millis budget) const {
  std::optional<TcpClient> client = TcpClient::Connect(host_, port_, budget);
  if (client) client->LogTo(events_);
  return client;
}

std::optional<uint64_t> Sut::ConnectionInode(const TcpClient& client) const {
  return TcpSocketInode(port_, client.local_port());
}

bool Sut::TreeHolds(const TcpClient& client, Millis budget) const {
  return PollUntil(
      [&] {
        auto inode = TcpSocketInode(port_, client.local_port());
        return inode && (HoldsSocketInode(pid_, *inode) || ChildServing(client, Millis(0)));
      },
      budget, Millis(1));
}

std::optional<pid_t> Sut::ChildServing(const TcpClient& client, Millis budget) const {
  std::optional<pid_t> found;
  PollUntil(
      [&] {
        auto inode = TcpSocketInode(port_, client.local_port());
        if (!inode) return false;
        for (const ProcStat& proc : DescendantsOf(pid_)) {
          if (!proc.zombie() && HoldsSocketInode(proc.pid, *inode)) {
            found = proc.pid;
            return true;
          }
        }
        return false;
      },
      budget, Millis(1));
  return found;
}

bool Sut::Alive() { return !ExitStatus().has_value(); }

std::optional<int> Sut::ExitStatus() {
  ReapOwnChildren();
  return OwnChildStatus(pid_);
}

std::vector<ProcStat> Sut::LiveChildren() const {
  std::vector<ProcStat> live;
  for (const ProcStat& child : Children())
    if (!child.zombie()) live.push_back(child);
  return live;
}

std::vector<ProcStat> Sut::ZombieChildren() const {
  std::vector<ProcStat> zombies;
  for (const ProcStat& child : Children())
    if (child.zombie()) zombies.push_back(child);
  return zombies;
}

std::vector<LogLine> Sut::OutputLines() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return output_lines_;
}

std::string Sut::OutputTail(size_t lines) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::ostringstream out;
  size_t first = output_lines_.size() > lines ? output_lines_.size() - lines : 0;
  for (size_t i = first; i < output_lines_.size(); ++i) {
    if (i > first) out << " | ";
    out << output_lines_[i].stream << ": " << output_lines_[i].text;
  }
  return out.str();
}

void Sut::Signal(int signo, const std::string& why) const {
  if (pid_ <= 0) return;
  events_->Add(EventKind::kSignalSent, pid_, signo, why);
  kill(pid_, signo);
}

void Sut::KillChild(pid_t child, int signo) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    child_kills_.push_back({Clock::now(), child, signo});
  }
  // TRANSLATORS: on the timeline, beside the signal the kit sent.
  events_->Add(EventKind::kSignalSent, child, signo, Tr("to a child"));
  kill(child, signo);
}

std::vector<Sut::ChildKill> Sut::ChildKills() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return child_kills_;
}

void Sut::KillTree() {
  if (zombies_) zombies_->Stop();
  if (killed_) return;
  killed_ = true;
  events_->Add(EventKind::kTeardown, pid_, SIGKILL, Tr("the kit SIGKILLs the server's whole tree"));
  KillAllDescendants(Scaled(Millis(10000)));
}

}  // namespace forkcheck
