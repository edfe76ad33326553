// FD-1: children do not keep the listening socket open.
#include "conformance/harness/procfs.h"
#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kFd1 = {
    "FD-1", Level::kShould, "core", N_("children close the listening socket"),
    N_("after fork() the child gets a copy of every descriptor: close(listen_sock) in the child "
       "(and close(client_sock) in the parent)")};

Outcome Run(Context& context) {
  auto listener = TcpSocketInode(context.sut.port(), 0);
  if (!listener) return Outcome::Fail(Say("no listening socket found on port {0}", context.sut.port()));
  std::string why;
  auto session = OpenSession(context.sut, &why);
  if (!session) return Outcome::Fail(why);
  pid_t child = session->child;
  bool closed = PollUntil([&] { return !HoldsSocketInode(child, *listener); }, Scaled(Millis(500)));
  if (!closed)
    return Outcome::Fail(
        Say("child {0} still holds the listening socket (inode {1}) while serving its client", child, *listener));
  return Outcome::Pass(Say("child {0} does not hold the listening socket", child));
}

}  // namespace

FORKCHECK_SCENARIO(fd_1, kFd1, Run);

}  // namespace forkcheck
