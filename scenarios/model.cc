#include "scenarios/model.h"

#include <map>

#include "conformance/l10n/tr.h"

namespace forkcheck {
namespace {

// The checks that need a child per session, and what covers each for a
// prefork server.
const std::map<std::string, const char*>& ForkOnly() {
  static const std::map<std::string, const char*> fork_only = {
      {"REAP-1", N_("a worker outlives its sessions, so no child ends with a session; PREF-1 checks reaping of "
                    "workers")},
      {"REAP-2", N_("a worker outlives its sessions, so no burst of children ends together; PREF-1 kills every "
                    "worker at once")},
      {"REAP-4", N_("a worker outlives its sessions, so no child ends while the server idles; PREF-1 checks "
                    "reaping of workers")},
      {"REAP-5", N_("a worker outlives its sessions; PREF-1 checks reaping after repeated worker deaths")},
      {"FD-1", N_("prefork workers accept() themselves and must keep the listening socket")},
      {"FD-2", N_("the parent of a prefork pool never accepts, so it holds no connected socket; workers close "
                  "theirs when a session ends (ECHO-2)")},
      {"FORK-1", N_("a prefork server forks only to replace workers; PREF-2 checks workers dying at start")},
      {"FORK-2", N_("a prefork server forks only to replace workers, not per session")},
      {"WAIT-1", N_("a worker outlives its sessions, so the reaping that EINTR would interrupt does not follow them")},
      {"LOAD-1", N_("a worker outlives its sessions; PREF-3 checks recycling after many sessions")},
      {"STAT-1", N_("a worker outlives its sessions, so ending sessions reports no child")},
      {"LIMIT-1", N_("the pool size is the cap: CONC-1 and PREF-1 check the workers")},
  };
  return fork_only;
}

}  // namespace

Role AcceptorRole(const Declared& declared) { return declared.model == "prefork" ? Role::kChildren : Role::kParent; }

std::string ModelMismatch(const Requirement& requirement, const Declared& declared) {
  bool prefork_check = std::string(requirement.profile) == "prefork";
  if (declared.model != "prefork")
    return prefork_check ? Tr("a check of prefork servers (--model=prefork)") : "";
  auto found = ForkOnly().find(requirement.id);
  // The option, then why the check does not apply: no words to translate in between.
  return found == ForkOnly().end() ? "" : std::string("--model=prefork: ") + Tr(found->second);
}

}  // namespace forkcheck
