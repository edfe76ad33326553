/* fork_forever_server.c - a fork bomb with a bound.  Listens (and announces
 * it), then forks children that pause() forever, as fast as it can, up to
 * 2000 in total; then pauses itself.  It never accepts a connection.
 * Usage: fork_forever_server [--port=N] */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>

#include "helper_common.h"

#define MAX_FORKS 2000

int main(int argc, char **argv)
{
    int lfd = helper_listen(argc, argv, "fork_forever_server");
    int attempts;

    for (attempts = 0; attempts < MAX_FORKS; attempts++) {
        pid_t pid = fork();

        if (pid == 0) {
            close(lfd);
            for (;;)
                pause();
        }
        if (pid < 0)
            usleep(10000);              /* pids.max or RLIMIT_NPROC hit */
    }
    for (;;)
        pause();
}
