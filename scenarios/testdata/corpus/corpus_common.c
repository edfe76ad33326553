/* corpus_common.c - see corpus_common.h. */
#define _GNU_SOURCE
#include "corpus_common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int corpus_parse_port(int argc, char **argv)
{
    const char *prog = argc > 0 ? argv[0] : "server";
    long port = -1;
    char *end;
    int i;

    for (i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--port=", 7) == 0 && port < 0) {
            errno = 0;
            port = strtol(argv[i] + 7, &end, 10);
            if (errno == 0 && end != argv[i] + 7 && *end == '\0' &&
                port >= 1 && port <= 65535)
                continue;
        }
        port = -1;
        break;
    }
    if (port < 0) {
        fprintf(stderr, "usage: %s --port=N\n", prog);
        exit(2);
    }
    return (int)port;
}

int corpus_listen_loopback(int port, int nonblock)
{
    struct sockaddr_in addr;
    int fd, one = 1;

    fd = socket(AF_INET, SOCK_STREAM | (nonblock ? SOCK_NONBLOCK : 0), 0);
    if (fd < 0) {
        perror("socket");
        exit(2);
    }
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) {
        perror("setsockopt(SO_REUSEADDR)");
        exit(2);
    }
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons((unsigned short)port);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        perror("bind");
        exit(2);
    }
    if (listen(fd, SOMAXCONN) < 0) {
        perror("listen");
        exit(2);
    }
    return fd;
}

static size_t put_str(char *buf, size_t len, size_t cap, const char *s)
{
    while (*s != '\0' && len < cap)
        buf[len++] = *s++;
    return len;
}

static size_t put_num(char *buf, size_t len, size_t cap, long v)
{
    char tmp[24];
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    int i = 0;

    do {
        tmp[i++] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0 && len < cap)
        buf[len++] = '-';
    while (i > 0 && len < cap)
        buf[len++] = tmp[--i];
    return len;
}

size_t corpus_format_status(char *buf, size_t cap, pid_t pid, int status)
{
    size_t n;

    if (!WIFEXITED(status) && !WIFSIGNALED(status))
        return 0;
    n = put_str(buf, 0, cap, "child ");
    n = put_num(buf, n, cap, (long)pid);
    if (WIFEXITED(status)) {
        n = put_str(buf, n, cap, " exited with status ");
        n = put_num(buf, n, cap, WEXITSTATUS(status));
    } else {
        n = put_str(buf, n, cap, " killed by signal ");
        n = put_num(buf, n, cap, WTERMSIG(status));
        if (WCOREDUMP(status))
            n = put_str(buf, n, cap, " (core dumped)");
    }
    return put_str(buf, n, cap, "\n");
}

void corpus_report_status(int fd, pid_t pid, int status)
{
    char line[96];
    size_t n = corpus_format_status(line, sizeof line, pid, status);

    if (n > 0)
        (void)corpus_write_all(fd, line, n);
}

int corpus_write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;

    while (n > 0) {
        ssize_t w = write(fd, p, n);

        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;                 /* a short write: go on with the rest */
        n -= (size_t)w;
    }
    return 0;
}

void corpus_serve_and_exit(int fd)
{
    char buf[16384];

    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);

        if (r == 0)
            break;                              /* client half-closed */
        if (r < 0) {
            if (errno == EINTR)
                continue;
            _exit(1);                           /* ECONNRESET, ... */
        }
        if (corpus_write_all(fd, buf, (size_t)r) < 0)
            _exit(1);                           /* EPIPE, ECONNRESET */
    }
    close(fd);
    _exit(0);
}

void corpus_pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

long long corpus_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
