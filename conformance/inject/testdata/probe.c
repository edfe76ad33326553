/* probe: makes N calls of one kind and prints one line per call ("read 10",
 * "fork EAGAIN"), so a test can see exactly what the preload library did.
 * Usage: probe [child] CALL N   (child: the calls run in a forked child).
 * The other ends of sockets and the reaping of children use raw syscalls,
 * which the library does not see. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *call, long result, int err) {
  if (result < 0)
    dprintf(1, "%s %s\n", call, strerrorname_np(err));
  else if (strstr(call, "read") || strstr(call, "recv") || strstr(call, "write") || strstr(call, "send"))
    dprintf(1, "%s %ld\n", call, result);
  else
    dprintf(1, "%s ok\n", call);
}

static void reap_raw(pid_t pid) { syscall(SYS_wait4, pid, NULL, 0, NULL); }

static int listener(void) {
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  socklen_t len = sizeof addr;
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 64) != 0 ||
      getsockname(fd, (struct sockaddr *)&addr, &len) != 0)
    exit(2);
  int client = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(client, (struct sockaddr *)&addr, sizeof addr) != 0) exit(2);
  return fd; /* `client` stays queued until accepted */
}

static void one_call(const char *call, int a, int b, int pipe_fds[2]) {
  char buf[64] = "0123456789";
  long r = -1;
  if (strcmp(call, "fork") == 0) {
    r = fork();
    if (r == 0) _exit(0);
    if (r > 0) reap_raw((pid_t)r);
  } else if (strcmp(call, "accept") == 0) {
    r = accept(a, NULL, NULL);
  } else if (strcmp(call, "accept4") == 0) {
    r = accept4(a, NULL, NULL, SOCK_CLOEXEC);
  } else if (strcmp(call, "read") == 0 || strcmp(call, "recv") == 0 || strcmp(call, "recvfrom") == 0 ||
             strcmp(call, "pipe-read") == 0) {
    int from = call[0] == 'p' ? pipe_fds[0] : a, to = call[0] == 'p' ? pipe_fds[1] : b;
    syscall(SYS_write, to, buf, 10);
    r = call[0] == 'p' || call[2] == 'a' ? read(from, buf, 10)
        : call[4] == 'f'                 ? recvfrom(from, buf, 10, 0, NULL, NULL)
                                         : recv(from, buf, 10, 0);
    syscall(SYS_read, from, buf, sizeof buf); /* drop what an injected call left */
  } else if (strcmp(call, "write") == 0 || strcmp(call, "send") == 0 || strcmp(call, "sendto") == 0 ||
             strcmp(call, "pipe-write") == 0) {
    int to = call[0] == 'p' ? pipe_fds[1] : a, from = call[0] == 'p' ? pipe_fds[0] : b;
    r = call[0] == 'p' || call[0] == 'w' ? write(to, buf, 10)
        : call[4] == 't'                 ? sendto(to, buf, 10, 0, NULL, 0)
                                         : send(to, buf, 10, 0);
    if (r > 0) syscall(SYS_read, from, buf, sizeof buf);
  } else if (strstr(call, "wait") != NULL) {
    pid_t pid = fork();
    if (pid == 0) _exit(0);
    int status;
    struct rusage usage;
    r = strcmp(call, "waitpid") == 0 ? waitpid(pid, &status, 0)
        : strcmp(call, "wait") == 0  ? wait(&status)
        : strcmp(call, "wait3") == 0 ? wait3(&status, 0, &usage)
                                     : wait4(pid, &status, 0, &usage);
    if (r < 0) reap_raw(pid);
  }
  report(call, r, errno);
  if (r >= 0 && strncmp(call, "accept", 6) == 0) close((int)r);
}

static void run(const char *call, int n) {
  int pair[2], pipe_fds[2];
  /* Non-blocking, so draining an already empty end cannot hang. */
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, pair) != 0 || pipe2(pipe_fds, O_NONBLOCK) != 0) exit(2);
  int a = strncmp(call, "accept", 6) == 0 ? listener() : pair[0];
  for (int i = 0; i < n; ++i) {
    if (a != pair[0] && i > 0) {
      close(a);
      a = listener(); /* a fresh queued client for every accept */
    }
    one_call(call, a, pair[1], pipe_fds);
  }
}

int main(int argc, char **argv) {
  int in_child = argc > 1 && strcmp(argv[1], "child") == 0;
  if (argc != 3 + in_child) return 2;
  const char *call = argv[1 + in_child];
  int n = atoi(argv[2 + in_child]);
  if (!in_child) {
    run(call, n);
    return 0;
  }
  pid_t pid = (pid_t)syscall(SYS_fork);
  if (pid == 0) {
    run(call, n);
    _exit(0);
  }
  reap_raw(pid);
  return 0;
}
