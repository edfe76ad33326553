/*
 * textbook_server.c - the textbook fork-per-connection echo server.
 *
 * Style: Stevens, UNIX Network Programming vol. 1, ch. 5 (tcpserv04 with
 * sig_chld), as most textbook chapters on fork() and SIGCHLD teach it:
 *   - SIGCHLD handler installed with sigaction() WITHOUT SA_RESTART, so a
 *     blocked accept() fails with EINTR after every SIGCHLD;
 *   - the handler loops waitpid(-1, &st, WNOHANG) > 0 (SIGCHLD coalesces)
 *     and reports each child with write(2) of a hand-formatted line;
 *   - the main loop is `fd = accept(); if (fd < 0) continue;`, which retries
 *     EINTR and ECONNABORTED (and anything else);
 *   - no sigprocmask() around fork(): nothing in the parent tracks pids, so
 *     the handler may reap a child before fork() has returned - harmless.
 * The child keeps the inherited handler, as in the book: it finds no
 * children of its own, and the echo loop retries the EINTR it causes.
 *
 * Known SHOULD-level weakness, on purpose (EMFILE-1): accept() failing with
 * EMFILE/ENFILE is retried at once, like any other error, so while the
 * descriptor table is full the server spins at 100 % CPU (the pending
 * connection stays queued and accept() fails again immediately).  It
 * recovers as soon as descriptors are free again.
 *
 * Built twice: textbook_server (dynamic) and textbook_server_static
 * (-static, out of reach of LD_PRELOAD).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
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

int main(int argc, char **argv)
{
    struct sigaction sa;
    int listenfd, connfd;
    pid_t pid;

    listenfd = corpus_listen_loopback(corpus_parse_port(argc, argv), 0);

    signal(SIGPIPE, SIG_IGN);       /* a vanished client is EPIPE, not death */

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
        if (connfd < 0)
            continue;               /* EINTR, ECONNABORTED, ... (and EMFILE) */

        pid = fork();
        if (pid == 0) {             /* child */
            close(listenfd);
            corpus_serve_and_exit(connfd);
        }
        close(connfd);              /* parent: the child has its own copy */
        if (pid < 0) {              /* EAGAIN: shed this client, go on */
            perror("fork");
            poll(NULL, 0, 10);
        }
    }
}
