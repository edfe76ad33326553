/*
 * dual_stack_server.c - the textbook server on one IPv6 dual-stack socket.
 *
 * Style: "protocol-independent" servers that open a single AF_INET6 socket on
 * the wildcard address :: with IPV6_V6ONLY = 0, so one listener accepts both
 * IPv6 clients and IPv4 clients; the latter arrive as IPv4-mapped addresses
 * (::ffff:127.0.0.1) and appear in /proc/net/tcp6, not /proc/net/tcp.
 * IPV6_V6ONLY is set explicitly: the default comes from
 * /proc/sys/net/ipv6/bindv6only and differs between systems.
 *
 * Otherwise the textbook pattern: SIGCHLD handler without SA_RESTART that
 * loops waitpid(-1, &st, WNOHANG) and reports on stderr with write(2); the
 * blocking accept() loop retries EINTR and ECONNABORTED; unlike the plain
 * textbook server it backs off 100 ms on EMFILE/ENFILE/ENOBUFS/ENOMEM.
 * The child keeps the inherited handler (it finds no children of its own;
 * the echo loop retries the EINTR it causes).
 *
 * Known SHOULD-level weakness: none.  (It listens on all interfaces, not
 * only loopback: that is what a dual-stack wildcard listener is.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "corpus_common.h"

static void sig_chld(int signo)
{
    int saved_errno = errno;
    pid_t pid;
    int st;

    (void)signo;
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
        corpus_report_status(STDERR_FILENO, pid, st);
    errno = saved_errno;
}

static int listen_dual_stack(int port)
{
    struct sockaddr_in6 addr;
    int fd, one = 1, zero = 0;

    fd = socket(AF_INET6, SOCK_STREAM, 0);
    if (fd < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero) < 0) {
        perror("socket/setsockopt");
        exit(2);
    }
    memset(&addr, 0, sizeof addr);
    addr.sin6_family = AF_INET6;
    addr.sin6_addr = in6addr_any;
    addr.sin6_port = htons((unsigned short)port);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 ||
        listen(fd, SOMAXCONN) < 0) {
        perror("bind/listen");
        exit(2);
    }
    return fd;
}

int main(int argc, char **argv)
{
    struct sigaction sa;
    int listenfd, connfd;
    pid_t pid;

    listenfd = listen_dual_stack(corpus_parse_port(argc, argv));

    signal(SIGPIPE, SIG_IGN);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = sig_chld;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;                /* no SA_RESTART: accept() sees EINTR */
    if (sigaction(SIGCHLD, &sa, NULL) < 0) {
        perror("sigaction");
        return 1;
    }

    for (;;) {
        connfd = accept(listenfd, NULL, NULL);
        if (connfd < 0) {
            switch (errno) {
            case EMFILE: case ENFILE: case ENOBUFS: case ENOMEM:
                corpus_pause_ms(100);   /* the client stays queued */
                continue;
            case EBADF: case EFAULT: case EINVAL: case ENOTSOCK:
                perror("accept");
                return 1;
            default:                    /* EINTR, ECONNABORTED, EPROTO, ... */
                continue;
            }
        }
        pid = fork();
        if (pid == 0) {
            close(listenfd);
            corpus_serve_and_exit(connfd);
        }
        close(connfd);
        if (pid < 0) {
            perror("fork");
            corpus_pause_ms(10);
        }
    }
}
