/*
 * poll_server.c - non-blocking listener under ppoll(), SIGCHLD as a flag.
 *
 * Style: event-loop servers that keep signal handlers trivial.  SIGCHLD stays
 * blocked except inside ppoll(), which unblocks it atomically: a child that
 * exits between the flag test and the wait still interrupts ppoll() at once
 * (the race a plain poll() + flag would have).  The handler (no SA_RESTART)
 * only sets a volatile sig_atomic_t flag; the main loop reaps with a
 * waitpid(-1, &st, WNOHANG) loop and reports each child on stderr.
 *
 * accept() runs until EAGAIN; ECONNABORTED/EINTR/network errors are retried;
 * on EMFILE/ENFILE/ENOBUFS/ENOMEM the listener is left out of the poll set
 * for 100 ms (the queued client waits; nothing spins).  The child unblocks
 * SIGCHLD and restores its default disposition before serving.
 *
 * Known SHOULD-level weakness: none.
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
#include <time.h>
#include <unistd.h>

#include "corpus_common.h"

static volatile sig_atomic_t child_exited;

static void on_sigchld(int sig)
{
    (void)sig;
    child_exited = 1;               /* touches nothing else, not even errno */
}

static void reap_children(void)
{
    pid_t pid;
    int st;

    while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
        corpus_report_status(STDERR_FILENO, pid, st);
}

static void start_child(int lfd, int cfd)
{
    sigset_t chld;
    pid_t pid = fork();

    if (pid == 0) {
        close(lfd);
        signal(SIGCHLD, SIG_DFL);
        sigemptyset(&chld);
        sigaddset(&chld, SIGCHLD);
        sigprocmask(SIG_UNBLOCK, &chld, NULL);
        corpus_serve_and_exit(cfd);
    }
    close(cfd);
    if (pid < 0) {
        perror("fork");
        poll(NULL, 0, 10);          /* SIGCHLD is blocked here: a full 10 ms */
    }
}

/* Accepts until EAGAIN.  Returns 1 when descriptors ran out. */
static int accept_all(int lfd)
{
    for (;;) {
        int cfd = accept(lfd, NULL, NULL);

        if (cfd >= 0) {
            start_child(lfd, cfd);
            continue;
        }
        switch (errno) {
        case EAGAIN:
            return 0;
        case EMFILE: case ENFILE: case ENOBUFS: case ENOMEM:
            return 1;
        case EBADF: case EFAULT: case EINVAL: case ENOTSOCK:
            perror("accept");
            exit(1);
        default:                    /* EINTR, ECONNABORTED, EPROTO, ... */
            continue;
        }
    }
}

int main(int argc, char **argv)
{
    struct pollfd pfd;
    struct sigaction sa;
    sigset_t chld, wait_mask;
    long long resume_at = 0;        /* listener paused until then (EMFILE) */
    int lfd;

    lfd = corpus_listen_loopback(corpus_parse_port(argc, argv), 1);

    signal(SIGPIPE, SIG_IGN);
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &wait_mask);
    sigdelset(&wait_mask, SIGCHLD); /* ppoll() waits with SIGCHLD open */

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigchld;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    if (sigaction(SIGCHLD, &sa, NULL) < 0) {
        perror("sigaction");
        return 1;
    }

    for (;;) {
        struct timespec ts, *timeout = NULL;
        long long now;
        int n;

        if (child_exited) {
            child_exited = 0;
            reap_children();
        }
        now = corpus_now_ms();
        if (resume_at > now) {
            ts.tv_sec = (resume_at - now) / 1000;
            ts.tv_nsec = (long)((resume_at - now) % 1000) * 1000000L;
            timeout = &ts;
        }
        pfd.fd = lfd;
        pfd.events = POLLIN;
        n = ppoll(&pfd, timeout ? 0 : 1, timeout, &wait_mask);
        if (n < 0) {
            if (errno == EINTR)
                continue;           /* the handler ran: reap at the top */
            perror("ppoll");
            return 1;
        }
        if (timeout == NULL && (pfd.revents & POLLIN))
            resume_at = accept_all(lfd) ? corpus_now_ms() + 100 : 0;
    }
}
