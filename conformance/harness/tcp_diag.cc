#include "conformance/harness/tcp_diag.h"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace forkcheck {
namespace {

struct DiagRequest {
  nlmsghdr header;
  inet_diag_req_v2 request;
};

bool SendDump(int fd, int family, uint16_t local_port, uint16_t remote_port, uint32_t states) {
  DiagRequest message = {};
  message.header.nlmsg_len = sizeof(message);
  message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  message.request.sdiag_family = static_cast<uint8_t>(family);
  message.request.sdiag_protocol = IPPROTO_TCP;
  message.request.idiag_states = states;
  // The dump skips sockets whose ports differ from non-zero ones here.
  message.request.id.idiag_sport = htons(local_port);
  message.request.id.idiag_dport = htons(remote_port);
  sockaddr_nl kernel = {};
  kernel.nl_family = AF_NETLINK;
  return sendto(fd, &message, sizeof(message), 0, reinterpret_cast<sockaddr*>(&kernel), sizeof(kernel)) ==
         static_cast<ssize_t>(sizeof(message));
}

// Appends the dump's sockets; false on an error reply or a failed read.
bool ReadDump(int fd, std::vector<TcpSocketInfo>* sockets) {
  alignas(nlmsghdr) char buffer[32768];
  for (;;) {
    ssize_t length = recv(fd, buffer, sizeof(buffer), 0);
    if (length < 0 && errno == EINTR) continue;
    if (length <= 0) return false;
    for (auto* header = reinterpret_cast<nlmsghdr*>(buffer); NLMSG_OK(header, static_cast<unsigned>(length));
         header = NLMSG_NEXT(header, length)) {
      if (header->nlmsg_type == NLMSG_DONE) return true;
      if (header->nlmsg_type == NLMSG_ERROR) return false;
      const auto* diag = static_cast<const inet_diag_msg*>(NLMSG_DATA(header));
      sockets->push_back({diag->idiag_inode, diag->idiag_state, diag->idiag_rqueue});
    }
  }
}

// One socket by its exact address and ports: a single reply, the socket or
// an error (ENOENT).
std::optional<TcpSocketInfo> LookUp(int fd, int family, const uint32_t address[4], uint16_t local_port,
                                    uint16_t remote_port) {
  DiagRequest message = {};
  message.header.nlmsg_len = sizeof(message);
  message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  message.header.nlmsg_flags = NLM_F_REQUEST;
  message.request.sdiag_family = static_cast<uint8_t>(family);
  message.request.sdiag_protocol = IPPROTO_TCP;
  message.request.idiag_states = ~0u;
  message.request.id.idiag_sport = htons(local_port);
  message.request.id.idiag_dport = htons(remote_port);
  memcpy(message.request.id.idiag_src, address, sizeof(message.request.id.idiag_src));
  memcpy(message.request.id.idiag_dst, address, sizeof(message.request.id.idiag_dst));
  message.request.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
  message.request.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
  sockaddr_nl kernel = {};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd, &message, sizeof(message), 0, reinterpret_cast<sockaddr*>(&kernel), sizeof(kernel)) !=
      static_cast<ssize_t>(sizeof(message)))
    return std::nullopt;
  alignas(nlmsghdr) char buffer[4096];
  ssize_t length;
  do {
    length = recv(fd, buffer, sizeof(buffer), 0);
  } while (length < 0 && errno == EINTR);
  auto* header = reinterpret_cast<nlmsghdr*>(buffer);
  if (length <= 0 || !NLMSG_OK(header, static_cast<unsigned>(length)) || header->nlmsg_type != SOCK_DIAG_BY_FAMILY)
    return std::nullopt;
  const auto* diag = static_cast<const inet_diag_msg*>(NLMSG_DATA(header));
  // With no such connection the kernel answers with the listener on the
  // port (a dual-stack one takes IPv4 too): that is not the socket asked for.
  if (diag->idiag_state == TCP_LISTEN || ntohs(diag->id.idiag_dport) != remote_port) return std::nullopt;
  return TcpSocketInfo{diag->idiag_inode, diag->idiag_state, diag->idiag_rqueue};
}

}  // namespace

std::optional<TcpSocketInfo> DiagLoopbackConnection(uint16_t local_port, uint16_t remote_port) {
  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return std::nullopt;
  const uint32_t ipv4[4] = {htonl(INADDR_LOOPBACK), 0, 0, 0};
  const uint32_t mapped[4] = {0, 0, htonl(0xffff), htonl(INADDR_LOOPBACK)};
  const uint32_t ipv6[4] = {0, 0, 0, htonl(1)};
  std::optional<TcpSocketInfo> found = LookUp(fd, AF_INET, ipv4, local_port, remote_port);
  if (!found) found = LookUp(fd, AF_INET6, mapped, local_port, remote_port);
  if (!found) found = LookUp(fd, AF_INET6, ipv6, local_port, remote_port);
  close(fd);
  return found;
}

std::optional<std::vector<TcpSocketInfo>> DiagTcpSockets(uint16_t local_port, uint16_t remote_port, uint32_t states) {
  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return std::nullopt;
  std::vector<TcpSocketInfo> sockets;
  bool answered = true;
  for (int family : {AF_INET, AF_INET6})
    answered = answered && SendDump(fd, family, local_port, remote_port, states) && ReadDump(fd, &sockets);
  close(fd);
  if (!answered) return std::nullopt;
  return sockets;
}

}  // namespace forkcheck
