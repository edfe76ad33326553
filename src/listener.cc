#include "src/listener.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace forkcheck {
namespace {

constexpr int kBacklog = 1024;

std::string FormatAddress(const sockaddr_storage& ss) {
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (ss.ss_family == AF_INET) {
    auto* sin = reinterpret_cast<const sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &sin->sin_addr, host, sizeof host);
    port = ntohs(sin->sin_port);
    return std::string(host) + ":" + std::to_string(port);
  }
  auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&ss);
  inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof host);
  port = ntohs(sin6->sin6_port);
  return "[" + std::string(host) + "]:" + std::to_string(port);
}

Listener Fail(const std::string& what, int fd) {
  Listener l;
  l.error = what + ": " + strerror(errno);
  if (fd >= 0) close(fd);
  return l;
}

Listener Finish(int fd) {
  sockaddr_storage ss = {};
  socklen_t len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) < 0) {
    return Fail("getsockname", fd);
  }
  Listener l;
  l.fd = fd;
  l.address = FormatAddress(ss);
  return l;
}

}  // namespace

Listener BindListener(const std::string& host, int port) {
  addrinfo hints = {};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
  addrinfo* ai = nullptr;
  std::string service = std::to_string(port);
  if (getaddrinfo(host.c_str(), service.c_str(), &hints, &ai) != 0) {
    Listener l;
    l.error = "--bind: not a numeric IP address: " + host;
    return l;
  }
  int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    freeaddrinfo(ai);
    return Fail("socket", -1);
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  int rc = bind(fd, ai->ai_addr, ai->ai_addrlen);
  freeaddrinfo(ai);
  if (rc < 0) return Fail("bind " + host + ":" + service, fd);
  if (listen(fd, kBacklog) < 0) return Fail("listen", fd);
  return Finish(fd);
}

Listener InheritListener() {
  const char* pid = getenv("LISTEN_PID");
  const char* fds = getenv("LISTEN_FDS");
  bool ours = pid != nullptr && fds != nullptr &&
              strtol(pid, nullptr, 10) == getpid() && strcmp(fds, "1") == 0;
  unsetenv("LISTEN_PID");
  unsetenv("LISTEN_FDS");
  unsetenv("LISTEN_FDNAMES");
  if (!ours) return Listener();
  constexpr int kFirstFd = 3;
  fcntl(kFirstFd, F_SETFD, FD_CLOEXEC);
  int flags = fcntl(kFirstFd, F_GETFL);
  if (flags < 0 || fcntl(kFirstFd, F_SETFL, flags | O_NONBLOCK) < 0) {
    return Fail("LISTEN_FDS: fd 3", -1);
  }
  return Finish(kFirstFd);
}

}  // namespace forkcheck
