#ifndef FORKCHECK_HARNESS_TCP_CLIENT_H_
#define FORKCHECK_HARNESS_TCP_CLIENT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "conformance/harness/deadline.h"
#include "conformance/harness/event_log.h"

namespace forkcheck {

// A loopback TCP client (IPv4 or IPv6) whose every operation is bounded by a deadline, so a
// server that hangs can never hang the kit.
class TcpClient {
 public:
  TcpClient() = default;
  ~TcpClient();
  TcpClient(TcpClient&& other) noexcept;
  TcpClient& operator=(TcpClient&& other) noexcept;
  TcpClient(const TcpClient&) = delete;
  TcpClient& operator=(const TcpClient&) = delete;

  // `host` is a loopback literal: 127.0.0.1 or ::1.
  static std::optional<TcpClient> Connect(const std::string& host, uint16_t port, Millis budget);
  static std::optional<TcpClient> Connect(uint16_t port, Millis budget) { return Connect("127.0.0.1", port, budget); }

  // From now on its connect, half-close, close and reset go into `log`.
  void LogTo(std::shared_ptr<EventLog> log);

  bool connected() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  uint16_t local_port() const { return local_port_; }

  bool SendAll(const std::string& bytes, Millis budget);
  // Reads until `count` bytes arrived, EOF, an error or the deadline.
  std::string ReadUpTo(size_t count, Millis budget);
  enum class End { kEof, kReset, kTimeout };
  // Reads until EOF (or reset, or the deadline), appending to `out`.
  End ReadToEnd(std::string* out, Millis budget);
  // Reads, appending to `out`, until `complete(*out)` holds (true), or EOF,
  // reset or the deadline (false). A zero budget reads what is there.
  bool ReadUntil(std::string* out, const std::function<bool(const std::string&)>& complete, Millis budget);
  // A small, fixed receive buffer (SO_RCVBUF; no autotuning): a reply the
  // client reads slowly then keeps the server blocked in write().
  void ShrinkReceiveBuffer(int bytes);
  void ShutdownWrite();
  // Closes with RST instead of FIN.
  void Abort();
  void Close();

 private:
  explicit TcpClient(int fd);
  void Log(EventKind kind) const;
  int fd_ = -1;
  uint16_t local_port_ = 0;
  std::shared_ptr<EventLog> log_;
};

// Sends `payload` in the given chunk sizes while reading concurrently, then
// (with kHalfClose) half-closes, and reads until the whole echo is back and
// 100 ms (scaled) more for extra bytes, or EOF, or the deadline. Returns
// what came back and how it ended (kTimeout also when the echo completed
// without an EOF). kKeepOpen never half-closes: for checks whose concern is
// not how a session ends.
struct EchoResult {
  std::string received;
  TcpClient::End end = TcpClient::End::kTimeout;
  bool send_ok = false;
};
enum class AfterSending { kHalfClose, kKeepOpen };
EchoResult EchoExchange(TcpClient& client, const std::string& payload, size_t max_chunk, uint64_t seed,
                        Millis budget, AfterSending after = AfterSending::kHalfClose);

}  // namespace forkcheck

#endif  // FORKCHECK_HARNESS_TCP_CLIENT_H_
