/* double_fork_server.c - escapes its parent's process tree on purpose.
 *
 * At startup it double-forks a daemon-like grandchild that pause()s forever.
 * For every connection it forks a child that forks a grandchild and exits at
 * once; the orphaned grandchild (re-parented to the nearest subreaper) echoes
 * until EOF, closes the connection and then pause()s forever.  The runner must
 * find and kill these processes anyway.  Usage: double_fork_server [--port=N] */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helper_common.h"

/* Forks twice; returns 1 in the grandchild, 0 in the original process. */
static int double_fork(void)
{
    pid_t pid = fork();

    if (pid < 0) {
        perror("fork");
        return 0;
    }
    if (pid == 0) {
        pid_t grandchild = fork();

        if (grandchild == 0)
            return 1;
        _exit(0);                       /* orphan the grandchild */
    }
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
    return 0;
}

int main(int argc, char **argv)
{
    int lfd = helper_listen(argc, argv, "double_fork_server");

    signal(SIGPIPE, SIG_IGN);
    if (double_fork()) {
        close(lfd);
        for (;;)
            pause();                    /* the "daemon" */
    }
    for (;;) {
        int fd = accept(lfd, NULL, NULL);

        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE)
                usleep(50000);
            continue;
        }
        if (double_fork()) {
            close(lfd);
            helper_echo(fd);
            close(fd);
            for (;;)
                pause();
        }
        close(fd);
    }
}
