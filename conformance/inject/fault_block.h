/* The control block shared by the runner and every process of the server
 * under test: a file mmapped MAP_SHARED, so one write by the runner arms or
 * disarms a fault in the listening parent and in all its children at once.
 * Plain C, included by the preload library and by the C++ controller; every
 * field is read and written with __atomic builtins. */
#ifndef FORKCHECK_CONFORMANCE_INJECT_FAULT_BLOCK_H_
#define FORKCHECK_CONFORMANCE_INJECT_FAULT_BLOCK_H_

#define FC_MAGIC 0x666b6333u /* "fkc3" */

enum fc_family { FC_FORK, FC_ACCEPT, FC_READ, FC_WRITE, FC_WAITPID, FC_FAMILIES };
enum fc_role { FC_ROLE_ANY, FC_ROLE_PARENT, FC_ROLE_CHILDREN };
enum { FC_PARENT = 0, FC_CHILD = 1 }; /* index of the per-role counters */

struct fc_rule {
  int armed;
  int error;     /* errno to fail with; 0 = none */
  int role;      /* enum fc_role */
  int short_max; /* read/write: cap each transfer at this many bytes; 0 = no cap */
  long every;    /* fail only every Nth eligible call (<= 1: each one) */
  long skip;     /* eligible calls still to let through untouched */
  long count;    /* failures still to inject; -1 = until disarmed */
  long seen;     /* eligible calls so far, for `every` */
  int delay_ms;  /* fork: after it returns, one side sleeps this long */
  int delay_child; /* ... the new child (else the parent) */
};

/* What the library saw of one family in one role. A rule only injects what
 * the kernel could return in the caller's state (SPEC.md, "What the kit
 * injects"); the calls it had to spare are counted by reason. */
struct fc_counts {
  long calls;        /* every call */
  long candidates;   /* calls an armed rule of this role looked at */
  long cannot_block; /* EINTR armed, but the call could not block: WNOHANG,
                        O_NONBLOCK/MSG_DONTWAIT, ready now, or no child */
  long restarting;   /* EINTR armed, the call would block, but no caught and
                        unblocked signal could interrupt it (SA_RESTART) */
  long injected;     /* calls failed with the rule's errno */
  long shortened;    /* transfers capped at short_max */
  long uncuttable;   /* write cap armed, but a blocking socket and no caught
                        signal: the kernel would not cut that write short */
  long delayed;      /* fork: returns delayed by delay_ms (counted where it
                        slept: the parent's role, or the child's) */
};

struct fc_block {
  unsigned magic;
  int root_pid; /* the first process that loaded the library; others are children */
  struct fc_rule rules[FC_FAMILIES];
  struct fc_counts counts[FC_FAMILIES][2];
};

#endif /* FORKCHECK_CONFORMANCE_INJECT_FAULT_BLOCK_H_ */
