#ifndef FORKCHECK_HARNESS_LOOPBACK_H_
#define FORKCHECK_HARNESS_LOOPBACK_H_

#include <sys/socket.h>

#include <cstdint>
#include <string>

namespace forkcheck {

// The kit talks to servers on loopback only: 127.0.0.1 by default, or any
// 127.0.0.0/8 address, or ::1 (--host).
constexpr char kDefaultHost[] = "127.0.0.1";
bool IsLoopbackHost(const std::string& host);

// `host` and `port` as a socket address; false when host is not an IPv4 or
// IPv6 literal.
bool LoopbackAddress(const std::string& host, uint16_t port, sockaddr_storage* address, socklen_t* length);

// The port of an AF_INET or AF_INET6 address.
uint16_t PortOf(const sockaddr_storage& address);

}  // namespace forkcheck

#endif  // FORKCHECK_HARNESS_LOOPBACK_H_
