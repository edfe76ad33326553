/*
 * signalfd_server.c - SIGCHLD read from a signalfd(2) under poll().
 *
 * Style: Linux-specific event loops (systemd, many daemons): SIGCHLD is
 * blocked for good and turned into readable data on a signalfd, so there is
 * no signal handler at all and no EINTR in the parent.  poll() watches the
 * listener and the signalfd; when the signalfd is readable every pending
 * struct signalfd_siginfo is read (until EAGAIN) and the children are reaped
 * with a waitpid(-1, &st, WNOHANG) loop - one siginfo can stand for many
 * exited children, and ssi_pid is only a hint.  Status lines on stderr.
 *
 * The listener is non-blocking; accept() runs until EAGAIN; ECONNABORTED
 * and network errors are retried; on EMFILE/ENFILE/ENOBUFS/ENOMEM the
 * listener leaves the poll set for 100 ms.  The child closes the signalfd and
 * the listener and unblocks SIGCHLD (a blocked mask survives fork and exec).
 *
 * Known SHOULD-level weakness: none.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "corpus_common.h"

static void read_signals_and_reap(int sfd)
{
    struct signalfd_siginfo si[16];
    pid_t pid;
    int st;

    while (read(sfd, si, sizeof si) > 0)
        ;                           /* until EAGAIN: all pending SIGCHLDs */
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
        corpus_report_status(STDERR_FILENO, pid, st);
}

/* Accepts until EAGAIN.  Returns 1 when descriptors ran out. */
static int accept_all(int lfd, int sfd, const sigset_t *chld)
{
    for (;;) {
        int cfd = accept(lfd, NULL, NULL);
        pid_t pid;

        if (cfd < 0) {
            switch (errno) {
            case EAGAIN:
                return 0;
            case EMFILE: case ENFILE: case ENOBUFS: case ENOMEM:
                return 1;
            case EBADF: case EFAULT: case EINVAL: case ENOTSOCK:
                perror("accept");
                exit(1);
            default:                /* ECONNABORTED, EPROTO, EINTR, ... */
                continue;
            }
        }
        pid = fork();
        if (pid == 0) {
            close(sfd);
            close(lfd);
            sigprocmask(SIG_UNBLOCK, chld, NULL);
            corpus_serve_and_exit(cfd);
        }
        close(cfd);
        if (pid < 0) {
            perror("fork");
            corpus_pause_ms(10);
        }
    }
}

int main(int argc, char **argv)
{
    struct pollfd pfd[2];
    sigset_t chld;
    long long resume_at = 0;        /* listener paused until then (EMFILE) */
    int lfd, sfd;

    lfd = corpus_listen_loopback(corpus_parse_port(argc, argv), 1);

    signal(SIGPIPE, SIG_IGN);
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, &chld, NULL) < 0 ||
        (sfd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC)) < 0) {
        perror("signalfd");
        return 1;
    }

    for (;;) {
        long long now = corpus_now_ms();
        int paused = resume_at > now;

        pfd[0].fd = sfd;
        pfd[0].events = POLLIN;
        pfd[1].fd = lfd;
        pfd[1].events = POLLIN;
        if (poll(pfd, paused ? 1 : 2, paused ? (int)(resume_at - now) : -1) < 0) {
            if (errno == EINTR)
                continue;           /* e.g. after SIGSTOP/SIGCONT */
            perror("poll");
            return 1;
        }
        if (pfd[0].revents & POLLIN)
            read_signals_and_reap(sfd);
        if (!paused && (pfd[1].revents & POLLIN))
            resume_at = accept_all(lfd, sfd, &chld) ? corpus_now_ms() + 100 : 0;
    }
}
