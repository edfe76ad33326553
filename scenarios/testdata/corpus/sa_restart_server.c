/*
 * sa_restart_server.c - every handler installed with SA_RESTART; EINTR is
 * treated as impossible.
 *
 * Style: BSD/modern Linux code that relies on SA_RESTART instead of EINTR
 * loops.  signal(7): on Linux, accept(), and read()/write() on a socket without
 * SO_RCVTIMEO/SO_SNDTIMEO, are restarted after a handler installed with
 * SA_RESTART, and are restarted after SIGSTOP/SIGCONT (no handler runs).
 * This program's only handler (SIGCHLD) has SA_RESTART, so neither the
 * parent's blocking accept() nor the child's blocking read()/write() can fail
 * with EINTR: both treat EINTR as a fatal, "cannot happen" error (exit 1).
 *
 * What SA_RESTART does NOT hide, and this file handles: a blocking write()
 * interrupted after part of the buffer went out returns the short count,
 * so the echo loop finishes short writes.  The child keeps the inherited
 * SA_RESTART handler (harmless: it finds no children of its own).
 *
 * accept(): ECONNABORTED and Linux's pending network errors are retried;
 * EMFILE/ENFILE/ENOBUFS/ENOMEM back off for 100 ms.
 *
 * Known SHOULD-level weakness: none.  (A fault injector that makes accept(),
 * read() or write() fail with EINTR creates a situation Linux never produces
 * for this program; this server then exits, by design.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "corpus_common.h"

static void on_sigchld(int sig)
{
    int saved_errno = errno;
    pid_t pid;
    int st;

    (void)sig;
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
        corpus_report_status(STDERR_FILENO, pid, st);
    errno = saved_errno;
}

/* EINTR is not retried anywhere in this file: with SA_RESTART it cannot occur. */
static void echo_child(int fd)
{
    char buf[16384];
    ssize_t r, w;
    size_t off;

    while ((r = read(fd, buf, sizeof buf)) > 0) {
        for (off = 0; off < (size_t)r; off += (size_t)w) {
            w = write(fd, buf + off, (size_t)r - off);  /* may be short */
            if (w < 0)
                _exit(1);           /* EPIPE, ECONNRESET (EINTR: impossible) */
        }
    }
    if (r < 0)
        _exit(1);                   /* ECONNRESET (EINTR: impossible) */
    close(fd);
    _exit(0);
}

int main(int argc, char **argv)
{
    struct sigaction sa;
    int lfd, cfd;
    pid_t pid;

    lfd = corpus_listen_loopback(corpus_parse_port(argc, argv), 0);

    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_handler = on_sigchld;
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGCHLD, &sa, NULL) < 0) {
        perror("sigaction");
        return 1;
    }

    for (;;) {
        cfd = accept(lfd, NULL, NULL);
        if (cfd < 0) {
            switch (errno) {
            case EMFILE: case ENFILE: case ENOBUFS: case ENOMEM:
                corpus_pause_ms(100);   /* the client stays queued */
                continue;
            case EINTR:
                perror("accept: EINTR despite SA_RESTART");
                exit(1);
            case EBADF: case EFAULT: case EINVAL: case ENOTSOCK:
                perror("accept");
                exit(1);
            default:                    /* ECONNABORTED, EPROTO, ENETDOWN, ... */
                continue;
            }
        }
        pid = fork();
        if (pid == 0) {
            close(lfd);
            echo_child(cfd);
        }
        close(cfd);
        if (pid < 0) {
            perror("fork");
            corpus_pause_ms(10);
        }
    }
}
