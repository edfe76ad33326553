/* corpus_common.h - helpers shared by the false-alarm corpus servers.
 *
 * Only the parts every style needs in the same way live here: argument
 * parsing, the IPv4 loopback listener, the status line formatter and the
 * child's echo loop.  Everything that makes a style a style (how SIGCHLD is
 * caught, how accept() errors are treated) stays in the server's own file. */
#ifndef FORKCHECK_SCENARIOS_TESTDATA_CORPUS_CORPUS_COMMON_H_
#define FORKCHECK_SCENARIOS_TESTDATA_CORPUS_CORPUS_COMMON_H_

#include <stddef.h>
#include <sys/types.h>

/* Parses the only argument, --port=N (1..65535), and returns N.  Anything
 * else, or no --port at all: one usage line on stderr, exit 2. */
int corpus_parse_port(int argc, char **argv);

/* socket() + SO_REUSEADDR + bind(127.0.0.1:port) + listen(SOMAXCONN);
 * O_NONBLOCK when nonblock is set.  Exits 2 on failure. */
int corpus_listen_loopback(int port, int nonblock);

/* Formats the status line of one reaped child, newline included:
 *   "child PID exited with status N"
 *   "child PID killed by signal N[ (core dumped)]"
 * Returns its length (0 for a stopped/continued status, which is not an end).
 * Async-signal-safe: no stdio, no locale, no allocation. */
size_t corpus_format_status(char *buf, size_t cap, pid_t pid, int status);

/* corpus_format_status() + one write(2) of the line to fd (EINTR and short
 * writes retried).  Async-signal-safe; does not preserve errno (a signal
 * handler must save and restore it itself). */
void corpus_report_status(int fd, pid_t pid, int status);

/* Writes all n bytes, finishing short writes and retrying EINTR.
 * Returns 0, or -1 with errno set (EPIPE, ECONNRESET, ...). */
int corpus_write_all(int fd, const void *buf, size_t n);

/* The child's whole life after fork(): echo every byte of fd back until
 * read() returns 0 (EINTR retried), then close(fd) and _exit(0); on an I/O
 * error _exit(1). */
void corpus_serve_and_exit(int fd) __attribute__((noreturn));

/* Sleeps ms milliseconds, resuming after signal handlers (nanosleep with the
 * remaining time), so a SIGCHLD storm cannot shorten a back-off. */
void corpus_pause_ms(long ms);

/* Milliseconds on CLOCK_MONOTONIC. */
long long corpus_now_ms(void);

#endif
