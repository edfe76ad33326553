/* LD_PRELOAD for fork_failure_test, after libfiu's POSIX preload. That
 * preload fails fork() at the failure point posix/proc/fork, but it has no
 * wrapper for _Fork(), which the reference calls for session children:
 * this one makes _Fork() obey the same failure point. errno is the point's
 * failinfo (EAGAIN without one). */
#define _GNU_SOURCE
#define FIU_ENABLE 1
#include <dlfcn.h>
#include <errno.h>
#include <fiu.h>
#include <stdint.h>
#include <unistd.h>

pid_t _Fork(void) {
  static pid_t (*real)(void);
  if (fiu_fail("posix/proc/fork")) {
    intptr_t info = (intptr_t)fiu_failinfo();
    errno = info != 0 ? (int)info : EAGAIN;
    return -1;
  }
  if (real == NULL) *(void **)&real = dlsym(RTLD_NEXT, "_Fork");
  return real();
}
