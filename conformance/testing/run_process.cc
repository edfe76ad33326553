#include "conformance/testing/run_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conformance/harness/own_children.h"

namespace forkcheck {

int ProcessResult::exit_code() const { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

ProcessResult RunProcess(const std::vector<std::string>& argv, Millis budget) {
  ProcessResult result;
  Clock::time_point start = Clock::now();
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) return result;
  std::vector<char*> args;
  std::vector<std::string> storage = argv;
  for (std::string& arg : storage) args.push_back(arg.data());
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  Deadline deadline(budget);
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_streams = 2;
  char buffer[4096];
  while (open_streams > 0 && !deadline.Expired()) {
    if (poll(fds, 2, deadline.RemainingMsForPoll()) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (!fds[i].revents) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        fds[i].fd = -1;
        --open_streams;
      } else {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<size_t>(n));
      }
    }
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  auto status = AwaitOwnChild(pid, deadline.Remaining());
  if (!status) {
    result.timed_out = true;
    KillAllDescendants(Millis(10000));
    status = OwnChildStatus(pid);
  }
  result.status = status.value_or(-1);
  result.wall_ms = MillisSince(start);
  return result;
}

}  // namespace forkcheck
