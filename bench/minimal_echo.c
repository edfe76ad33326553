/* Minimal textbook fork-per-connection echo server, the baseline of
 * bench/suite.py. argv[1] = port (0 = ephemeral). Prints "listening on
 * 127.0.0.1:PORT" like reference_server. Deliberately plain: signal() with a
 * waitpid(WNOHANG) loop, blocking accept, no shutdown logic. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_sigchld(int sig) {
  int saved = errno;
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
  errno = saved;
}

static void echo(int fd) {
  char buf[16384];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) _exit(3);
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(fd, buf + off, (size_t)(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) _exit(3);
      off += w;
    }
  }
  _exit(0);
}

int main(int argc, char** argv) {
  struct sockaddr_in addr = {0};
  socklen_t len = sizeof addr;
  int one = 1;
  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  if (argc < 2 || lfd < 0) return 2;
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)atoi(argv[1]));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(lfd, (struct sockaddr*)&addr, sizeof addr) < 0 || listen(lfd, 128) < 0) {
    perror("bind/listen");
    return 5;
  }
  getsockname(lfd, (struct sockaddr*)&addr, &len);
  printf("listening on 127.0.0.1:%d\n", ntohs(addr.sin_port));
  fflush(stdout);
  signal(SIGCHLD, on_sigchld);
  for (;;) {
    int c = accept(lfd, NULL, NULL);
    if (c < 0) continue;
    if (fork() == 0) {
      close(lfd);
      echo(c);
    }
    close(c);
  }
}
