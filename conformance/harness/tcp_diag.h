#ifndef FORKCHECK_CONFORMANCE_HARNESS_TCP_DIAG_H_
#define FORKCHECK_CONFORMANCE_HARNESS_TCP_DIAG_H_

#include <cstdint>
#include <optional>
#include <vector>

namespace forkcheck {

struct TcpSocketInfo {
  uint64_t inode = 0;
  int state = 0;               // TCP_ESTABLISHED, TCP_LISTEN, ... (netinet/tcp.h)
  uint32_t receive_queue = 0;  // for a listener: connections waiting to be accepted
};

// The TCP sockets (IPv4 and IPv6) whose local port is `local_port` and, when
// not 0, whose remote port is `remote_port`, in any of `states` (a mask of
// 1 << TCP_*), asked of the kernel through NETLINK_SOCK_DIAG, as ss(8)
// does. /proc/net/tcp costs far more: the kernel formats every socket of
// the machine as text and walks its tables again for each page read, and a
// check that opens hundreds of sessions fills them with TIME_WAIT entries.
// Empty optional when sock_diag is not available; the caller falls back to
// /proc/net/tcp.
std::optional<std::vector<TcpSocketInfo>> DiagTcpSockets(uint16_t local_port, uint16_t remote_port, uint32_t states);

// The server's side of a loopback connection (local port `local_port`,
// remote port `remote_port`; IPv4, IPv6 or IPv4-mapped), looked up by its
// address and ports instead of walking every socket: the one a check asks
// for most, while it waits for a child to take a connection. Empty optional
// when no such socket was found that way (the caller falls back to a dump);
// an inode of 0 means it waits in the accept queue.
std::optional<TcpSocketInfo> DiagLoopbackConnection(uint16_t local_port, uint16_t remote_port);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_HARNESS_TCP_DIAG_H_
