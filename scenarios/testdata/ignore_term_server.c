/* ignore_term_server.c - a forking echo server whose parent AND children
 * ignore SIGTERM and SIGINT.  The runner must still leave nothing behind
 * (it has to escalate to SIGKILL).  Usage: ignore_term_server [--port=N] */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "helper_common.h"

int main(int argc, char **argv)
{
    int lfd = helper_listen(argc, argv, "ignore_term_server");

    signal(SIGTERM, SIG_IGN);           /* inherited by every child */
    signal(SIGINT, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    helper_reap_on_sigchld();
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        pid_t pid;

        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE)
                usleep(50000);
            continue;
        }
        pid = fork();
        if (pid == 0) {
            close(lfd);
            helper_echo(fd);
            close(fd);
            _exit(0);
        }
        if (pid < 0)
            usleep(10000);
        close(fd);
    }
}
