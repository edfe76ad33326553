/* libforkcheck_inject.so: LD_PRELOADed into the server under test, it fails
 * or shortens the calls that the runner arms in the shared control block
 * (fault_block.h, path in FORKCHECK_FAULTS). Without that variable, or with
 * nothing armed, every call goes straight to libc.
 *
 * Only faults the kernel could give the caller in its present state are
 * injected (realism.c); the calls spared are counted by reason.
 *
 * Wrappers may run inside signal handlers (waitpid in a SIGCHLD handler), so
 * everything past the constructor is async-signal-safe: no malloc, no stdio,
 * only atomics and plain syscalls. errno is preserved on every path that
 * does not inject. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conformance/inject/fault_block.h"
#include "conformance/inject/realism.h"

static struct fc_block *block;

/* ---- the real functions ------------------------------------------------ */

static pid_t (*real_fork)(void);
static pid_t (*real__Fork)(void);
static int (*real_accept)(int, __SOCKADDR_ARG, socklen_t *);
static int (*real_accept4)(int, __SOCKADDR_ARG, socklen_t *, int);
static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_recv)(int, void *, size_t, int);
static ssize_t (*real_recvfrom)(int, void *, size_t, int, __SOCKADDR_ARG, socklen_t *);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_send)(int, const void *, size_t, int);
static ssize_t (*real_sendto)(int, const void *, size_t, int, __CONST_SOCKADDR_ARG, socklen_t);
static pid_t (*real_waitpid)(pid_t, int *, int);
static pid_t (*real_wait)(int *);
static pid_t (*real_wait3)(int *, int, struct rusage *);
static pid_t (*real_wait4)(pid_t, int *, int, struct rusage *);

/* Normally resolved by the constructor; lazily only when another library's
 * constructor calls us first. */
#define REAL(name) \
  (real_##name ? real_##name : (*(void **)&real_##name = dlsym(RTLD_NEXT, #name), real_##name))

static void resolve_all(void) {
  (void)REAL(fork), (void)REAL(_Fork), (void)REAL(accept), (void)REAL(accept4);
  (void)REAL(read), (void)REAL(recv), (void)REAL(recvfrom), (void)REAL(write);
  (void)REAL(send), (void)REAL(sendto), (void)REAL(waitpid), (void)REAL(wait);
  (void)REAL(wait3), (void)REAL(wait4);
}

/* ---- the control block ------------------------------------------------- */

static struct fc_block *map_block(const char *path) {
  int fd = open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  void *map = MAP_FAILED;
  if (fstat(fd, &st) == 0 && st.st_size >= (off_t)sizeof(struct fc_block))
    map = mmap(NULL, sizeof(struct fc_block), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (map == MAP_FAILED) return NULL;
  struct fc_block *b = map;
  if (__atomic_load_n(&b->magic, __ATOMIC_ACQUIRE) != FC_MAGIC) {
    munmap(map, sizeof(struct fc_block));
    return NULL;
  }
  return b;
}

__attribute__((constructor)) static void fc_init(void) {
  int saved = errno;
  resolve_all();
  const char *path = getenv("FORKCHECK_FAULTS");
  if (path != NULL && *path != '\0') {
    struct fc_block *b = map_block(path);
    if (b != NULL) {
      /* First loader wins: an exec'd descendant that loads us again finds
       * the parent's pid already there and counts as a child. */
      int none = 0;
      __atomic_compare_exchange_n(&b->root_pid, &none, (int)getpid(), 0, __ATOMIC_ACQ_REL,
                                  __ATOMIC_ACQUIRE);
      block = b;
    }
  }
  errno = saved;
}

/* ---- deciding ------------------------------------------------------------ */

/* Decrements *counter if it is positive; returns whether it did. */
static int take(long *counter) {
  long now = __atomic_load_n(counter, __ATOMIC_ACQUIRE);
  while (now > 0)
    if (__atomic_compare_exchange_n(counter, &now, now - 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
      return 1;
  return 0;
}

static int take_fault(long *count) {
  return __atomic_load_n(count, __ATOMIC_ACQUIRE) < 0 || take(count);
}

static void add(long *counter) { __atomic_add_fetch(counter, 1, __ATOMIC_RELAXED); }

static int role_matches(int rule_role, int who) {
  if (rule_role == FC_ROLE_PARENT) return who == FC_PARENT;
  if (rule_role == FC_ROLE_CHILDREN) return who == FC_CHILD;
  return 1;
}

struct decision {
  int error;     /* fail with this errno; 0 = call through */
  size_t cap;    /* transfers: at most this many bytes; 0 = no cap */
  int who;
  int delay_ms;  /* fork: sleep this long after it returns, on one side */
  int delay_child;
};

/* The rule's errno, if the kernel could return it to this call now. */
static int realistic_error(struct fc_rule *rule, const struct fc_call *call, struct fc_counts *counts) {
  int error = __atomic_load_n(&rule->error, __ATOMIC_RELAXED);
  if (error != EINTR) return error;
  switch (fc_eintr_possible(call)) {
    case FC_EINTR_POSSIBLE: return EINTR;
    case FC_EINTR_CANNOT_BLOCK: add(&counts->cannot_block); return 0;
    case FC_EINTR_RESTARTED: add(&counts->restarting); return 0;
  }
  return 0;
}

static int inject_now(struct fc_rule *rule) {
  if (take(&rule->skip)) return 0;
  long every = __atomic_load_n(&rule->every, __ATOMIC_RELAXED);
  long seq = __atomic_fetch_add(&rule->seen, 1, __ATOMIC_RELAXED);
  return (every <= 1 || seq % every == 0) && take_fault(&rule->count);
}

static size_t realistic_cap(struct fc_rule *rule, const struct fc_call *call, struct fc_counts *counts) {
  int short_max = __atomic_load_n(&rule->short_max, __ATOMIC_RELAXED);
  if (short_max <= 0) return 0;
  if (call->family == FC_WRITE && !fc_short_write_possible(call)) {
    add(&counts->uncuttable);
    return 0;
  }
  return (size_t)short_max;
}

static struct decision decide(const struct fc_call *call) {
  struct decision d = {0, 0, getpid() == __atomic_load_n(&block->root_pid, __ATOMIC_ACQUIRE)
                                 ? FC_PARENT : FC_CHILD, 0, 0};
  struct fc_counts *counts = &block->counts[call->family][d.who];
  add(&counts->calls);
  struct fc_rule *rule = &block->rules[call->family];
  if (!__atomic_load_n(&rule->armed, __ATOMIC_ACQUIRE)) return d;
  if (!role_matches(__atomic_load_n(&rule->role, __ATOMIC_RELAXED), d.who)) return d;
  add(&counts->candidates);
  int error = realistic_error(rule, call, counts);
  if (error != 0 && inject_now(rule)) {
    add(&counts->injected);
    d.error = error;
    return d;
  }
  int delay_ms = __atomic_load_n(&rule->delay_ms, __ATOMIC_RELAXED);
  if (delay_ms > 0 && error == 0 && inject_now(rule)) {
    d.delay_ms = delay_ms;
    d.delay_child = __atomic_load_n(&rule->delay_child, __ATOMIC_RELAXED);
  }
  d.cap = realistic_cap(rule, call, counts);
  return d;
}

/* Only sockets: the server's logging to stderr and its pipes are left alone. */
static int is_socket(int fd) {
  int saved = errno;
  struct stat st;
  int yes = fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
  errno = saved;
  return yes;
}

static size_t capped(int family, const struct decision *d, size_t len) {
  if (d->cap == 0 || len <= d->cap) return len;
  add(&block->counts[family][d->who].shortened);
  return d->cap;
}

static struct fc_call on_fd(int family, int fd, int msg_flags) {
  struct fc_call call = {family, fd, msg_flags, P_ALL, 0, 0};
  return call;
}

#define FAIL_WITH(d, failure) \
  do {                        \
    if ((d).error != 0) {     \
      errno = (d).error;      \
      return (failure);       \
    }                         \
  } while (0)

/* ---- the wrappers ------------------------------------------------------ */

/* The scheduler may run either side of a fork() first and for as long as
 * it likes: sleeping one side for a while is a delay it could give too.
 * Counted under the role of the process that called fork(). A
 * signal handler may run during the sleep (that is the point: a child that
 * ends at once is reaped before the parent returns); the sleep goes on for
 * its whole length after it. */
static void sleep_after_fork(const struct decision *d, pid_t pid) {
  if (d->delay_ms <= 0 || pid < 0 || (pid == 0) != d->delay_child) return;
  int saved = errno;
  add(&block->counts[FC_FORK][d->who].delayed);
  struct timespec left = {d->delay_ms / 1000, (long)(d->delay_ms % 1000) * 1000000L};
  while (nanosleep(&left, &left) != 0 && errno == EINTR) {
  }
  errno = saved;
}

static pid_t fork_through(pid_t (*real)(void)) {
  if (block == NULL) return real();
  struct fc_call call = on_fd(FC_FORK, -1, 0);
  struct decision d = decide(&call);
  FAIL_WITH(d, -1);
  pid_t pid = real();
  sleep_after_fork(&d, pid);
  return pid;
}

pid_t fork(void) { return fork_through(REAL(fork)); }

/* POSIX.1-2024's fork() without the atfork handlers. glibc's fork() calls
 * it inside libc, not through this symbol: no fork is counted twice. */
pid_t _Fork(void) { return fork_through(REAL(_Fork)); }

int accept(int fd, __SOCKADDR_ARG addr, socklen_t *len) {
  if (block == NULL) return REAL(accept)(fd, addr, len);
  struct fc_call call = on_fd(FC_ACCEPT, fd, 0);
  struct decision d = decide(&call);
  FAIL_WITH(d, -1);
  return REAL(accept)(fd, addr, len);
}

int accept4(int fd, __SOCKADDR_ARG addr, socklen_t *len, int flags) {
  if (block == NULL) return REAL(accept4)(fd, addr, len, flags);
  struct fc_call call = on_fd(FC_ACCEPT, fd, 0);
  struct decision d = decide(&call);
  FAIL_WITH(d, -1);
  return REAL(accept4)(fd, addr, len, flags);
}

ssize_t read(int fd, void *buf, size_t len) {
  if (block == NULL || !is_socket(fd)) return REAL(read)(fd, buf, len);
  struct fc_call call = on_fd(FC_READ, fd, 0);
  struct decision d = decide(&call);
  FAIL_WITH(d, -1);
  return REAL(read)(fd, buf, capped(FC_READ, &d, len));
}

ssize_t recv(int fd, void *buf, size_t len, int flags) {
  if (block == NULL || !is_socket(fd)) return REAL(recv)(fd, buf, len, flags);
  struct fc_call call = on_fd(FC_READ, fd, flags);
  struct decision d = decide(&call);
  FAIL_WITH(d, -1);
  return REAL(recv)(fd, buf, capped(FC_READ, &d, len), flags);
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, __SOCKADDR_ARG addr, socklen_t *alen) {
  if (block == NULL || !is_socket(fd)) return REAL(recvfrom)(fd, buf, len, flags, addr, alen);
  struct fc_call call = on_fd(FC_READ, fd, flags);
  struct decision d = decide(&call);
  FAIL_WITH(d, -1);
  return REAL(recvfrom)(fd, buf, capped(FC_READ, &d, len), flags, addr, alen);
}

ssize_t write(int fd, const void *buf, size_t len) {
  if (block == NULL || !is_socket(fd)) return REAL(write)(fd, buf, len);
  struct fc_call call = on_fd(FC_WRITE, fd, 0);
  struct decision d = decide(&call);
  FAIL_WITH(d, -1);
  return REAL(write)(fd, buf, capped(FC_WRITE, &d, len));
}

ssize_t send(int fd, const void *buf, size_t len, int flags) {
  if (block == NULL || !is_socket(fd)) return REAL(send)(fd, buf, len, flags);
  struct fc_call call = on_fd(FC_WRITE, fd, flags);
  struct decision d = decide(&call);
  FAIL_WITH(d, -1);
  return REAL(send)(fd, buf, capped(FC_WRITE, &d, len), flags);
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags, __CONST_SOCKADDR_ARG addr,
               socklen_t alen) {
  if (block == NULL || !is_socket(fd)) return REAL(sendto)(fd, buf, len, flags, addr, alen);
  struct fc_call call = on_fd(FC_WRITE, fd, flags);
  struct decision d = decide(&call);
  FAIL_WITH(d, -1);
  return REAL(sendto)(fd, buf, capped(FC_WRITE, &d, len), flags, addr, alen);
}

pid_t waitpid(pid_t pid, int *status, int options) {
  if (block == NULL) return REAL(waitpid)(pid, status, options);
  struct fc_call call = fc_wait_call(pid, options);
  struct decision d = decide(&call);
  FAIL_WITH(d, -1);
  return REAL(waitpid)(pid, status, options);
}

pid_t wait(int *status) {
  if (block == NULL) return REAL(wait)(status);
  struct fc_call call = fc_wait_call(-1, 0);
  struct decision d = decide(&call);
  FAIL_WITH(d, -1);
  return REAL(wait)(status);
}

pid_t wait3(int *status, int options, struct rusage *usage) {
  if (block == NULL) return REAL(wait3)(status, options, usage);
  struct fc_call call = fc_wait_call(-1, options);
  struct decision d = decide(&call);
  FAIL_WITH(d, -1);
  return REAL(wait3)(status, options, usage);
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage) {
  if (block == NULL) return REAL(wait4)(pid, status, options, usage);
  struct fc_call call = fc_wait_call(pid, options);
  struct decision d = decide(&call);
  FAIL_WITH(d, -1);
  return REAL(wait4)(pid, status, options, usage);
}
