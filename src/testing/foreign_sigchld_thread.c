// Test preload: a thread that a library started takes every SIGCHLD. The
// thread runs with no signal blocked, and ppoll() in the program keeps
// SIGCHLD blocked, so the handler always runs in that thread and only the
// self-pipe can wake the main loop.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

typedef int (*ppoll_fn)(struct pollfd*, nfds_t, const struct timespec*, const sigset_t*);

static void* Idle(void* unused) {
  (void)unused;
  for (;;) pause();
  return NULL;
}

__attribute__((constructor)) static void StartForeignThread(void) {
  sigset_t none, saved;
  pthread_t thread;
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, &saved);
  pthread_create(&thread, NULL, Idle, NULL);
  pthread_sigmask(SIG_SETMASK, &saved, NULL);
}

int ppoll(struct pollfd* fds, nfds_t nfds, const struct timespec* timeout, const sigset_t* mask) {
  static ppoll_fn real;
  sigset_t with_sigchld;
  if (real == NULL) real = (ppoll_fn)dlsym(RTLD_NEXT, "ppoll");
  if (mask != NULL) {
    with_sigchld = *mask;
    sigaddset(&with_sigchld, SIGCHLD);
    mask = &with_sigchld;
  }
  return real(fds, nfds, timeout, mask);
}
