/* The control block shared by the runner and every process of the server
 * under test: a file mmapped MAP_SHARED, so one write by the runner arms or
 * disarms a fault in the listening parent and in all its children at once.
 * Plain C, included by the preload library and by the C++ controller; every
 * field is read and written with __atomic builtins. */
#ifndef FORKCHECK_CONFORMANCE_INJECT_FAULT_BLOCK_H_
#define FORKCHECK_CONFORMANCE_INJECT_FAULT_BLOCK_H_

#define FC_MAGIC 0x666b6331u /* "fkc1" */

enum fc_family { FC_FORK, FC_ACCEPT, FC_READ, FC_WRITE, FC_WAITPID, FC_FAMILIES };
enum fc_role { FC_ROLE_ANY, FC_ROLE_PARENT, FC_ROLE_CHILDREN };
enum { FC_PARENT = 0, FC_CHILD = 1 }; /* index of the per-role counters */

struct fc_rule {
  int armed;
  int error;     /* errno to fail with; 0 = none */
  int role;      /* enum fc_role */
  int short_max; /* read/write: cap each transfer at this many bytes; 0 = no cap */
  long every;    /* fail only every Nth candidate call (<= 1: each one) */
  long skip;     /* matching calls still to let through untouched */
  long count;    /* failures still to inject; -1 = until disarmed */
  long seen;     /* candidate calls so far, for `every` */
};

struct fc_block {
  unsigned magic;
  int root_pid; /* the first process that loaded the library; others are children */
  struct fc_rule rules[FC_FAMILIES];
  long calls[FC_FAMILIES][2];
  long injected[FC_FAMILIES][2]; /* calls failed with the rule's errno */
  long shortened[FC_FAMILIES][2]; /* transfers capped at short_max */
};

#endif /* FORKCHECK_CONFORMANCE_INJECT_FAULT_BLOCK_H_ */
