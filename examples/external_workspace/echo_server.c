/* A small forking echo server of this example workspace: the textbook
 * pattern, with SIGCHLD blocked around fork().  --bug=reap-once makes the
 * SIGCHLD handler call waitpid() once per signal, which forkcheck's REAP-2
 * must catch. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int reap_once;

static void on_sigchld(int sig) {
  int saved = errno, status;
  (void)sig;
  if (reap_once) waitpid(-1, &status, WNOHANG);
  else while (waitpid(-1, &status, WNOHANG) > 0) {}
  errno = saved;
}

static void echo(int fd) {
  char buf[16384];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(fd, buf + off, (size_t)(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) _exit(1);
      off += w;
    }
  }
  _exit(0);
}

int main(int argc, char **argv) {
  int port = -1;
  for (int i = 1; i < argc; ++i) {
    if (strncmp(argv[i], "--port=", 7) == 0) port = atoi(argv[i] + 7);
    else if (strcmp(argv[i], "--bug=reap-once") == 0) reap_once = 1;
    else return 2;
  }
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  int one = 1, listener = socket(AF_INET, SOCK_STREAM, 0);
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (port < 0 || bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(listener, SOMAXCONN) != 0)
    return 2;
  struct sigaction sa = {.sa_handler = on_sigchld, .sa_flags = SA_RESTART | SA_NOCLDSTOP};
  sigaction(SIGCHLD, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  sigset_t chld, old;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  for (;;) {
    int fd = accept(listener, NULL, NULL);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE) usleep(50000);
      continue;
    }
    sigprocmask(SIG_BLOCK, &chld, &old);
    pid_t pid = fork();
    if (pid == 0) {
      sigprocmask(SIG_SETMASK, &old, NULL);
      close(listener);
      echo(fd);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(fd);
  }
}
