// Blocking TCP client helpers for 127.0.0.1, every wait bounded.
#ifndef FORKCHECK_SRC_TESTING_CLIENT_H_
#define FORKCHECK_SRC_TESTING_CLIENT_H_

#include <string>

namespace forkcheck::testing {

// Connected socket, or -1. Receive timeout: ScaledMs(timeout_ms).
int ConnectTo(int port, int timeout_ms = 5000);
bool SendAll(int fd, const std::string& data);

enum class ReadEnd { kData, kEof, kReset, kTimeout };

// Reads exactly `n` bytes into `out` (kData), or reports why it could not.
ReadEnd ReadExactly(int fd, size_t n, std::string* out);
// Reads until EOF (kEof) or error.
ReadEnd ReadToEof(int fd, std::string* out);

// Connect, send, half-close, read everything back. Empty string on failure.
std::string EchoRoundTrip(int port, const std::string& payload);

}  // namespace forkcheck::testing

#endif  // FORKCHECK_SRC_TESTING_CLIENT_H_
