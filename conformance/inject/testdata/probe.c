/* probe: makes N calls of one kind and prints one line per call ("read 10",
 * "fork EAGAIN"), so a test can see exactly what the preload library did.
 * Usage: probe [child] [OPTIONS] CALL N   (child: the calls run in a forked child)
 * Options set the state the realism rules look at:
 *   --handler=norestart|restart|none  SIGUSR1 caught without SA_RESTART (the
 *                                     default), with it, or not caught at all
 *   --mask       SIGUSR1 blocked
 *   --block      each call would block: its other side becomes ready 100 ms
 *                later (a helper connects, writes, drains; the child exits)
 *   --blocking   sockets without O_NONBLOCK (implied by --block)
 *   --nohang     wait calls pass WNOHANG
 * The other ends of sockets, the helpers and the reaping of children use
 * raw syscalls, which the library does not see. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int block_mode, blocking_fds, nohang;

static void report(const char *call, long result, int err) {
  if (result < 0)
    dprintf(1, "%s %s\n", call, strerrorname_np(err));
  else if (strstr(call, "read") || strstr(call, "recv") || strstr(call, "write") || strstr(call, "send"))
    dprintf(1, "%s %ld\n", call, result);
  else
    dprintf(1, "%s ok\n", call);
}

static void reap_raw(pid_t pid) { syscall(SYS_wait4, pid, NULL, 0, NULL); }

static void nap_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  syscall(SYS_nanosleep, &ts, NULL);
}

static void on_usr1(int sig) { (void)sig; }

static void set_handler(const char *kind) {
  if (strcmp(kind, "none") == 0) return;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sa.sa_flags = strcmp(kind, "restart") == 0 ? SA_RESTART : 0;
  sigaction(SIGUSR1, &sa, NULL);
}

static void mask_usr1(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &set, NULL);
}

/* Runs `act(fd)` in a helper process 100 ms from now; returns its pid. */
static pid_t later(void (*act)(int), int fd) {
  pid_t pid = (pid_t)syscall(SYS_fork);
  if (pid == 0) {
    nap_ms(100);
    act(fd);
    syscall(SYS_exit_group, 0);
  }
  return pid;
}

static struct sockaddr_in listen_addr;

static void connect_to_listener(int unused) {
  (void)unused;
  int client = socket(AF_INET, SOCK_STREAM, 0);
  connect(client, (struct sockaddr *)&listen_addr, sizeof listen_addr);
}

static void write_ten(int fd) { syscall(SYS_write, fd, "0123456789", 10); }

static void drain(int fd) {
  char buf[65536];
  for (int i = 0; i < 40; ++i) {
    while (syscall(SYS_recvfrom, fd, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL) > 0) {
    }
    nap_ms(5);
  }
}

static int listener(int queued) {
  listen_addr = (struct sockaddr_in){.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  socklen_t len = sizeof listen_addr;
  if (bind(fd, (struct sockaddr *)&listen_addr, sizeof listen_addr) != 0 || listen(fd, 64) != 0 ||
      getsockname(fd, (struct sockaddr *)&listen_addr, &len) != 0)
    exit(2);
  if (queued) connect_to_listener(0); /* stays queued until accepted */
  return fd;
}

/* Fills the send buffer of `fd`, so a blocking write to it would block. */
static void fill(int fd) {
  char buf[65536] = {0};
  while (syscall(SYS_sendto, fd, buf, sizeof buf, MSG_DONTWAIT, NULL, 0) > 0) {
  }
}

static long do_read(const char *call, int from) {
  char buf[64];
  if (call[0] == 'p' || call[2] == 'a') return read(from, buf, 10);
  if (call[4] == 'f') return recvfrom(from, buf, 10, 0, NULL, NULL);
  return recv(from, buf, 10, 0);
}

static long do_write(const char *call, int to) {
  const char *buf = "0123456789";
  if (call[0] == 'p' || call[0] == 'w') return write(to, buf, 10);
  if (call[4] == 't') return sendto(to, buf, 10, 0, NULL, 0);
  return send(to, buf, 10, 0);
}

static long do_wait(const char *call) {
  pid_t pid = fork();
  if (pid == 0) {
    if (block_mode) nap_ms(100);
    _exit(0);
  }
  int status, options = nohang ? WNOHANG : 0;
  struct rusage usage;
  long r = strcmp(call, "waitpid") == 0 ? waitpid(pid, &status, options)
           : strcmp(call, "wait") == 0  ? wait(&status)
           : strcmp(call, "wait3") == 0 ? wait3(&status, options, &usage)
                                        : wait4(pid, &status, options, &usage);
  int saved = errno;
  if (r <= 0) reap_raw(pid);
  errno = saved;
  return r;
}

static void one_call(const char *call, int a, int b, int pipe_fds[2]) {
  char buf[65536];
  long r = -1;
  int err = 0;
  pid_t helper = 0;
  int forking = strcmp(call, "fork") == 0 || strcmp(call, "_Fork") == 0;
  if (forking) {
    r = call[0] == '_' ? _Fork() : fork();
    if (r == 0) _exit(0);
    if (r > 0) reap_raw((pid_t)r);
  } else if (strcmp(call, "accept") == 0 || strcmp(call, "accept4") == 0) {
    if (block_mode) helper = later(connect_to_listener, -1);
    r = call[6] == '4' ? accept4(a, NULL, NULL, SOCK_CLOEXEC) : accept(a, NULL, NULL);
    err = errno;
  } else if (strstr(call, "read") || strstr(call, "recv")) {
    int pipe = call[0] == 'p';
    int from = pipe ? pipe_fds[0] : a, to = pipe ? pipe_fds[1] : b;
    if (block_mode && !pipe) helper = later(write_ten, to);
    else syscall(SYS_write, to, "0123456789", 10);
    r = do_read(call, from);
    err = errno;
    if (helper) reap_raw(helper), helper = 0;
    syscall(SYS_recvfrom, from, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL); /* drop what is left */
    if (pipe) syscall(SYS_read, from, buf, sizeof buf);
  } else if (strstr(call, "write") || strstr(call, "send")) {
    int pipe = call[0] == 'p';
    int to = pipe ? pipe_fds[1] : a, from = pipe ? pipe_fds[0] : b;
    if (block_mode && !pipe) {
      fill(to);
      helper = later(drain, from);
    }
    r = do_write(call, to);
    err = errno;
    if (helper) reap_raw(helper), helper = 0;
    if (pipe) syscall(SYS_read, from, buf, sizeof buf);
    else while (syscall(SYS_recvfrom, from, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL) > 0) {}
  } else if (strstr(call, "wait") != NULL) {
    r = do_wait(call);
    err = errno;
  }
  if (forking) err = errno;
  if (helper) reap_raw(helper);
  report(call, r, err);
  if (r >= 0 && strncmp(call, "accept", 6) == 0) close((int)r);
}

static void run(const char *call, int n) {
  int pair[2], pipe_fds[2];
  int type = SOCK_STREAM | (blocking_fds ? 0 : SOCK_NONBLOCK);
  if (socketpair(AF_UNIX, type, 0, pair) != 0 || pipe2(pipe_fds, O_NONBLOCK) != 0) exit(2);
  int accepting = strncmp(call, "accept", 6) == 0;
  int a = accepting ? listener(!block_mode) : pair[0];
  for (int i = 0; i < n; ++i) {
    if (accepting && i > 0) {
      close(a);
      a = listener(!block_mode); /* a fresh listener for every accept */
    }
    one_call(call, a, pair[1], pipe_fds);
  }
}

int main(int argc, char **argv) {
  int arg = 1, in_child = argc > 1 && strcmp(argv[1], "child") == 0;
  const char *handler = "norestart";
  int mask = 0;
  for (arg += in_child; arg < argc && strncmp(argv[arg], "--", 2) == 0; ++arg) {
    if (strncmp(argv[arg], "--handler=", 10) == 0) handler = argv[arg] + 10;
    else if (strcmp(argv[arg], "--mask") == 0) mask = 1;
    else if (strcmp(argv[arg], "--block") == 0) block_mode = blocking_fds = 1;
    else if (strcmp(argv[arg], "--blocking") == 0) blocking_fds = 1;
    else if (strcmp(argv[arg], "--nohang") == 0) nohang = 1;
    else return 2;
  }
  if (argc != arg + 2) return 2;
  const char *call = argv[arg];
  int n = atoi(argv[arg + 1]);
  set_handler(handler);
  if (mask) mask_usr1();
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
