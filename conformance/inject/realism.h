/* What the kernel could do to a call in the caller's present state: the
 * preload library injects only those faults (SPEC.md, "What the kit
 * injects"). Async-signal-safe, errno preserved. */
#ifndef FORKCHECK_CONFORMANCE_INJECT_REALISM_H_
#define FORKCHECK_CONFORMANCE_INJECT_REALISM_H_

#include <stddef.h>
#include <sys/types.h>
#include <sys/wait.h>

/* One intercepted call: its descriptor and flags, or what it waits for. */
struct fc_call {
  int family;       /* enum fc_family */
  int fd;           /* accept/read/write: the descriptor */
  int msg_flags;    /* recv/send flags (MSG_DONTWAIT) */
  idtype_t idtype;  /* wait family: whom it waits for, as waitid(2) says it */
  id_t id;
  int wait_options; /* WNOHANG, WUNTRACED, ... */
};

enum fc_eintr {
  FC_EINTR_POSSIBLE,     /* the call would block and a signal could cut it */
  FC_EINTR_CANNOT_BLOCK, /* it returns at once: WNOHANG, O_NONBLOCK, ready */
  FC_EINTR_RESTARTED     /* it would block, but every caught and unblocked
                            signal has SA_RESTART (or none is caught) */
};

/* Whether a real signal could make this call fail with EINTR now. */
enum fc_eintr fc_eintr_possible(const struct fc_call *call);

/* Whether the kernel could return a short count from this write: a
 * non-blocking socket, or a blocking one and a signal that could cut it. */
int fc_short_write_possible(const struct fc_call *call);

/* fc_call for waitpid(pid, ..., options) and wait4. */
struct fc_call fc_wait_call(pid_t pid, int options);

#endif /* FORKCHECK_CONFORMANCE_INJECT_REALISM_H_ */
