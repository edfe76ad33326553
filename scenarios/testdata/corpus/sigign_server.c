/*
 * sigign_server.c - signal(SIGCHLD, SIG_IGN): the kernel reaps.
 *
 * Style: the shortest correct answer to zombies on Linux (POSIX.1-2001):
 * with SIGCHLD's disposition set to SIG_IGN, children that terminate do not
 * become zombies at all, so the server never calls wait*() and has no
 * handler - and therefore never sees EINTR from one.  The price is that the
 * server cannot learn how its children ended: it prints NO status lines (it
 * is checked without the `status` profile).
 *
 * Simple blocking accept() loop: EINTR and ECONNABORTED (and Linux's pending
 * network errors) are retried; EMFILE/ENFILE/ENOBUFS/ENOMEM back off for
 * 100 ms.  The child restores SIGCHLD's default disposition.
 *
 * Known SHOULD-level weakness: none (no status lines is a missing feature,
 * not a violation: the `status` profile is simply not declared).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "corpus_common.h"

int main(int argc, char **argv)
{
    int lfd, cfd;
    pid_t pid;

    lfd = corpus_listen_loopback(corpus_parse_port(argc, argv), 0);

    signal(SIGPIPE, SIG_IGN);
    if (signal(SIGCHLD, SIG_IGN) == SIG_ERR) {  /* no zombies, no wait() */
        perror("signal");
        return 1;
    }

    for (;;) {
        cfd = accept(lfd, NULL, NULL);
        if (cfd < 0) {
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
            signal(SIGCHLD, SIG_DFL);
            close(lfd);
            corpus_serve_and_exit(cfd);
        }
        close(cfd);
        if (pid < 0) {
            perror("fork");
            corpus_pause_ms(10);
        }
    }
}
