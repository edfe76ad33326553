/* helper_common.c - see helper_common.h. */
#define _GNU_SOURCE
#include "helper_common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static long find_port(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--port=", 7) == 0)
            return atol(argv[i] + 7);
        if (strcmp(argv[i], "--port") == 0 && i + 1 < argc)
            return atol(argv[i + 1]);
    }
    return -1;
}

int helper_listen(int argc, char **argv, const char *prog)
{
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    long port = find_port(argc, argv);
    int fd, one = 1;

    if (port < 0) {
        const char *fds = getenv("LISTEN_FDS");
        const char *pid = getenv("LISTEN_PID");

        if (fds == NULL || pid == NULL || strcmp(fds, "1") != 0 ||
            atol(pid) != (long)getpid()) {
            fprintf(stderr, "%s: no --port and no socket activation\n", prog);
            exit(2);
        }
        unsetenv("LISTEN_FDS");
        unsetenv("LISTEN_PID");
        unsetenv("LISTEN_FDNAMES");
        fd = 3;
    } else {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) {
            perror("socket");
            exit(2);
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        memset(&addr, 0, sizeof addr);
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons((unsigned short)port);
        if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 ||
            listen(fd, SOMAXCONN) < 0) {
            perror("bind/listen");
            exit(2);
        }
    }
    if (getsockname(fd, (struct sockaddr *)&addr, &len) < 0) {
        perror("getsockname");
        exit(2);
    }
    printf("listening on 127.0.0.1:%d\n", ntohs(addr.sin_port));
    fflush(stdout);
    return fd;
}

void helper_write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;

    while (n > 0) {
        ssize_t w = write(fd, p, n);

        if (w < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        p += w;
        n -= (size_t)w;
    }
}

int helper_echo(int fd)
{
    char buf[16384];

    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0)
            return 0;
        helper_write_all(fd, buf, (size_t)n);
    }
}

static void reap(int sig)
{
    int saved_errno = errno;

    (void)sig;
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
    errno = saved_errno;
}

void helper_reap_on_sigchld(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = reap;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
}
