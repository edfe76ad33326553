/* crash_server.c - listens, accepts the first connection and abort()s.
 * Usage: crash_server [--port=N] */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "helper_common.h"

int main(int argc, char **argv)
{
    struct rlimit no_core = {0, 0};
    int lfd = helper_listen(argc, argv, "crash_server");

    setrlimit(RLIMIT_CORE, &no_core);   /* leave no core file lying around */
    while (accept(lfd, NULL, NULL) < 0)
        ;
    abort();
}
