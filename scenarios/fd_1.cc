// FD-1: children do not keep the listening socket open.
#include "conformance/harness/procfs.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kFd1 = {
    "FD-1", Level::kShould, "core", "children close the listening socket",
    "after fork() the child gets a copy of every descriptor: close(listen_sock) in the child "
    "(and close(client_sock) in the parent)"};

Outcome Run(Context& context) {
  auto listener = TcpSocketInode(context.sut.port(), 0);
  if (!listener) return Outcome::Fail("no listening socket found on port " + std::to_string(context.sut.port()));
  std::string why;
  auto session = OpenSession(context.sut, &why);
  if (!session) return Outcome::Fail(why);
  pid_t child = session->child;
  bool closed = PollUntil([&] { return !HoldsSocketInode(child, *listener); }, Scaled(Millis(500)));
  if (!closed)
    return Outcome::Fail("child " + std::to_string(child) + " still holds the listening socket (inode " +
                         std::to_string(*listener) + ") while serving its client");
  return Outcome::Pass("child " + std::to_string(child) + " does not hold the listening socket");
}

}  // namespace

FORKCHECK_SCENARIO(fd_1, kFd1, Run);

}  // namespace forkcheck
