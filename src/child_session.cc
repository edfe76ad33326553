#include "src/child_session.h"

#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>

#include "src/exit_codes.h"
#include "src/idle_timer.h"
#include "src/io.h"
#include "src/signals.h"
#include "src/test_hooks.h"

namespace forkcheck {
namespace {

class Session {
 public:
  Session(int conn, const ChildConfig& config)
      : conn_(conn), hooks_(config.test_hooks), timer_(config.idle_timeout_ms) {}

  // Returns at the client's EOF; _exits otherwise.
  CHILD_PATH void Run();

 private:
  CHILD_PATH void Echo(const char* data, size_t len);
  void EchoWithHooks(const char* data, size_t len);
  void Obey(const Hook& hook);
  void SleepMs(int ms);

  int conn_;
  bool hooks_;
  bool at_line_start_ = true;
  IdleTimer timer_;
};

void Session::Run() {
  char buf[16384];
  timer_.Arm();
  for (;;) {
    if (timer_.expired()) _exit(kExitIdleTimeout);
    ssize_t n = read(conn_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) _exit(kExitIoError);
    if (n == 0) break;
    timer_.Arm();
    if (hooks_) {
      EchoWithHooks(buf, static_cast<size_t>(n));
    } else {
      Echo(buf, static_cast<size_t>(n));
    }
  }
  // A prefork worker goes back to waiting: no SIGALRM may interrupt that.
  timer_.Disarm();
}

void Session::Echo(const char* data, size_t len) {
  switch (WriteAll(conn_, data, len, timer_.flag())) {
    case WriteResult::kOk:
      return;
    case WriteResult::kCancelled:
      _exit(kExitIdleTimeout);
    case WriteResult::kError:
      _exit(kExitIoError);
  }
}

void Session::EchoWithHooks(const char* data, size_t len) {
  size_t pending = 0;  // start of bytes not yet echoed
  size_t i = 0;
  while (i < len) {
    Hook hook;
    if (at_line_start_ && data[i] == '!') hook = ParseHook(data + i, len - i);
    if (hook.kind != Hook::Kind::kNone) {
      Echo(data + pending, i - pending);
      Obey(hook);
      i += hook.length;
      pending = i;
      continue;
    }
    at_line_start_ = data[i] == '\n';
    ++i;
  }
  Echo(data + pending, len - pending);
}

void Session::Obey(const Hook& hook) {
  switch (hook.kind) {
    case Hook::Kind::kExit:
      _exit(hook.arg);
    case Hook::Kind::kRaise: {
      SetDisposition(hook.arg, SIG_DFL);
      sigset_t set = MakeSigset({hook.arg});
      sigprocmask(SIG_UNBLOCK, &set, nullptr);
      raise(hook.arg);
      return;
    }
    case Hook::Kind::kSleep:
      timer_.Disarm();
      SleepMs(hook.arg);
      timer_.Arm();
      return;
    case Hook::Kind::kNone:
      return;
  }
}

void Session::SleepMs(int ms) {
  timespec left = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&left, &left) < 0 && errno == EINTR) {
  }
}

}  // namespace

void ServeSession(int conn, const ChildConfig& config) {
  Session session(conn, config);
  session.Run();
}

void RunChildSession(int conn, const ChildConfig& config) {
  ServeSession(conn, config);
  // Client EOF: every byte received has already been written back.
  close(conn);
  _exit(kExitOk);
}

}  // namespace forkcheck
