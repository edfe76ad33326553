/*
 * self_pipe_server.c - the self-pipe trick (D. J. Bernstein).
 *
 * Style: the SIGCHLD handler (SA_RESTART) only writes one byte to a
 * non-blocking pipe, saving errno; the main loop poll()s the listener and the
 * pipe's read end.  When the pipe is readable it drains it first and then
 * reaps with a waitpid(-1, &st, WNOHANG) loop, so a SIGCHLD arriving after
 * the drain leaves a byte for the next poll(): no lost wake-up.  A full pipe
 * (EAGAIN in the handler) already holds a pending wake-up, which is enough.
 *
 * Status lines go to STDOUT (not stderr), written with stdio from the main
 * loop and flushed after every line: all of the kit must read both streams.
 *
 * The listener is non-blocking (a client that resets between poll() and
 * accept() must not block the loop).  accept() runs until EAGAIN; EINTR,
 * ECONNABORTED and network errors are retried; on EMFILE/ENFILE/ENOBUFS/
 * ENOMEM the listener leaves the poll set for 100 ms.  The child restores
 * SIGCHLD's default disposition and closes both pipe ends and the listener.
 *
 * Known SHOULD-level weakness: none.  (Status lines are on stdout, which the
 * SPEC's default `status` profile describes as stderr.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "corpus_common.h"

static int self_pipe[2];

static void on_sigchld(int sig)
{
    int saved_errno = errno;

    (void)sig;
    if (write(self_pipe[1], "c", 1) < 0) {
        /* EAGAIN: the pipe is full, so a wake-up is pending anyway */
    }
    errno = saved_errno;
}

static void drain_and_reap(void)
{
    char buf[256];
    pid_t pid;
    int st;

    while (read(self_pipe[0], buf, sizeof buf) > 0)
        ;
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
        if (WIFEXITED(st))
            printf("child %d exited with status %d\n", (int)pid, WEXITSTATUS(st));
        else if (WIFSIGNALED(st))
            printf("child %d killed by signal %d%s\n", (int)pid, WTERMSIG(st),
                   WCOREDUMP(st) ? " (core dumped)" : "");
        fflush(stdout);
    }
}

/* Accepts until EAGAIN.  Returns 1 when descriptors ran out. */
static int accept_all(int lfd)
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
            default:                /* EINTR, ECONNABORTED, EPROTO, ... */
                continue;
            }
        }
        pid = fork();
        if (pid == 0) {
            signal(SIGCHLD, SIG_DFL);
            close(self_pipe[0]);
            close(self_pipe[1]);
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

int main(int argc, char **argv)
{
    struct pollfd pfd[2];
    struct sigaction sa;
    long long resume_at = 0;        /* listener paused until then (EMFILE) */
    int lfd;

    lfd = corpus_listen_loopback(corpus_parse_port(argc, argv), 1);
    if (pipe2(self_pipe, O_NONBLOCK | O_CLOEXEC) < 0) {
        perror("pipe2");
        return 1;
    }

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
        long long now = corpus_now_ms();
        int paused = resume_at > now;

        pfd[0].fd = self_pipe[0];
        pfd[0].events = POLLIN;
        pfd[1].fd = lfd;
        pfd[1].events = POLLIN;
        if (poll(pfd, paused ? 1 : 2, paused ? (int)(resume_at - now) : -1) < 0) {
            if (errno == EINTR)
                continue;           /* poll() is never restarted */
            perror("poll");
            return 1;
        }
        if (pfd[0].revents & POLLIN)
            drain_and_reap();
        if (!paused && (pfd[1].revents & POLLIN))
            resume_at = accept_all(lfd) ? corpus_now_ms() + 100 : 0;
    }
}
