#include "conformance/harness/tcp_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <functional>
#include <random>
#include <thread>
#include <optional>
#include <utility>

#include "conformance/harness/loopback.h"

namespace forkcheck {
namespace {

// One connect attempt; refused connections are retried by the caller.
int ConnectOnce(const std::string& host, uint16_t port, const Deadline& deadline) {
  sockaddr_storage addr;
  socklen_t length;
  if (!LoopbackAddress(host, port, &addr, &length)) return -1;
  int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), length) == 0) return fd;
  if (errno != EINPROGRESS) {
    close(fd);
    return -1;
  }
  pollfd pfd{fd, POLLOUT, 0};
  if (poll(&pfd, 1, deadline.RemainingMsForPoll()) != 1) {
    close(fd);
    return -1;
  }
  int error = 0;
  socklen_t len = sizeof error;
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
  if (error != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool WaitFor(int fd, short events, const Deadline& deadline) {
  pollfd pfd{fd, events, 0};
  for (;;) {
    int ready = poll(&pfd, 1, deadline.RemainingMsForPoll());
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return false;
  }
}

constexpr size_t kUnbounded = SIZE_MAX;

enum class Received { kEnough, kEof, kTimeout, kError };

// The one receive loop of the readers: appends to *out until `wanted(*out)`
// (how many more bytes to take) is 0, the peer ends the stream, or the
// deadline passes.
Received Receive(int fd, std::string* out, const std::function<size_t(const std::string&)>& wanted,
                 Millis budget) {
  Deadline deadline(budget);
  char buffer[65536];
  for (size_t want; (want = wanted(*out)) > 0;) {
    ssize_t n = recv(fd, buffer, std::min(sizeof buffer, want), 0);
    if (n > 0) {
      out->append(buffer, static_cast<size_t>(n));
    } else if (n == 0) {
      return Received::kEof;
    } else if (errno != EAGAIN && errno != EINTR) {
      return Received::kError;
    } else if (!WaitFor(fd, POLLIN, deadline)) {
      return Received::kTimeout;
    }
  }
  return Received::kEnough;
}

}  // namespace

TcpClient::TcpClient(int fd) : fd_(fd) {
  sockaddr_storage local{};
  socklen_t len = sizeof local;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) == 0) local_port_ = PortOf(local);
}

TcpClient::~TcpClient() { Close(); }

TcpClient::TcpClient(TcpClient&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), local_port_(other.local_port_), log_(std::move(other.log_)) {}

TcpClient& TcpClient::operator=(TcpClient&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = std::exchange(other.fd_, -1);
    local_port_ = other.local_port_;
    log_ = std::move(other.log_);
  }
  return *this;
}

std::optional<TcpClient> TcpClient::Connect(const std::string& host, uint16_t port, Millis budget) {
  Deadline deadline(budget);
  for (;;) {
    int fd = ConnectOnce(host, port, deadline);
    if (fd >= 0) return TcpClient(fd);
    if (deadline.Expired()) return std::nullopt;
    std::this_thread::sleep_for(std::min(Millis(5), deadline.Remaining()));
  }
}

bool TcpClient::SendAll(const std::string& bytes, Millis budget) {
  Deadline deadline(budget);
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!WaitFor(fd_, POLLOUT, deadline)) return false;
    } else {
      return false;
    }
  }
  return true;
}

std::string TcpClient::ReadUpTo(size_t count, Millis budget) {
  std::string out;
  Receive(fd_, &out, [&](const std::string& so_far) { return count - so_far.size(); }, budget);
  return out;
}

TcpClient::End TcpClient::ReadToEnd(std::string* out, Millis budget) {
  switch (Receive(fd_, out, [](const std::string&) { return kUnbounded; }, budget)) {
    case Received::kEof:
      return End::kEof;
    case Received::kTimeout:
      return End::kTimeout;
    default:
      return End::kReset;
  }
}

bool TcpClient::ReadUntil(std::string* out, const std::function<bool(const std::string&)>& complete, Millis budget) {
  auto wanted = [&](const std::string& so_far) { return complete(so_far) ? 0 : kUnbounded; };
  return Receive(fd_, out, wanted, budget) == Received::kEnough;
}

void TcpClient::LogTo(std::shared_ptr<EventLog> log) {
  log_ = std::move(log);
  if (fd_ >= 0) Log(EventKind::kConnected);
}

void TcpClient::Log(EventKind kind) const {
  if (log_) log_->Add(kind, 0, local_port_);
}

void TcpClient::ShrinkReceiveBuffer(int bytes) {
  if (fd_ >= 0) setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
}

void TcpClient::ShutdownWrite() {
  if (fd_ < 0) return;
  shutdown(fd_, SHUT_WR);
  Log(EventKind::kHalfClosed);
}

void TcpClient::Abort() {
  if (fd_ < 0) return;
  linger reset{1, 0};
  setsockopt(fd_, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  close(std::exchange(fd_, -1));
  Log(EventKind::kReset);
}

void TcpClient::Close() {
  if (fd_ < 0) return;
  close(std::exchange(fd_, -1));
  Log(EventKind::kClosed);
}

EchoResult EchoExchange(TcpClient& client, const std::string& payload, size_t max_chunk, uint64_t seed,
                        Millis budget, AfterSending after) {
  Deadline deadline(budget);
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<size_t> chunk_size(1, std::max<size_t>(1, max_chunk));
  EchoResult result;
  size_t sent = 0;
  char buffer[65536];
  bool half_closed = false;
  // Once the whole echo is back, extra bytes are awaited only briefly: the
  // end of the connection is ECHO-2's concern, not the exchange's.
  std::optional<Deadline> tail;
  while (!deadline.Expired() && !(tail && tail->Expired())) {
    if (!tail && result.received.size() >= payload.size() && half_closed) tail.emplace(Scaled(Millis(100)));
    if (sent == payload.size() && !half_closed) {
      if (after == AfterSending::kHalfClose) client.ShutdownWrite();
      half_closed = true;  // nothing more to send, either way
      result.send_ok = true;
    }
    pollfd pfd{client.fd(), static_cast<short>(POLLIN | (half_closed ? 0 : POLLOUT)), 0};
    int timeout = deadline.RemainingMsForPoll();
    if (tail) timeout = std::min(timeout, tail->RemainingMsForPoll());
    int ready = poll(&pfd, 1, timeout);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = recv(client.fd(), buffer, sizeof buffer, 0);
      if (n > 0) {
        result.received.append(buffer, static_cast<size_t>(n));
      } else if (n == 0) {
        result.end = TcpClient::End::kEof;
        return result;
      } else if (errno != EAGAIN && errno != EINTR) {
        result.end = TcpClient::End::kReset;
        return result;
      }
    }
    if (!half_closed && (pfd.revents & POLLOUT)) {
      size_t want = std::min(chunk_size(random), payload.size() - sent);
      ssize_t n = send(client.fd(), payload.data() + sent, want, MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<size_t>(n);
      } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
        result.end = TcpClient::End::kReset;
        return result;
      }
    }
  }
  result.end = TcpClient::End::kTimeout;
  return result;
}

}  // namespace forkcheck
