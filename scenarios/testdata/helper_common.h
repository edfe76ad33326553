/* helper_common.h - listening socket setup shared by the small misbehaving
 * helper servers in this directory (runner robustness tests). */
#ifndef FORKCHECK_SCENARIOS_TESTDATA_HELPER_COMMON_H_
#define FORKCHECK_SCENARIOS_TESTDATA_HELPER_COMMON_H_

#include <stddef.h>
#include <sys/types.h>

/* Parses --port=N / --port N from argv (other arguments are ignored).  With a
 * port, binds 127.0.0.1:N (0 = ephemeral) and listens; without one, takes fd 3
 * from socket activation (LISTEN_FDS=1, LISTEN_PID=getpid()).  Prints
 * "listening on 127.0.0.1:PORT" to stdout, flushed.  Exits 2 on failure. */
int helper_listen(int argc, char **argv, const char *prog);

/* Echoes until EOF, retrying EINTR and short writes.  Returns 0 on EOF, -1 on
 * error.  Does not close fd. */
int helper_echo(int fd);

/* Writes all of buf (EINTR retried). */
void helper_write_all(int fd, const void *buf, size_t n);

/* Installs a SIGCHLD handler (SA_RESTART) that reaps all dead children. */
void helper_reap_on_sigchld(void);

#endif
