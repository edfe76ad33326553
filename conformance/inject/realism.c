/* The realism rules of SPEC.md ("What the kit injects"), decided from the
 * caller's own state: its descriptors (fcntl, poll with a zero timeout,
 * socket timeouts), its children (waitid with WNOWAIT) and its signal
 * handlers (sigaction with a null action, the thread's signal mask). */
#define _GNU_SOURCE
#include "conformance/inject/realism.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "conformance/inject/fault_block.h"

/* A signal with a handler, not blocked in this thread; with `no_restart`,
 * only one whose handler was installed without SA_RESTART counts. */
static int interrupting_handler(int no_restart) {
  sigset_t mask;
  if (sigprocmask(SIG_BLOCK, NULL, &mask) != 0) return 0;
  for (int sig = 1; sig < NSIG; ++sig) {
    struct sigaction action;
    if (sig == SIGKILL || sig == SIGSTOP || sigaction(sig, NULL, &action) != 0) continue;
    if (action.sa_handler == SIG_DFL || action.sa_handler == SIG_IGN) continue;
    if (sigismember(&mask, sig) == 1) continue;
    if (no_restart && (action.sa_flags & SA_RESTART)) continue;
    return 1;
  }
  return 0;
}

static int nonblocking(int fd, int msg_flags) {
  if (msg_flags & MSG_DONTWAIT) return 1;
  int flags = fcntl(fd, F_GETFL);
  return flags >= 0 && (flags & O_NONBLOCK);
}

/* Ready, hung up or in error: the call returns without sleeping. */
static int ready(int fd, short events) {
  struct pollfd pfd = {fd, events, 0};
  return poll(&pfd, 1, 0) > 0;
}

/* signal(7): a socket call with SO_RCVTIMEO/SO_SNDTIMEO is never restarted. */
static int never_restarted(int fd, int option) {
  struct timeval timeout = {0, 0};
  socklen_t len = sizeof timeout;
  return getsockopt(fd, SOL_SOCKET, option, &timeout, &len) == 0 && (timeout.tv_sec || timeout.tv_usec);
}

/* A child that wait would return at once, or no child at all (ECHILD). */
static int wait_returns_at_once(const struct fc_call *call) {
  if (call->wait_options & WNOHANG) return 1;
  siginfo_t info;
  memset(&info, 0, sizeof info);
  int flags = WEXITED | WNOHANG | WNOWAIT | (call->wait_options & (__WALL | __WCLONE | __WNOTHREAD));
  if (call->wait_options & WUNTRACED) flags |= WSTOPPED;
  if (call->wait_options & WCONTINUED) flags |= WCONTINUED;
  if (waitid(call->idtype, call->id, &info, flags) != 0) return 1;
  return info.si_pid != 0;
}

static enum fc_eintr decide_eintr(const struct fc_call *call) {
  if (call->family == FC_WAITPID) {
    if (wait_returns_at_once(call)) return FC_EINTR_CANNOT_BLOCK;
    return interrupting_handler(1) ? FC_EINTR_POSSIBLE : FC_EINTR_RESTARTED;
  }
  short events = call->family == FC_WRITE ? POLLOUT : POLLIN;
  if (nonblocking(call->fd, call->msg_flags) || ready(call->fd, events)) return FC_EINTR_CANNOT_BLOCK;
  int timeout_option = call->family == FC_WRITE ? SO_SNDTIMEO : SO_RCVTIMEO;
  return interrupting_handler(!never_restarted(call->fd, timeout_option)) ? FC_EINTR_POSSIBLE
                                                                          : FC_EINTR_RESTARTED;
}

enum fc_eintr fc_eintr_possible(const struct fc_call *call) {
  int saved = errno;
  enum fc_eintr verdict = decide_eintr(call);
  errno = saved;
  return verdict;
}

int fc_short_write_possible(const struct fc_call *call) {
  int saved = errno;
  int possible = nonblocking(call->fd, call->msg_flags) || interrupting_handler(0);
  errno = saved;
  return possible;
}

struct fc_call fc_wait_call(pid_t pid, int options) {
  struct fc_call call = {FC_WAITPID, -1, 0, P_ALL, 0, options};
  if (pid > 0) {
    call.idtype = P_PID;
    call.id = (id_t)pid;
  } else if (pid < -1) {
    call.idtype = P_PGID;
    call.id = (id_t)-pid;
  } else if (pid == 0) {
    call.idtype = P_PGID;
    call.id = (id_t)getpgrp();
  }
  return call;
}
