/*
 * mutant_server.c - a textbook fork-per-connection TCP echo server with ONE
 * bug selectable at run time.
 *
 * forkcheck uses it to show that every conformance check can fail: with
 * --bug=none (the default) the server is correct and must pass every
 * requirement of conformance/SPEC.md; with --bug=NAME it carries exactly one
 * classic mistake, marked below by an `if (bug == BUG_X)` block and a comment
 * naming the requirement that must then FAIL.
 *
 * Usage:
 *   mutant_server [--bug=NAME] [--speak=echo|http|banner|line] [--port=N]
 *                 [--idle-timeout=MS] [--max-children=N] [--test-hooks]
 *                 [--shutdown-grace=MS] [--mode=fork|prefork] [--workers=N]
 *                 [--max-sessions-per-worker=K] [--list-bugs]
 *
 * Without --port the listening socket comes from systemd-style socket
 * activation (LISTEN_FDS=1, LISTEN_PID=getpid(), fd 3).  Once listening it
 * prints "listening on 127.0.0.1:PORT" to stdout.  The parent prints one line
 * per reaped child to stderr: "child PID exited with status N" or
 * "child PID killed by signal N", followed by " (core dumped)" when the child
 * dumped core.
 *
 * Child exit codes: 0 client closed (or, except in echo mode, the server
 * ended the session itself: HTTP response sent, QUIT), 1 I/O error, 3 EINTR
 * treated as fatal (bug child-eintr-fatal), 4 idle timeout, N for the
 * "!exit N" test hook.
 *
 * What a session says (--speak; forkcheck's --protocol=...).  Only the
 * bytes on the connection change: forking, reaping, signals, the idle timer,
 * --max-children, status lines, shutdown and every parent-side bug are the
 * same whatever --speak is.
 *
 *   echo    (default) echo every byte until the client closes.
 *   http    one HTTP/1.0 request per connection: read the headers (up to
 *           "\r\n\r\n" or "\n\n", at most 16 KiB), answer, send FIN, close.
 *           "GET / HTTP/1.x" -> 200, body "hello from mutant_server\n";
 *           "GET /big HTTP/1.x" -> 200, 4 MiB (4194304 bytes) of 16-byte
 *           lines, each its own byte offset in zero-padded decimal
 *           ("000000000000000\n000000000000016\n..."), written 16 KiB at a
 *           time; any other path -> 404; another method -> 501; a malformed
 *           request line or header, or headers over 16 KiB -> 400.  Every
 *           response has Content-Type: text/plain, Content-Length and
 *           Connection: close.  A client that closes before its request is
 *           complete ends the session quietly (exit 0).
 *   banner  greets "220 mutant_server ready\r\n"; then per line (CRLF or
 *           LF): QUIT -> "221 bye\r\n" and close; anything else ->
 *           "500 unknown\r\n".
 *   line    a tiny SMTP-like protocol for forkcheck's exchange scripts:
 *           greets "220 mutant_server line ready\r\n"; commands are
 *           case-insensitive, CRLF or LF: "HELO x" -> "250 hello x",
 *           "ECHO text" -> "250 text", QUIT -> "221 bye" and close, anything
 *           else -> "500 unknown command" (lines over 4 KiB -> "500 line too
 *           long").  scenarios/testdata/protocols/line.exchange is the
 *           script for it (--protocol=exchange:FILE; format in that file).
 *
 * The idle timeout (--idle-timeout) applies in every mode, while waiting for
 * a request or line and while a write is blocked; activity re-arms it.
 * --test-hooks: in echo mode a chunk starting with '!'; in the other modes a
 * line starting with '!' (in http mode any line of the request headers;
 * "!sleep" and an ignored "!raise" are then taken out of the request).
 *
 * The bugs that concern what the child says apply to echo only (corrupt,
 * no-eof-close, drop-echo-on-half-close), except that every write goes
 * through the echo write path, so child-eintr-fatal and short-write-bug
 * (INTR-3) also break http (GET /big read slowly), banner and line;
 * timeout-goodbye, no-idle-timeout and no-rearm act on the idle timer in
 * every mode.
 *
 * --shutdown-grace=MS (default 2000): on SIGTERM/SIGINT, how long the parent
 * waits for its children after SIGTERMing them before it SIGKILLs the rest.
 *
 * --mode (default fork: one child per connection, as described above).
 *
 *   prefork  the parent forks --workers=N workers (default 4, at most 1024)
 *            that all accept() on the inherited listening socket (made
 *            non-blocking: they wait in ppoll() and the losers of each race
 *            get EAGAIN) and serve sessions one after another with the same
 *            session code (--speak, idle timer, test hooks; a session's
 *            result no longer becomes an exit code, "!exit N" still does).
 *            The parent accepts nothing; it only supervises, with SIGCHLD,
 *            SIGTERM, SIGINT and SIGHUP blocked except while it waits
 *            (sigsuspend(), or ppoll() with no descriptors when something is
 *            due at a set time: the same atomic unblock-and-wait, with a
 *            timeout).
 *            - Reaping and status lines as in fork mode, one per worker.
 *            - A worker that dies is replaced, so that N workers accept.
 *            - Crash-loop guard: a worker that dies within 1 s of its start
 *              died early (one that exits 0 is not counted: it left after
 *              --max-sessions-per-worker sessions, or was asked to).  Each
 *              early death in a row doubles the respawn delay: 100 ms,
 *              200 ms, ... at most 3 s, logged on stderr ("mutant_server:
 *              worker PID died N ms after its start ...; respawning in D
 *              ms").  A worker that lived 1 s or more - dead, or alive and
 *              started since the last early death - ends the streak.
 *            - --max-sessions-per-worker=K: a worker exits 0 after K
 *              sessions (and is replaced).  Default 0: never.
 *            - SIGTERM/SIGINT: no more respawns; every worker gets SIGTERM
 *              (an idle one leaves at once with status 0, one in a session
 *              finishes it first); after --shutdown-grace the rest get
 *              SIGKILL; all are reaped; exit 0.
 *            - SIGHUP: the workers are replaced one by one: a new worker is
 *              forked first; once it has been up 50 ms the oldest of the old
 *              ones gets SIGTERM (it finishes its session, then exits 0);
 *              then the next.  Sessions in progress are never cut and the
 *              listening socket stays open throughout.
 *            - Workers ignore SIGHUP; SIGTERM/SIGINT only set a flag (they
 *              are blocked during a session).
 *            --max-children is ignored in prefork mode (--workers is the
 *            cap; a note says so on stderr).  --workers and
 *            --max-sessions-per-worker need --mode=prefork (exit 2).  Bugs
 *            that live in fork mode's accept-and-fork loop (iterative,
 *            slow-reap, reap-on-accept, eintr-fatal, blocking-wait-handler,
 *            keep-listener, leak-conn-fd, exit-on-fork-fail, fork-race,
 *            wait-eintr-gives-up, log-reopen-leak, ignore-max-children,
 *            ignore-sigchld-correct) are refused with --mode=prefork (exit
 *            2); the others act as in fork mode (emfile-spin in the workers'
 *            accept).  The prefork bugs (no-respawn, tight-crash-loop,
 *            no-recycle, hup-kills-sessions) act only in prefork mode: in
 *            fork mode they are accepted and change nothing.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------------ */
/* The bugs.                                                                 */

enum bug {
    BUG_NONE,
    BUG_CORRUPT,                 /* ECHO-1 */
    BUG_NO_EOF_CLOSE,            /* ECHO-2 */
    BUG_ITERATIVE,               /* CONC-1 */
    BUG_SLOW_REAP,               /* REAP-1 */
    BUG_REAP_ONCE,               /* REAP-2 */
    BUG_DIE_ON_SIGNALED_CHILD,   /* REAP-3 */
    BUG_REAP_ON_ACCEPT,          /* REAP-4 */
    BUG_ONESHOT_HANDLER,         /* REAP-5 */
    BUG_EINTR_FATAL,             /* INTR-1, INTR-2 */
    BUG_BLOCKING_WAIT_HANDLER,   /* INTR-1 */
    BUG_CHILD_EINTR_FATAL,       /* INTR-3 */
    BUG_SHORT_WRITE,             /* INTR-3 */
    BUG_KEEP_LISTENER,           /* FD-1 */
    BUG_LEAK_CONN_FD,            /* FD-2 */
    BUG_EXIT_ON_FORK_FAIL,       /* FORK-1 */
    BUG_EMFILE_SPIN,             /* EMFILE-1 */
    BUG_WAIT_EINTR_GIVES_UP,     /* WAIT-1 */
    BUG_DROP_ECHO_ON_HALF_CLOSE, /* ECHO-1 */
    BUG_FORK_RACE,               /* FORK-2 */
    BUG_LOG_REOPEN_LEAK,         /* LOAD-1 */
    BUG_IGNORE_MAX_CHILDREN,     /* LIMIT-1 */
    BUG_IGNORE_SIGTERM,          /* SHUT-1 */
    BUG_ORPHAN_CHILDREN_ON_SIGINT, /* SHUT-2 */
    BUG_DOUBLE_REPORT,           /* STAT-1 */
    BUG_RAW_STATUS,              /* STAT-2 */
    BUG_SIGNAL_AS_EXIT,          /* STAT-3 */
    BUG_NO_CORE_FLAG,            /* STAT-4 */
    BUG_NO_IDLE_TIMEOUT,         /* ALRM-1 */
    BUG_TIMEOUT_GOODBYE,         /* ALRM-2 */
    BUG_NO_REARM,                /* ALRM-3 */
    BUG_NO_RESPAWN,              /* PREF-1 (prefork mode only) */
    BUG_TIGHT_CRASH_LOOP,        /* PREF-2 (prefork mode only) */
    BUG_NO_RECYCLE,              /* PREF-3 (prefork mode only) */
    BUG_HUP_KILLS_SESSIONS,      /* PREF-4 (prefork mode only) */
    BUG_IGNORE_SIGCHLD_CORRECT   /* not a bug: SIG_IGN lets the kernel reap */
};

static const struct {
    const char *name;
    enum bug bug;
    const char *fails;
} bug_table[] = {
    {"none", BUG_NONE, "-"},
    {"corrupt", BUG_CORRUPT, "ECHO-1"},
    {"no-eof-close", BUG_NO_EOF_CLOSE, "ECHO-2"},
    {"iterative", BUG_ITERATIVE, "CONC-1"},
    {"slow-reap", BUG_SLOW_REAP, "REAP-1"},
    {"reap-once", BUG_REAP_ONCE, "REAP-2"},
    {"die-on-signaled-child", BUG_DIE_ON_SIGNALED_CHILD, "REAP-3"},
    {"reap-on-accept", BUG_REAP_ON_ACCEPT, "REAP-4"},
    {"oneshot-handler", BUG_ONESHOT_HANDLER, "REAP-5"},
    {"eintr-fatal", BUG_EINTR_FATAL, "INTR-1 INTR-2"},
    {"blocking-wait-handler", BUG_BLOCKING_WAIT_HANDLER, "INTR-1"},
    {"child-eintr-fatal", BUG_CHILD_EINTR_FATAL, "INTR-3"},
    {"short-write-bug", BUG_SHORT_WRITE, "INTR-3"},
    {"keep-listener", BUG_KEEP_LISTENER, "FD-1"},
    {"leak-conn-fd", BUG_LEAK_CONN_FD, "FD-2"},
    {"exit-on-fork-fail", BUG_EXIT_ON_FORK_FAIL, "FORK-1"},
    {"emfile-spin", BUG_EMFILE_SPIN, "EMFILE-1"},
    {"wait-eintr-gives-up", BUG_WAIT_EINTR_GIVES_UP, "WAIT-1"},
    {"drop-echo-on-half-close", BUG_DROP_ECHO_ON_HALF_CLOSE, "ECHO-1"},
    {"fork-race", BUG_FORK_RACE, "FORK-2"},
    {"log-reopen-leak", BUG_LOG_REOPEN_LEAK, "LOAD-1"},
    {"ignore-max-children", BUG_IGNORE_MAX_CHILDREN, "LIMIT-1"},
    {"ignore-sigterm", BUG_IGNORE_SIGTERM, "SHUT-1"},
    {"orphan-children-on-sigint", BUG_ORPHAN_CHILDREN_ON_SIGINT, "SHUT-2"},
    {"double-report", BUG_DOUBLE_REPORT, "STAT-1"},
    {"raw-status", BUG_RAW_STATUS, "STAT-2"},
    {"signal-as-exit", BUG_SIGNAL_AS_EXIT, "STAT-3"},
    {"no-core-flag", BUG_NO_CORE_FLAG, "STAT-4"},
    {"no-idle-timeout", BUG_NO_IDLE_TIMEOUT, "ALRM-1"},
    {"timeout-goodbye", BUG_TIMEOUT_GOODBYE, "ALRM-2"},
    {"no-rearm", BUG_NO_REARM, "ALRM-3"},
    {"no-respawn", BUG_NO_RESPAWN, "PREF-1"},
    {"tight-crash-loop", BUG_TIGHT_CRASH_LOOP, "PREF-2"},
    {"no-recycle", BUG_NO_RECYCLE, "PREF-3"},
    {"hup-kills-sessions", BUG_HUP_KILLS_SESSIONS, "PREF-4"},
    {"ignore-sigchld-correct", BUG_IGNORE_SIGCHLD_CORRECT, "- (correct, no status lines)"},
};

#define NBUGS (sizeof bug_table / sizeof bug_table[0])

/* ------------------------------------------------------------------------ */
/* Global state.                                                             */

static enum bug bug = BUG_NONE;

/* --speak: what a session says on its connection (the child's only job). */
enum speak { SPEAK_ECHO, SPEAK_HTTP, SPEAK_BANNER, SPEAK_LINE };

static const struct {
    const char *name;
    enum speak speak;
} speak_table[] = {
    {"echo", SPEAK_ECHO},
    {"http", SPEAK_HTTP},
    {"banner", SPEAK_BANNER},
    {"line", SPEAK_LINE},
};

#define NSPEAKS (sizeof speak_table / sizeof speak_table[0])

static enum speak speak = SPEAK_ECHO;
static int listen_fd = -1;
static long idle_timeout_ms = 0;   /* 0 = off */
static long max_children = 0;      /* 0 = unlimited */
static int test_hooks = 0;
static long shutdown_grace_ms = 2000;  /* SIGTERM to children .. SIGKILL */
static sigset_t startup_mask;      /* signal mask we were started with */

/* --mode: one child per connection, or a pool of workers. */
enum mode { MODE_FORK, MODE_PREFORK };

static enum mode mode = MODE_FORK;
static long workers_wanted = 4;           /* --workers */
static long max_sessions_per_worker = 0;  /* 0 = a worker never retires */

/* Live children, maintained by the parent.  Entries are added with SIGCHLD
 * blocked and removed by the SIGCHLD handler, so the two never race. */
#define MAX_TRACKED 8192
static volatile pid_t kids[MAX_TRACKED];
static volatile sig_atomic_t kids_high = 0;      /* entries in use are < this */
static volatile sig_atomic_t live_children = 0;

static volatile sig_atomic_t stop_signal = 0;    /* SIGTERM/SIGINT seen */
static volatile sig_atomic_t shutting_down = 0;
static volatile sig_atomic_t alarm_fired = 0;    /* child: idle timer expired */
static volatile sig_atomic_t hup_requests = 0;   /* prefork parent: SIGHUPs */

static void prefork_worker_gone(pid_t pid, int status);

/* ------------------------------------------------------------------------ */
/* Async-signal-safe output: the SIGCHLD handler must not use stdio.         */

static void write_all_raw(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return;           /* nobody reads stdout: drop the line */
        }
        p += w;
        n -= (size_t)w;
    }
}

static size_t put_str(char *buf, size_t len, const char *s)
{
    while (*s)
        buf[len++] = *s++;
    return len;
}

static size_t put_num(char *buf, size_t len, long v)
{
    char tmp[24];
    int i = 0;
    unsigned long u;

    if (v < 0) {
        buf[len++] = '-';
        u = (unsigned long)(-(v + 1)) + 1;
    } else {
        u = (unsigned long)v;
    }
    do {
        tmp[i++] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    while (i > 0)
        buf[len++] = tmp[--i];
    return len;
}

/* Print the status line for one reaped child (called from the handler). */
static void report_child(pid_t pid, int status)
{
    char line[128];
    size_t n = put_str(line, 0, "child ");

    n = put_num(line, n, pid);
    if (WIFEXITED(status)) {
        n = put_str(line, n, " exited with status ");
        if (bug == BUG_RAW_STATUS) {
            /* STAT-2 bug: prints the raw wait status, not WEXITSTATUS. */
            n = put_num(line, n, status);
        } else {
            n = put_num(line, n, WEXITSTATUS(status));
        }
    } else if (WIFSIGNALED(status)) {
        if (bug == BUG_SIGNAL_AS_EXIT) {
            /* STAT-3 bug: never looks at WIFSIGNALED/WTERMSIG. */
            n = put_str(line, n, " exited with status ");
            n = put_num(line, n, WEXITSTATUS(status));
        } else {
            n = put_str(line, n, " killed by signal ");
            n = put_num(line, n, WTERMSIG(status));
            if (WCOREDUMP(status) && bug != BUG_NO_CORE_FLAG) {
                /* STAT-4: bug no-core-flag never gets here. */
                n = put_str(line, n, " (core dumped)");
            }
        }
    } else {
        return;   /* stopped/continued: not reported (no WUNTRACED) */
    }
    n = put_str(line, n, "\n");
    write_all_raw(STDERR_FILENO, line, n);
    if (bug == BUG_DOUBLE_REPORT) {
        /* STAT-1 bug: every child is reported twice. */
        write_all_raw(STDERR_FILENO, line, n);
    }
}

/* ------------------------------------------------------------------------ */
/* Child bookkeeping.                                                        */

/* The reaper thread of bug wait-eintr-gives-up shares the table. */
static pthread_mutex_t kids_lock = PTHREAD_MUTEX_INITIALIZER;

/* Caller has SIGCHLD blocked (and, with the reaper thread, kids_lock). */
static void remember_child(pid_t pid)
{
    int i;

    for (i = 0; i < MAX_TRACKED; i++) {
        if (kids[i] == 0) {
            kids[i] = pid;
            if (i >= kids_high)
                kids_high = i + 1;
            break;
        }
    }
    /* A full table only means we cannot signal that child at shutdown. */
    live_children++;
}

/* A child was reaped: forget it and print its status line. */
static void child_reaped(pid_t pid, int status)
{
    int i, found = 0;

    for (i = 0; i < kids_high; i++) {
        if (kids[i] == pid) {
            kids[i] = 0;
            found = 1;
            break;
        }
    }
    if (bug == BUG_FORK_RACE && !found) {
        /* FORK-2 bug (with spawn_child): a child reaped before the parent
         * recorded it is not counted; recorded afterwards, its slot is
         * never given back. */
    } else if (live_children > 0) {
        live_children--;
    }
    report_child(pid, status);
    if (mode == MODE_PREFORK)
        prefork_worker_gone(pid, status);

    if (bug == BUG_DIE_ON_SIGNALED_CHILD && WIFSIGNALED(status) && !shutting_down) {
        /* REAP-3 bug: a crashed child takes the whole server down. */
        _exit(1);
    }
}

/* WAIT-1 bug: the children are reaped by a thread of their own that
 * blocks in wait().  A signal this process catches without SA_RESTART
 * (SIGALRM, SIGTERM, SIGINT) can interrupt that wait() with EINTR; this
 * reaper takes any -1 but ECHILD as the end of its work, and from then on
 * nobody reaps.  The correct reaper would `continue` on EINTR. */
static void *blocking_reaper(void *unused)
{
    (void)unused;
    for (;;) {
        int status;
        pid_t pid = wait(&status);

        if (pid > 0) {
            pthread_mutex_lock(&kids_lock);
            child_reaped(pid, status);
            pthread_mutex_unlock(&kids_lock);
            continue;
        }
        if (errno == ECHILD) {
            struct timespec ts = {0, 5 * 1000000L};   /* no child yet */

            nanosleep(&ts, NULL);
            continue;
        }
        return NULL;
    }
}

/* Reap every child that has exited, without blocking. */
static void reap_children(void)
{
    int status;
    pid_t pid;

    for (;;) {
        pid = waitpid(-1, &status, WNOHANG);
        if (pid > 0) {
            child_reaped(pid, status);
            continue;
        }
        if (pid < 0 && errno == EINTR)
            continue;            /* WAIT-1: retry waitpid after EINTR */
        break;                   /* 0: none ready; ECHILD: no children */
    }
}

/* ------------------------------------------------------------------------ */
/* Signal handlers.                                                          */

static void on_sigchld(int sig)
{
    int saved_errno = errno;
    int status;
    pid_t pid;

    (void)sig;
    if (bug == BUG_REAP_ONCE) {
        /* REAP-2 bug: one waitpid per SIGCHLD.  Signals coalesce, so when
         * many children die at once the rest stay zombies. */
        do {
            pid = waitpid(-1, &status, WNOHANG);
        } while (pid < 0 && errno == EINTR);
        if (pid > 0)
            child_reaped(pid, status);
    } else if (bug == BUG_BLOCKING_WAIT_HANDLER) {
        /* INTR-1 bug: blocking wait() inside the handler.  A SIGCHLD that
         * does not correspond to a dead child (or a second live child)
         * blocks the whole parent here until a child exits. */
        while (live_children > 0) {
            pid = wait(&status);
            if (pid < 0)
                break;
            child_reaped(pid, status);
        }
    } else {
        reap_children();
    }
    errno = saved_errno;
}

/* Installed in every child: does nothing, but has no SA_RESTART, so SIGCHLD
 * sent to a child interrupts its read()/write() with EINTR (INTR-3). */
static void child_on_sigchld(int sig)
{
    (void)sig;
}

static void on_stop_signal(int sig)
{
    int saved_errno = errno;

    if (bug == BUG_ORPHAN_CHILDREN_ON_SIGINT && sig == SIGINT) {
        /* SHUT-2 bug: leave at once, children are orphaned. */
        _exit(0);
    }
    stop_signal = sig;
    /* Wake up a blocked accept() for good: on Linux shutdown() of a
     * listening socket makes accept() fail with EINVAL.  Unlike a flag
     * alone this has no window between "check flag" and "call accept".
     * (Not in prefork mode: the parent does not accept, and the workers
     * share the socket - they finish their sessions first.) */
    if (listen_fd >= 0 && mode == MODE_FORK)
        shutdown(listen_fd, SHUT_RDWR);
    errno = saved_errno;
}

static void on_sigalrm(int sig)
{
    (void)sig;
    alarm_fired = 1;
}

static void set_handler(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = flags;
    if (sigaction(sig, &sa, NULL) < 0) {
        perror("sigaction");
        exit(1);
    }
}

static void block_sigchld(sigset_t *old)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, old);
}

/* Around fork(): a new child must not run the parent's SIGTERM/SIGINT
 * handler before child_setup() has reset them. */
static void block_sigchld_and_stop(sigset_t *old)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_BLOCK, &set, old);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* ------------------------------------------------------------------------ */
/* ignore-sigchld-correct: with SIGCHLD set to SIG_IGN the kernel reaps for  */
/* us, so we learn about dead children only by asking /proc.                 */

static int is_my_child(pid_t pid)
{
    char path[64], buf[512], *p;
    FILE *f;
    int ppid = -1;

    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    f = fopen(path, "r");
    if (f == NULL)
        return 0;
    if (fgets(buf, sizeof buf, f) != NULL) {
        p = strrchr(buf, ')');    /* comm may contain spaces */
        if (p != NULL)
            sscanf(p + 1, " %*c %d", &ppid);
    }
    fclose(f);
    return ppid == (int)getpid();
}

static void prune_gone_children(void)
{
    int i;

    live_children = 0;
    for (i = 0; i < kids_high; i++) {
        if (kids[i] != 0 && !is_my_child(kids[i]))
            kids[i] = 0;
        if (kids[i] != 0)
            live_children++;
    }
}

/* Reap (or, with SIG_IGN, notice) dead children from the main program. */
static void reap_from_main(void)
{
    sigset_t old;

    if (bug == BUG_IGNORE_SIGCHLD_CORRECT) {
        prune_gone_children();
        return;
    }
    block_sigchld(&old);
    reap_children();
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* ------------------------------------------------------------------------ */
/* The child: echo until EOF.                                                */

static void arm_idle_timer(void)
{
    struct itimerval it;

    if (idle_timeout_ms <= 0)
        return;
    if (bug == BUG_NO_IDLE_TIMEOUT) {
        /* ALRM-1 bug: --idle-timeout is accepted and ignored. */
        return;
    }
    memset(&it, 0, sizeof it);
    it.it_value.tv_sec = idle_timeout_ms / 1000;
    it.it_value.tv_usec = (idle_timeout_ms % 1000) * 1000;
    /* After the first expiry keep ticking every 20 ms: should SIGALRM land
     * between our check of alarm_fired and the next read(), the following
     * tick still interrupts that read(). */
    it.it_interval.tv_usec = 20 * 1000;
    setitimer(ITIMER_REAL, &it, NULL);
}

static void disarm_idle_timer(void)
{
    struct itimerval it;

    memset(&it, 0, sizeof it);
    setitimer(ITIMER_REAL, &it, NULL);
}

/* Idle timeout: say nothing, send FIN, discard what is still arriving for a
 * moment (closing with unread data would send the client a RST), close. */
static int idle_timeout(int fd)
{
    char junk[4096];
    long until;

    disarm_idle_timer();
    if (bug == BUG_TIMEOUT_GOODBYE) {
        /* ALRM-2 bug: a goodbye message the client never sent. */
        write_all_raw(fd, "timeout\n", 8);
    }
    shutdown(fd, SHUT_WR);
    until = now_ms() + 100;
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        long left = until - now_ms();

        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            break;
        if (read(fd, junk, sizeof junk) <= 0)
            break;
    }
    close(fd);
    return 4;
}

/* --test-hooks: "!exit N", "!raise SIGNUM", "!sleep MS".  Returns 1 if the
 * chunk was a hook (it is then not echoed). */
static int run_test_hook(const char *buf, ssize_t n)
{
    char cmd[64];
    size_t len = (size_t)n < sizeof cmd - 1 ? (size_t)n : sizeof cmd - 1;
    long arg;

    memcpy(cmd, buf, len);
    cmd[len] = '\0';
    if (sscanf(cmd, "!exit %ld", &arg) == 1) {
        _exit((int)arg);
    }
    if (sscanf(cmd, "!raise %ld", &arg) == 1) {
        sigset_t set;

        signal((int)arg, SIG_DFL);
        sigemptyset(&set);
        sigaddset(&set, (int)arg);
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        raise((int)arg);
        return 1;          /* a signal that is ignored by default: go on */
    }
    if (sscanf(cmd, "!sleep %ld", &arg) == 1) {
        sleep_ms(arg);
        return 1;
    }
    return 0;
}

/* Write all n bytes.  Returns 0, or the child's exit code on failure. */
static int echo_chunk(int fd, const char *p, size_t n)
{
    if (bug == BUG_SHORT_WRITE) {
        /* INTR-3 bug: write()'s result is ignored, as if every write were
         * complete; a short or interrupted write silently drops bytes. */
        ssize_t ignored = write(fd, p, n);

        (void)ignored;
        return 0;
    }
    while (n > 0) {
        ssize_t w = write(fd, p, n);

        if (w < 0) {
            if (errno == EINTR) {
                if (alarm_fired)
                    return idle_timeout(fd);
                if (bug == BUG_CHILD_EINTR_FATAL) {
                    /* INTR-3 bug: a signal ends the session. */
                    close(fd);
                    return 3;
                }
                continue;
            }
            close(fd);
            return 1;          /* EPIPE, ECONNRESET: the client is gone */
        }
        p += w;                 /* short write: send the rest */
        n -= (size_t)w;
    }
    return 0;
}

/* The client's FIN is already queued behind the data just read. */
static int peer_has_half_closed(int fd)
{
    char c;

    return recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

static int serve_echo(int fd)
{
    char buf[16384];
    unsigned long long echoed = 0;
    int rc;

    alarm_fired = 0;
    arm_idle_timer();
    for (;;) {
        ssize_t n;

        if (alarm_fired)
            return idle_timeout(fd);
        n = read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) {
                if (alarm_fired)
                    return idle_timeout(fd);
                if (bug == BUG_CHILD_EINTR_FATAL) {
                    /* INTR-3 bug: a signal ends the session. */
                    close(fd);
                    return 3;
                }
                continue;
            }
            close(fd);
            return 1;
        }
        if (n == 0)
            break;                          /* client half-closed */

        if (bug != BUG_NO_REARM) {
            arm_idle_timer();               /* activity: start over */
        } else {
            /* ALRM-3 bug: the timer armed at session start keeps running. */
        }

        if (test_hooks && buf[0] == '!' && run_test_hook(buf, n))
            continue;

        if (bug == BUG_CORRUPT && echoed < 1000 && echoed + (unsigned long long)n >= 1000) {
            /* ECHO-1 bug: the 1000th byte comes back with its case flipped. */
            buf[999 - echoed] ^= 0x20;
        }
        if (bug == BUG_DROP_ECHO_ON_HALF_CLOSE && peer_has_half_closed(fd))
            break;                          /* ECHO-1 bug: the last chunk is dropped */
        rc = echo_chunk(fd, buf, (size_t)n);
        if (rc != 0)
            return rc;
        echoed += (unsigned long long)n;
    }

    disarm_idle_timer();
    if (bug == BUG_DROP_ECHO_ON_HALF_CLOSE) {
        /* ECHO-1 bug: on EOF the connection is reset at once (SO_LINGER
         * 0), so echo still queued for the client is thrown away; a chunk
         * read with the FIN already behind it was never echoed at all. */
        struct linger reset = {1, 0};

        setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
        close(fd);
        return 0;
    }
    if (bug == BUG_NO_EOF_CLOSE) {
        /* ECHO-2 bug: the client said it is done, but we never close. */
        for (;;)
            pause();
    }
    close(fd);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The child: the other protocols (--speak=http|banner|line).                */
/*                                                                           */
/* Same process behaviour as the echo loop above: reads and writes handle    */
/* EINTR the same way (idle timeout, bug child-eintr-fatal), every write     */
/* goes through echo_chunk() (so bug short-write-bug applies), and activity  */
/* re-arms the idle timer (not with bug no-rearm).  Only the bytes said on   */
/* the connection differ.                                                    */

/* One read() with the echo loop's EINTR and idle-timeout handling.  Returns
 * n > 0, 0 at EOF, or -1 with *rc set to the exit code (fd is then closed). */
static ssize_t session_read(int fd, char *buf, size_t len, int *rc)
{
    for (;;) {
        ssize_t n;

        if (alarm_fired) {
            *rc = idle_timeout(fd);
            return -1;
        }
        n = read(fd, buf, len);
        if (n > 0) {
            if (bug != BUG_NO_REARM)
                arm_idle_timer();           /* activity: start over */
            return n;
        }
        if (n == 0)
            return 0;
        if (errno == EINTR) {
            if (alarm_fired) {
                *rc = idle_timeout(fd);
                return -1;
            }
            if (bug == BUG_CHILD_EINTR_FATAL) {
                /* INTR-3 bug: a signal ends the session. */
                close(fd);
                *rc = 3;
                return -1;
            }
            continue;
        }
        close(fd);
        *rc = 1;
        return -1;
    }
}

static int session_write_str(int fd, const char *s)
{
    return echo_chunk(fd, s, strlen(s));
}

/* End of a session the server ends itself (HTTP response sent, QUIT): send
 * FIN, then read and discard until the client closes too, for at most
 * 200 ms, so that bytes the client sent after its request do not turn our
 * close() into a RST that could destroy the response in flight. */
static int linger_close(int fd)
{
    char junk[4096];
    long until;

    disarm_idle_timer();
    shutdown(fd, SHUT_WR);
    until = now_ms() + 200;
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        long left = until - now_ms();
        int r;
        ssize_t n;

        if (left <= 0)
            break;
        r = poll(&p, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n = read(fd, junk, sizeof junk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
    }
    close(fd);
    return 0;
}

/* --- http ---------------------------------------------------------------- */

#define HTTP_MAX_REQUEST 16384
#define HTTP_BIG_SIZE (4L * 1024 * 1024)
#define HTTP_BIG_LINE 16            /* "%015ld\n": the line's byte offset */
#define HTTP_BIG_CHUNK 16384        /* bytes per write, like one echo read */

static const char http_hello[] = "hello from mutant_server\n";

/* Status line, the fixed headers and (for small bodies) the body. */
static int http_respond(int fd, const char *status, const char *body, long body_len)
{
    char head[256];
    int rc, n;

    n = snprintf(head, sizeof head,
                 "HTTP/1.0 %s\r\n"
                 "Content-Type: text/plain\r\n"
                 "Content-Length: %ld\r\n"
                 "Connection: close\r\n"
                 "\r\n",
                 status, body_len);
    rc = echo_chunk(fd, head, (size_t)n);
    if (rc == 0 && body != NULL)
        rc = echo_chunk(fd, body, (size_t)body_len);
    return rc;
}

/* GET /big: 4 MiB of 16-byte lines, each the zero-padded decimal byte
 * offset of that line ("000000000000000\n000000000000016\n...").  Written
 * 16 KiB at a time through echo_chunk(), so a signal storm meets the same
 * write path as in echo mode; progress re-arms the idle timer. */
static int http_send_big(int fd)
{
    static char chunk[HTTP_BIG_CHUNK + 1];
    long off, i;
    int rc;

    rc = http_respond(fd, "200 OK", NULL, HTTP_BIG_SIZE);
    for (off = 0; rc == 0 && off < HTTP_BIG_SIZE; off += HTTP_BIG_CHUNK) {
        for (i = 0; i < HTTP_BIG_CHUNK; i += HTTP_BIG_LINE)
            snprintf(chunk + i, HTTP_BIG_LINE + 1, "%015ld\n", off + i);
        rc = echo_chunk(fd, chunk, HTTP_BIG_CHUNK);
        if (rc == 0 && bug != BUG_NO_REARM)
            arm_idle_timer();
    }
    return rc;
}

/* End of the request headers: a line feed followed by an empty line
 * ("\r\n\r\n", "\n\n", or a mix).  Returns the offset past it, or 0. */
static size_t http_headers_end(const char *buf, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (buf[i] != '\n')
            continue;
        if (i + 1 < len && buf[i + 1] == '\n')
            return i + 2;
        if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

static int http_bad_request(int fd)
{
    static const char body[] = "bad request\n";
    int rc = http_respond(fd, "400 Bad Request", body, (long)sizeof body - 1);

    return rc != 0 ? rc : linger_close(fd);
}

/* Answer one complete request (buf holds exactly its header block). */
static int http_answer(int fd, char *buf, size_t len)
{
    char *line = buf, *end, *next, *method, *path, *version, *sp1, *sp2;
    int rc;

    if (memchr(buf, '\0', len) != NULL)
        goto bad;                                   /* no NUL in HTTP */
    buf[len] = '\0';
    end = strchr(line, '\n');                       /* always found */
    next = end + 1;
    if (end > line && end[-1] == '\r')
        end--;
    *end = '\0';

    /* Request line: METHOD SP PATH SP HTTP/1.d */
    sp1 = strchr(line, ' ');
    sp2 = sp1 != NULL ? strchr(sp1 + 1, ' ') : NULL;
    if (sp1 == NULL || sp2 == NULL || sp1 == line || sp2 == sp1 + 1)
        goto bad;
    *sp1 = '\0';
    *sp2 = '\0';
    method = line;
    path = sp1 + 1;
    version = sp2 + 1;
    if (strncmp(version, "HTTP/1.", 7) != 0 || version[7] < '0' ||
        version[7] > '9' || version[8] != '\0' || path[0] != '/')
        goto bad;

    /* Header lines: NAME ":" VALUE, until the empty line. */
    for (line = next; *line != '\0' && *line != '\n' && !(line[0] == '\r' && line[1] == '\n');
         line = next) {
        char *colon;

        end = strchr(line, '\n');
        next = end + 1;
        *end = '\0';
        colon = strchr(line, ':');
        if (colon == NULL || colon == line)
            goto bad;
    }

    if (strcmp(method, "GET") != 0) {
        static const char body[] = "not implemented\n";

        rc = http_respond(fd, "501 Not Implemented", body, (long)sizeof body - 1);
    } else if (strcmp(path, "/") == 0) {
        rc = http_respond(fd, "200 OK", http_hello, (long)sizeof http_hello - 1);
    } else if (strcmp(path, "/big") == 0) {
        rc = http_send_big(fd);
    } else {
        static const char body[] = "not found\n";

        rc = http_respond(fd, "404 Not Found", body, (long)sizeof body - 1);
    }
    return rc != 0 ? rc : linger_close(fd);

bad:
    return http_bad_request(fd);
}

/* --speak=http: one HTTP/1.0 request per connection. */
static int serve_http(int fd)
{
    char buf[HTTP_MAX_REQUEST + 1];
    size_t len = 0, end, scanned = 0;
    int rc = 0;

    alarm_fired = 0;
    arm_idle_timer();
    for (;;) {
        ssize_t n = session_read(fd, buf + len, HTTP_MAX_REQUEST - len, &rc);

        if (n < 0)
            return rc;
        if (n == 0) {
            /* The client left before its request was complete. */
            disarm_idle_timer();
            close(fd);
            return 0;
        }
        len += (size_t)n;

        /* --test-hooks: a complete line starting with '!', before or within
         * the request headers, is a hook; one that lets the session go on
         * is taken out of the request. */
        while (test_hooks && scanned < len) {
            char *nl = memchr(buf + scanned, '\n', len - scanned);
            size_t used;

            if (nl == NULL)
                break;
            used = (size_t)(nl - buf) + 1;
            if (buf[scanned] == '!' && run_test_hook(buf + scanned, nl - (buf + scanned))) {
                memmove(buf + scanned, buf + used, len - used);
                len -= used - scanned;
            } else {
                scanned = used;
            }
        }

        end = http_headers_end(buf, len);
        if (end != 0)
            return http_answer(fd, buf, end);
        if (len == HTTP_MAX_REQUEST)
            return http_bad_request(fd);    /* headers too long */
    }
}

/* --- banner and line ------------------------------------------------------ */

#define LINE_MAX_LEN 4096

/* Handles one received line (CR/LF stripped, NUL-terminated).  Returns -1
 * to go on, or the child's exit code. */
typedef int (*line_handler)(int fd, char *line, size_t len);

static int starts_with_word(const char *line, const char *word)
{
    size_t n = strlen(word);

    return strncasecmp(line, word, n) == 0 && (line[n] == '\0' || line[n] == ' ');
}

static int quit(int fd)
{
    int rc = session_write_str(fd, "221 bye\r\n");

    return rc != 0 ? rc : linger_close(fd);
}

/* --test-hooks in banner/line mode: a line starting with '!'.  Returns 1 if
 * it was a hook that lets the session go on (no reply). */
static int line_hook(char *line, size_t len)
{
    return test_hooks && line[0] == '!' && run_test_hook(line, (ssize_t)len);
}

static int banner_line(int fd, char *line, size_t len)
{
    int rc;

    if (line_hook(line, len))
        return -1;
    if (strcasecmp(line, "QUIT") == 0)
        return quit(fd);
    rc = session_write_str(fd, "500 unknown\r\n");
    return rc != 0 ? rc : -1;
}

static int line_line(int fd, char *line, size_t len)
{
    char reply[LINE_MAX_LEN + 32];
    int rc;

    if (line_hook(line, len))
        return -1;
    if (strcasecmp(line, "QUIT") == 0)
        return quit(fd);
    if (starts_with_word(line, "HELO")) {
        if (line[4] == '\0' || line[5] == '\0')
            snprintf(reply, sizeof reply, "501 HELO needs a name\r\n");
        else
            snprintf(reply, sizeof reply, "250 hello %s\r\n", line + 5);
    } else if (starts_with_word(line, "ECHO")) {
        snprintf(reply, sizeof reply, "250 %s\r\n", line[4] == '\0' ? "" : line + 5);
    } else {
        snprintf(reply, sizeof reply, "500 unknown command\r\n");
    }
    rc = session_write_str(fd, reply);
    return rc != 0 ? rc : -1;
}

/* Greet, then hand each line to the handler until it ends the session or
 * the client closes (exit 0).  An over-long line gets "500 line too long"
 * and is skipped up to its line feed. */
static int serve_lines(int fd, const char *greeting, line_handler handle)
{
    char buf[LINE_MAX_LEN + 1];
    size_t len = 0;
    int rc = 0, skipping = 0;

    alarm_fired = 0;
    arm_idle_timer();
    rc = session_write_str(fd, greeting);
    if (rc != 0)
        return rc;
    for (;;) {
        ssize_t n = session_read(fd, buf + len, LINE_MAX_LEN - len, &rc);
        char *nl;

        if (n < 0)
            return rc;
        if (n == 0) {
            disarm_idle_timer();
            close(fd);
            return 0;
        }
        len += (size_t)n;
        while ((nl = memchr(buf, '\n', len)) != NULL) {
            size_t used = (size_t)(nl - buf) + 1, l = (size_t)(nl - buf);

            if (l > 0 && buf[l - 1] == '\r')
                l--;
            buf[l] = '\0';
            if (skipping) {
                skipping = 0;
            } else {
                rc = handle(fd, buf, l);
                if (rc >= 0)
                    return rc;
            }
            memmove(buf, buf + used, len - used);
            len -= used;
        }
        if (len == LINE_MAX_LEN) {
            len = 0;
            if (!skipping) {
                skipping = 1;
                rc = session_write_str(fd, "500 line too long\r\n");
                if (rc != 0)
                    return rc;
            }
        }
    }
}

/* One connection, in the protocol chosen with --speak. */
static int serve_client(int fd)
{
    switch (speak) {
    case SPEAK_HTTP:
        return serve_http(fd);
    case SPEAK_BANNER:
        return serve_lines(fd, "220 mutant_server ready\r\n", banner_line);
    case SPEAK_LINE:
        return serve_lines(fd, "220 mutant_server line ready\r\n", line_line);
    case SPEAK_ECHO:
    default:
        return serve_echo(fd);
    }
}

/* Runs in the child right after fork(). */
static void child_setup(void)
{
    if (bug != BUG_KEEP_LISTENER) {
        close(listen_fd);               /* FD-1 */
    } else {
        /* FD-1 bug: every child keeps a copy of the listening socket. */
    }
    listen_fd = -1;
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    set_handler(SIGCHLD, child_on_sigchld, 0);   /* no SA_RESTART */
    set_handler(SIGALRM, on_sigalrm, 0);         /* no SA_RESTART */
    sigprocmask(SIG_SETMASK, &startup_mask, NULL);
}

/* ------------------------------------------------------------------------ */
/* The parent.                                                               */

/* --max-children: do not accept while the cap is reached. */
static void wait_for_free_slot(void)
{
    sigset_t old;

    if (max_children <= 0)
        return;
    if (bug == BUG_IGNORE_MAX_CHILDREN) {
        /* LIMIT-1 bug: the cap is parsed and then ignored. */
        return;
    }
    if (bug == BUG_IGNORE_SIGCHLD_CORRECT) {
        for (prune_gone_children(); live_children >= max_children && !stop_signal;
             prune_gone_children())
            sleep_ms(10);
        return;
    }
    if (bug == BUG_WAIT_EINTR_GIVES_UP) {
        while (live_children >= max_children && !stop_signal)
            sleep_ms(10);               /* the reaper thread frees slots */
        return;
    }
    block_sigchld(&old);
    while (live_children >= max_children && !stop_signal) {
        if (bug == BUG_SLOW_REAP || bug == BUG_REAP_ON_ACCEPT) {
            /* No SIGCHLD handler in these variants: wait for one child. */
            int status;
            pid_t pid = waitpid(-1, &status, 0);

            if (pid > 0)
                child_reaped(pid, status);
            else if (errno == ECHILD)
                live_children = 0;
        } else {
            sigsuspend(&old);           /* wakes up when a child is reaped */
        }
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
}

static void spawn_child(int connfd)
{
    sigset_t old;
    pid_t pid;

    if (bug == BUG_FORK_RACE) {
        /* FORK-2 bug: SIGCHLD is not blocked around fork() and the
         * bookkeeping, so a child that ends at once can be reaped before
         * remember_child() below has recorded it. */
        sigset_t stop;

        sigemptyset(&stop);
        sigaddset(&stop, SIGTERM);
        sigaddset(&stop, SIGINT);
        sigprocmask(SIG_BLOCK, &stop, &old);
    } else {
        block_sigchld_and_stop(&old);
    }
    pid = fork();
    if (pid < 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        perror("fork");
        if (bug == BUG_EXIT_ON_FORK_FAIL) {
            /* FORK-1 bug: a temporary fork failure kills the server. */
            exit(1);
        }
        close(connfd);                  /* the client sees EOF at once */
        sleep_ms(10);                   /* let the system breathe */
        return;
    }
    if (pid == 0) {
        child_setup();
        _exit(serve_client(connfd));
    }
    pthread_mutex_lock(&kids_lock);
    remember_child(pid);
    pthread_mutex_unlock(&kids_lock);
    sigprocmask(SIG_SETMASK, &old, NULL);

    if (bug != BUG_LEAK_CONN_FD) {
        close(connfd);                  /* FD-2: the child has its own copy */
    } else {
        /* FD-2 bug: the parent keeps every connected socket. */
    }
}

/* SIGTERM/SIGINT: stop accepting, ask children to stop, wait for them. */
static void shut_down(void)
{
    sigset_t old;
    long deadline;
    int i, killed = 0;

    shutting_down = 1;
    close(listen_fd);
    listen_fd = -1;

    block_sigchld(&old);
    if (bug == BUG_IGNORE_SIGCHLD_CORRECT)
        prune_gone_children();
    for (i = 0; i < kids_high; i++)
        if (kids[i] != 0)
            kill(kids[i], SIGTERM);

    deadline = now_ms() + shutdown_grace_ms;
    for (;;) {
        reap_from_main();
        if (live_children <= 0)
            break;
        if (!killed && now_ms() >= deadline) {
            for (i = 0; i < kids_high; i++)
                if (kids[i] != 0)
                    kill(kids[i], SIGKILL);
            killed = 1;
        }
        sleep_ms(5);
        if (killed && now_ms() >= deadline + 2000)
            break;                      /* give up: untracked children */
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    exit(0);
}

/* What the parent (fork mode) or a worker does after accept() failed. */
enum accept_action { ACCEPT_RETRY, ACCEPT_BACK_OFF, ACCEPT_FATAL };

static enum accept_action classify_accept_error(int err)
{
    switch (err) {
    case EINTR:
        if (bug == BUG_EINTR_FATAL) {
            /* INTR-1/INTR-2 bug: EINTR treated as a fatal error. */
            return ACCEPT_FATAL;
        }
        return ACCEPT_RETRY;
    case EAGAIN:                    /* prefork: another worker was faster */
    case ECONNABORTED:              /* client gave up before accept */
    case EPROTO: case ENETDOWN: case ENOPROTOOPT: case EHOSTDOWN:
    case ENONET: case EHOSTUNREACH: case EOPNOTSUPP: case ENETUNREACH:
        return ACCEPT_RETRY;        /* Linux: pending network errors */
    case EMFILE: case ENFILE: case ENOBUFS: case ENOMEM:
        if (bug == BUG_EMFILE_SPIN) {
            /* EMFILE-1 bug: retry at once.  The pending connection stays
             * queued, so accept() fails again: a busy loop. */
            return ACCEPT_RETRY;
        }
        return ACCEPT_BACK_OFF;
    default:
        return ACCEPT_FATAL;
    }
}

/* Out of descriptors or memory: back off instead of spinning. */
static void back_off_accept(void)
{
    perror("accept");
    poll(NULL, 0, 50);
}

static int accept_client(void)
{
    for (;;) {
        int fd = accept(listen_fd, NULL, NULL);

        if (fd >= 0)
            return fd;
        if (stop_signal)
            return -1;
        switch (classify_accept_error(errno)) {
        case ACCEPT_RETRY:
            continue;
        case ACCEPT_BACK_OFF:
            back_off_accept();
            return -2;
        case ACCEPT_FATAL:
            perror("accept");
            exit(1);
        }
    }
}

static void serve_forever(void)
{
    unsigned long accepted = 0;

    for (;;) {
        int connfd;

        if (stop_signal)
            shut_down();
        wait_for_free_slot();
        if (stop_signal)
            shut_down();

        if (bug == BUG_SLOW_REAP) {
            /* REAP-1 bug: no SIGCHLD handler; dead children are collected
             * only when poll() returns, i.e. at most every 3 s when idle. */
            struct pollfd p = {listen_fd, POLLIN, 0};
            int r = poll(&p, 1, 3000);

            reap_from_main();
            if (r <= 0)
                continue;
        }

        connfd = accept_client();
        if (connfd == -1)
            continue;                   /* stop signal: handled above */
        if (connfd == -2)
            continue;                   /* EMFILE backoff done */

        if (bug == BUG_LOG_REOPEN_LEAK && ++accepted % 50 == 0) {
            /* LOAD-1 bug: every 50 connections the log is "rotated": opened
             * anew, the old descriptor never closed.  Few sessions never
             * show it; thousands run the parent out of descriptors. */
            if (open("/dev/null", O_WRONLY | O_APPEND) < 0)
                perror("open log");
        }

        if (bug == BUG_REAP_ON_ACCEPT) {
            /* REAP-4 bug: children are reaped only when a new client comes. */
            reap_from_main();
        }
        if (bug == BUG_IGNORE_SIGCHLD_CORRECT)
            prune_gone_children();      /* keep the table of children small */

        if (bug == BUG_ITERATIVE) {
            /* CONC-1 bug: no fork, one client at a time. */
            serve_client(connfd);
            continue;
        }
        spawn_child(connfd);
    }
}

/* ------------------------------------------------------------------------ */
/* --mode=prefork: the workers.                                              */

static volatile sig_atomic_t worker_stop = 0;    /* worker: SIGTERM/SIGINT */

static void on_worker_stop(int sig)
{
    (void)sig;
    worker_stop = 1;
}

/* Runs in a new worker right after fork().  Like child_setup(), except that
 * the listening socket stays (the worker accepts on it), SIGTERM/SIGINT only
 * set a flag and stay blocked but while the worker waits for a connection
 * (so a session in progress always finishes), and SIGHUP, meant for the
 * parent, is ignored. */
static void worker_setup(void)
{
    sigset_t mask = startup_mask;

    set_handler(SIGTERM, on_worker_stop, 0);
    set_handler(SIGINT, on_worker_stop, 0);
    signal(SIGHUP, SIG_IGN);
    set_handler(SIGCHLD, child_on_sigchld, 0);   /* no SA_RESTART */
    set_handler(SIGALRM, on_sigalrm, 0);         /* no SA_RESTART */
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_SETMASK, &mask, NULL);
}

/* Wait for a connection and take it; -1 once asked to stop.  SIGTERM and
 * SIGINT get in only inside ppoll(), which unblocks them atomically: a stop
 * request either came before (the flag is seen first) or ends the wait with
 * EINTR - it never lands between the check and a call that blocks.  The
 * listening socket is non-blocking: every idle worker wakes up for a new
 * connection, one wins it, the others get EAGAIN and wait again. */
static int worker_accept(void)
{
    for (;;) {
        struct pollfd p = {listen_fd, POLLIN, 0};
        int fd, fl;

        if (worker_stop)
            return -1;
        if (ppoll(&p, 1, NULL, &startup_mask) < 0) {
            if (errno == EINTR)
                continue;
            perror("ppoll");
            _exit(1);
        }
        fd = accept(listen_fd, NULL, NULL);
        if (fd >= 0) {
            fl = fcntl(fd, F_GETFL);    /* Linux does not pass O_NONBLOCK */
            if (fl >= 0 && (fl & O_NONBLOCK))   /* on; elsewhere it might */
                fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
            return fd;
        }
        switch (classify_accept_error(errno)) {
        case ACCEPT_RETRY:
            continue;
        case ACCEPT_BACK_OFF:
            back_off_accept();
            continue;
        case ACCEPT_FATAL:
            perror("accept");
            _exit(1);
        }
    }
}

/* A worker's life: sessions one after another until it is asked to stop or
 * has served --max-sessions-per-worker of them. */
static void worker_main(void)
{
    long sessions = 0;

    worker_setup();
    for (;;) {
        int fd;

        if (max_sessions_per_worker > 0 && sessions >= max_sessions_per_worker) {
            if (bug == BUG_NO_RECYCLE) {
                /* PREF-3 bug: --max-sessions-per-worker is parsed and then
                 * ignored; the worker serves on for ever. */
            } else {
                _exit(0);               /* recycled: the parent replaces us */
            }
        }
        fd = worker_accept();
        if (fd < 0)
            _exit(0);                   /* asked to stop, between sessions */
        serve_client(fd);               /* closes fd; its result is moot */
        disarm_idle_timer();            /* not every path ends the timer */
        alarm_fired = 0;
        sessions++;
    }
}

/* ------------------------------------------------------------------------ */
/* --mode=prefork: the parent only supervises.                               */

#define CRASH_EARLY_MS 1000       /* dying sooner after the start is early */
#define CRASH_DELAY_FIRST_MS 100  /* respawn delay after one early death */
#define CRASH_DELAY_MAX_MS 3000
#define HUP_SETTLE_MS 50          /* SIGHUP: a new worker is up; retire one */

/* The workers, live and just reaped.  The SIGCHLD handler marks a reaped
 * worker dead (it runs only inside the parent's wait, where SIGCHLD is
 * unblocked); the main loop then accounts for it and frees the entry. */
static struct pworker {
    pid_t pid;                    /* 0: entry free */
    long started_ms;
    unsigned generation;          /* bumped by each SIGHUP */
    int retiring;                 /* asked to leave: its death is no crash */
    volatile sig_atomic_t dead;
    int status;
    long died_ms;
} pworkers[MAX_TRACKED];
static int pworkers_high = 0;     /* entries in use are < this */

static unsigned generation = 0;
static int early_streak = 0;      /* early deaths in a row */
static long last_early_ms = -1;   /* when the last of them died */
static long next_spawn_ms = 0;    /* crash-loop guard: no spawn before */

/* From child_reaped(), in the SIGCHLD handler (or with SIGCHLD blocked). */
static void prefork_worker_gone(pid_t pid, int status)
{
    int i;

    for (i = 0; i < pworkers_high; i++) {
        if (pworkers[i].pid == pid && !pworkers[i].dead) {
            pworkers[i].status = status;
            pworkers[i].died_ms = now_ms();
            pworkers[i].dead = 1;
            return;
        }
    }
}

static void on_sighup(int sig)
{
    (void)sig;
    hup_requests++;
}

/* Workers that wait for connections or serve them, not asked to leave. */
static int count_accepting(void)
{
    int i, n = 0;

    for (i = 0; i < pworkers_high; i++)
        if (pworkers[i].pid != 0 && !pworkers[i].dead && !pworkers[i].retiring)
            n++;
    return n;
}

/* Of those, the ones from before the last SIGHUP. */
static int count_stale(void)
{
    int i, n = 0;

    for (i = 0; i < pworkers_high; i++)
        if (pworkers[i].pid != 0 && !pworkers[i].dead && !pworkers[i].retiring &&
            pworkers[i].generation != generation)
            n++;
    return n;
}

static int count_alive(void)
{
    int i, n = 0;

    for (i = 0; i < pworkers_high; i++)
        if (pworkers[i].pid != 0 && !pworkers[i].dead)
            n++;
    return n;
}

static void signal_workers(int sig)
{
    int i;

    for (i = 0; i < pworkers_high; i++) {
        if (pworkers[i].pid != 0 && !pworkers[i].dead) {
            pworkers[i].retiring = 1;
            kill(pworkers[i].pid, sig);
        }
    }
}

/* Has a worker started since the last early death lived long enough? */
static int pool_recovered(long now)
{
    int i;

    for (i = 0; i < pworkers_high; i++) {
        const struct pworker *w = &pworkers[i];

        if (w->pid != 0 && !w->dead && !w->retiring && w->started_ms > last_early_ms &&
            now - w->started_ms >= CRASH_EARLY_MS)
            return 1;
    }
    return 0;
}

/* The crash-loop guard's view of one worker's unrequested death. */
static void crash_guard(const struct pworker *w)
{
    long lived = w->died_ms - w->started_ms, delay;
    int shift;

    if (WIFEXITED(w->status) && WEXITSTATUS(w->status) == 0)
        return;             /* left after its K sessions: no crash, no cure */
    if (lived >= CRASH_EARLY_MS) {
        early_streak = 0;   /* a healthy worker: the streak is over */
        next_spawn_ms = 0;
        return;
    }
    if (bug == BUG_TIGHT_CRASH_LOOP) {
        /* PREF-2 bug: no crash-loop guard; a worker that dies at once is
         * replaced at once, however fast they keep dying. */
        return;
    }
    if (early_streak > 0 && pool_recovered(w->died_ms))
        early_streak = 0;   /* workers started since then have been fine */
    early_streak++;
    shift = early_streak - 1 < 6 ? early_streak - 1 : 6;
    delay = (long)CRASH_DELAY_FIRST_MS << shift;
    if (delay > CRASH_DELAY_MAX_MS)
        delay = CRASH_DELAY_MAX_MS;
    last_early_ms = w->died_ms;
    if (next_spawn_ms < w->died_ms + delay)
        next_spawn_ms = w->died_ms + delay;
    fprintf(stderr, "mutant_server: worker %d died %ld ms after its start (%d early "
                    "deaths in a row); respawning in %ld ms\n",
            (int)w->pid, lived, early_streak, next_spawn_ms - w->died_ms);
}

/* Account for the workers the handler has reaped; free their entries. */
static void account_deaths(void)
{
    int i;

    for (i = 0; i < pworkers_high; i++) {
        if (pworkers[i].pid == 0 || !pworkers[i].dead)
            continue;
        if (!pworkers[i].retiring && !shutting_down)
            crash_guard(&pworkers[i]);
        pworkers[i].pid = 0;
    }
    while (pworkers_high > 0 && pworkers[pworkers_high - 1].pid == 0)
        pworkers_high--;
}

/* Fork one worker (SIGCHLD, SIGTERM, SIGINT, SIGHUP are blocked: the worker
 * sets its own handlers before it lets any in).  0, or -1 on failure. */
static int spawn_worker(long now)
{
    int i;
    pid_t pid;

    for (i = 0; i < MAX_TRACKED && pworkers[i].pid != 0; i++)
        ;
    if (i == MAX_TRACKED) {
        fprintf(stderr, "mutant_server: worker table full\n");
        return -1;
    }
    pid = fork();
    if (pid < 0) {
        perror("fork");
        return -1;
    }
    if (pid == 0) {
        worker_main();
        _exit(0);
    }
    pworkers[i].pid = pid;
    pworkers[i].started_ms = now;
    pworkers[i].generation = generation;
    pworkers[i].retiring = 0;
    pworkers[i].dead = 0;
    pworkers[i].status = 0;
    pworkers[i].died_ms = 0;
    if (i >= pworkers_high)
        pworkers_high = i + 1;
    return 0;
}

/* Bring the pool to strength and take a SIGHUP swap one step further.
 * Returns when the loop must look again (monotonic ms), or -1: at the
 * next signal. */
static long supervise_step(long now, int first)
{
    long wake = -1;

    for (;;) {
        int stale = count_stale(), accepting = count_accepting();
        int wanted = (int)workers_wanted + (stale > 0 ? 1 : 0);
        int i, newest = -1, oldest = -1;

        if (bug == BUG_NO_RESPAWN && !first) {
            /* PREF-1 bug: dead workers are reaped and reported, but never
             * replaced; once they are all gone nothing serves. */
        } else {
            while (accepting < wanted) {
                if (now < next_spawn_ms) {
                    wake = next_spawn_ms;       /* crash-loop guard */
                    break;
                }
                if (spawn_worker(now) < 0) {
                    next_spawn_ms = now + CRASH_DELAY_FIRST_MS;
                    wake = next_spawn_ms;
                    break;
                }
                accepting++;
            }
        }
        if (stale == 0 || accepting <= workers_wanted)
            return wake;

        /* SIGHUP swap: the extra new worker is up; once it has lasted
         * HUP_SETTLE_MS, the oldest old worker is asked to leave (SIGTERM:
         * it finishes its session first).  Then the next round. */
        for (i = 0; i < pworkers_high; i++) {
            const struct pworker *w = &pworkers[i];

            if (w->pid == 0 || w->dead || w->retiring)
                continue;
            if (w->generation == generation) {
                if (newest < 0 || w->started_ms > pworkers[newest].started_ms)
                    newest = i;
            } else if (oldest < 0 || w->started_ms < pworkers[oldest].started_ms) {
                oldest = i;
            }
        }
        if (newest >= 0 && now - pworkers[newest].started_ms < HUP_SETTLE_MS) {
            long at = pworkers[newest].started_ms + HUP_SETTLE_MS;

            return wake < 0 || at < wake ? at : wake;
        }
        pworkers[oldest].retiring = 1;
        kill(pworkers[oldest].pid, SIGTERM);
    }
}

/* Wait for a signal (all four are let in only here), or until `wake`. */
static void supervise_wait(const sigset_t *waitmask, long wake)
{
    struct timespec ts;
    long left;

    if (wake < 0) {
        sigsuspend(waitmask);
        return;
    }
    left = wake - now_ms();
    if (left <= 0)
        return;
    ts.tv_sec = left / 1000;
    ts.tv_nsec = (left % 1000) * 1000000L;
    ppoll(NULL, 0, &ts, waitmask);      /* sigsuspend() with a timeout */
}

/* SIGTERM/SIGINT: no more respawns; SIGTERM every worker (idle ones leave at
 * once, busy ones after their session), SIGKILL the rest after the grace. */
static void prefork_shut_down(const sigset_t *waitmask)
{
    long deadline, now;
    int killed = 0;

    shutting_down = 1;
    close(listen_fd);                   /* the workers keep their copies */
    listen_fd = -1;
    signal_workers(SIGTERM);
    deadline = now_ms() + shutdown_grace_ms;
    for (;;) {
        reap_from_main();               /* whatever the handler left */
        account_deaths();
        if (count_alive() == 0)
            break;
        now = now_ms();
        if (!killed && now >= deadline) {
            signal_workers(SIGKILL);
            killed = 1;
        }
        if (killed && now >= deadline + 2000)
            break;                      /* give up */
        supervise_wait(waitmask, killed ? now + 50 : (deadline < now + 50 ? deadline : now + 50));
    }
    exit(0);
}

static void prefork_serve(void)
{
    sigset_t block, waitmask;
    sig_atomic_t hups_seen = hup_requests;
    int fl, first = 1;

    /* Idle workers race for each connection: the losers must not block. */
    fl = fcntl(listen_fd, F_GETFL);
    if (fl < 0 || fcntl(listen_fd, F_SETFL, fl | O_NONBLOCK) < 0) {
        perror("fcntl O_NONBLOCK");
        exit(1);
    }
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &waitmask);

    for (;;) {
        long wake;

        if (stop_signal)
            prefork_shut_down(&waitmask);
        account_deaths();
        if (hup_requests != hups_seen) {
            hups_seen = hup_requests;
            if (bug == BUG_HUP_KILLS_SESSIONS) {
                /* PREF-4 bug: "reload" by killing every worker at once -
                 * sessions in progress are cut - and starting new ones. */
                signal_workers(SIGKILL);
            } else {
                generation++;           /* the current workers are stale */
            }
        }
        wake = supervise_step(now_ms(), first);
        first = 0;
        supervise_wait(&waitmask, wake);
    }
}

/* ------------------------------------------------------------------------ */
/* Setup.                                                                    */

static int open_listener(long port)
{
    struct sockaddr_in addr;
    int fd, one = 1;

    if (port < 0) {
        /* systemd-style socket activation: exactly one socket at fd 3. */
        const char *fds = getenv("LISTEN_FDS");
        const char *pid = getenv("LISTEN_PID");

        if (fds == NULL || pid == NULL || strcmp(fds, "1") != 0 ||
            atol(pid) != (long)getpid()) {
            fprintf(stderr, "mutant_server: no --port and no socket activation "
                            "(LISTEN_FDS=1, LISTEN_PID)\n");
            exit(2);
        }
        unsetenv("LISTEN_FDS");
        unsetenv("LISTEN_PID");
        unsetenv("LISTEN_FDNAMES");
        return 3;
    }

    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("socket");
        exit(2);
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
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

static void announce(int fd)
{
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    char host[INET_ADDRSTRLEN] = "127.0.0.1";

    if (getsockname(fd, (struct sockaddr *)&addr, &len) < 0) {
        perror("getsockname (is fd 3 a socket?)");
        exit(2);
    }
    if (addr.sin_family == AF_INET)
        inet_ntop(AF_INET, &addr.sin_addr, host, sizeof host);
    printf("listening on %s:%d\n", host, ntohs(addr.sin_port));
    fflush(stdout);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: mutant_server [--bug=NAME] [--speak=echo|http|banner|line] "
               "[--port=N] [--idle-timeout=MS] [--max-children=N] [--test-hooks] "
               "[--shutdown-grace=MS] [--mode=fork|prefork] [--workers=N] "
               "[--max-sessions-per-worker=K] [--list-bugs]\n");
}

/* Bugs of fork mode's accept-and-fork loop have no place in prefork mode. */
static int bug_fits_prefork(enum bug b)
{
    switch (b) {
    case BUG_ITERATIVE: case BUG_SLOW_REAP: case BUG_REAP_ON_ACCEPT:
    case BUG_EINTR_FATAL: case BUG_BLOCKING_WAIT_HANDLER:
    case BUG_KEEP_LISTENER: case BUG_LEAK_CONN_FD: case BUG_EXIT_ON_FORK_FAIL:
    case BUG_FORK_RACE: case BUG_WAIT_EINTR_GIVES_UP: case BUG_LOG_REOPEN_LEAK:
    case BUG_IGNORE_MAX_CHILDREN: case BUG_IGNORE_SIGCHLD_CORRECT:
        return 0;
    default:
        return 1;
    }
}

static long parse_number(const char *opt, const char *s, long max)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 0 || v > max) {
        fprintf(stderr, "mutant_server: bad value for --%s: '%s'\n", opt, s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"bug", required_argument, NULL, 'b'},
        {"speak", required_argument, NULL, 's'},
        {"port", required_argument, NULL, 'p'},
        {"idle-timeout", required_argument, NULL, 't'},
        {"max-children", required_argument, NULL, 'm'},
        {"test-hooks", no_argument, NULL, 'H'},
        {"shutdown-grace", required_argument, NULL, 'g'},
        {"mode", required_argument, NULL, 'M'},
        {"workers", required_argument, NULL, 'w'},
        {"max-sessions-per-worker", required_argument, NULL, 'k'},
        {"list-bugs", no_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    long port = -1;
    size_t i;
    int c, prefork_only = 0;

    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'b':
            for (i = 0; i < NBUGS; i++)
                if (strcmp(optarg, bug_table[i].name) == 0)
                    break;
            if (i == NBUGS) {
                fprintf(stderr, "mutant_server: unknown --bug '%s' (see --list-bugs)\n",
                        optarg);
                exit(2);
            }
            bug = bug_table[i].bug;
            break;
        case 's':
            for (i = 0; i < NSPEAKS; i++)
                if (strcmp(optarg, speak_table[i].name) == 0)
                    break;
            if (i == NSPEAKS) {
                fprintf(stderr, "mutant_server: unknown --speak '%s' "
                                "(echo, http, banner or line)\n", optarg);
                exit(2);
            }
            speak = speak_table[i].speak;
            break;
        case 'p':
            port = parse_number("port", optarg, 65535);
            break;
        case 't':
            idle_timeout_ms = parse_number("idle-timeout", optarg, 86400000L);
            break;
        case 'm':
            max_children = parse_number("max-children", optarg, 1000000L);
            break;
        case 'H':
            test_hooks = 1;
            break;
        case 'g':
            shutdown_grace_ms = parse_number("shutdown-grace", optarg, 86400000L);
            break;
        case 'M':
            if (strcmp(optarg, "fork") == 0) {
                mode = MODE_FORK;
            } else if (strcmp(optarg, "prefork") == 0) {
                mode = MODE_PREFORK;
            } else {
                fprintf(stderr, "mutant_server: unknown --mode '%s' (fork or prefork)\n",
                        optarg);
                exit(2);
            }
            break;
        case 'w':
            workers_wanted = parse_number("workers", optarg, 1024);
            if (workers_wanted < 1) {
                fprintf(stderr, "mutant_server: --workers must be at least 1\n");
                exit(2);
            }
            prefork_only = 'w';
            break;
        case 'k':
            max_sessions_per_worker =
                parse_number("max-sessions-per-worker", optarg, 1L << 30);
            prefork_only = 'k';
            break;
        case 'l':
            for (i = 0; i < NBUGS; i++)
                printf("%-26s %s\n", bug_table[i].name, bug_table[i].fails);
            exit(0);
        case 'h':
            usage(stdout);
            exit(0);
        default:
            usage(stderr);
            exit(2);
        }
    }
    if (optind < argc) {
        usage(stderr);
        exit(2);
    }
    if (mode == MODE_FORK && prefork_only) {
        fprintf(stderr, "mutant_server: --%s needs --mode=prefork\n",
                prefork_only == 'w' ? "workers" : "max-sessions-per-worker");
        exit(2);
    }
    if (mode == MODE_PREFORK && !bug_fits_prefork(bug)) {
        for (i = 0; i < NBUGS && bug_table[i].bug != bug; i++)
            ;
        fprintf(stderr, "mutant_server: --bug=%s lives in fork mode's accept loop; "
                        "not with --mode=prefork\n", bug_table[i].name);
        exit(2);
    }
    if (mode == MODE_PREFORK && max_children > 0) {
        fprintf(stderr, "mutant_server: --max-children ignored with --mode=prefork "
                        "(--workers is the cap)\n");
        max_children = 0;
    }

    /* Start from a clean signal mask, whatever our parent left blocked. */
    sigemptyset(&startup_mask);
    sigprocmask(SIG_SETMASK, &startup_mask, NULL);
    listen_fd = open_listener(port);

    /* A client that disconnects while we write must not kill a child. */
    signal(SIGPIPE, SIG_IGN);
    set_handler(SIGALRM, on_sigalrm, 0);    /* used by the iterative variant */

    if (bug == BUG_IGNORE_SIGTERM) {
        /* SHUT-1 bug: SIGTERM is ignored; the server never stops. */
        signal(SIGTERM, SIG_IGN);
    } else {
        set_handler(SIGTERM, on_stop_signal, 0);
    }
    set_handler(SIGINT, on_stop_signal, 0);

    if (bug == BUG_IGNORE_SIGCHLD_CORRECT) {
        /* Not a bug: with SIG_IGN the kernel reaps children itself (no
         * zombies, but no exit statuses to report either). */
        signal(SIGCHLD, SIG_IGN);
    } else if (bug == BUG_WAIT_EINTR_GIVES_UP) {
        /* WAIT-1 bug (see blocking_reaper): a thread blocks in wait(); the
         * SIGCHLD handler does nothing (it would wake a main loop), and
         * without SA_RESTART it can cut that wait() short. */
        pthread_t reaper;

        set_handler(SIGCHLD, child_on_sigchld, SA_NOCLDSTOP);

        if (pthread_create(&reaper, NULL, blocking_reaper, NULL) != 0) {
            perror("pthread_create");
            exit(1);
        }
    } else if (bug == BUG_SLOW_REAP || bug == BUG_REAP_ON_ACCEPT) {
        /* REAP-1/REAP-4 bugs: no SIGCHLD handler at all (see main loop). */
    } else if (bug == BUG_ONESHOT_HANDLER) {
        /* REAP-5 bug: SA_RESETHAND puts SIG_DFL back after the first
         * SIGCHLD, so later children are never reaped. */
        set_handler(SIGCHLD, on_sigchld, SA_RESTART | SA_NOCLDSTOP | SA_RESETHAND);
    } else if (bug == BUG_EINTR_FATAL) {
        /* INTR-1/INTR-2 bug (part 1): no SA_RESTART, so SIGCHLD interrupts
         * accept() with EINTR, which accept_client() treats as fatal. */
        set_handler(SIGCHLD, on_sigchld, SA_NOCLDSTOP);
    } else {
        set_handler(SIGCHLD, on_sigchld, SA_RESTART | SA_NOCLDSTOP);
    }

    if (mode == MODE_PREFORK) {
        /* SIGHUP: replace the workers one by one (see prefork_serve()).
         * Fork mode leaves SIGHUP alone. */
        set_handler(SIGHUP, on_sighup, SA_RESTART);
    }

    announce(listen_fd);
    if (mode == MODE_PREFORK)
        prefork_serve();
    serve_forever();
    return 0;
}
