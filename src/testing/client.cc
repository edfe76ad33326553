#include "src/testing/client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "src/testing/test_env.h"

namespace forkcheck::testing {
namespace {

ReadEnd ClassifyRead(ssize_t n) {
  if (n == 0) return ReadEnd::kEof;
  if (errno == EAGAIN || errno == EWOULDBLOCK) return ReadEnd::kTimeout;
  return ReadEnd::kReset;
}

}  // namespace

int ConnectTo(int port, int timeout_ms) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int ms = ScaledMs(timeout_ms);
  timeval tv = {ms / 1000, (ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

ReadEnd ReadExactly(int fd, size_t n, std::string* out) {
  char buf[65536];
  while (out->size() < n) {
    size_t want = std::min(sizeof buf, n - out->size());
    ssize_t got = recv(fd, buf, want, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return ClassifyRead(got);
    out->append(buf, static_cast<size_t>(got));
  }
  return ReadEnd::kData;
}

ReadEnd ReadToEof(int fd, std::string* out) {
  char buf[65536];
  for (;;) {
    ssize_t got = recv(fd, buf, sizeof buf, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return ClassifyRead(got);
    out->append(buf, static_cast<size_t>(got));
  }
}

std::string EchoRoundTrip(int port, const std::string& payload) {
  int fd = ConnectTo(port);
  if (fd < 0) return "";
  std::string out;
  if (SendAll(fd, payload) && shutdown(fd, SHUT_WR) == 0) ReadToEof(fd, &out);
  close(fd);
  return out;
}

}  // namespace forkcheck::testing
