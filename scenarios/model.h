#ifndef FORKCHECK_SCENARIOS_MODEL_H_
#define FORKCHECK_SCENARIOS_MODEL_H_

#include <string>

#include "conformance/inject/fault_plan.h"
#include "scenarios/scenario.h"

namespace forkcheck {

// Why `requirement` does not apply to a server of the declared process
// model (--model), or "". A prefork server's workers outlive their
// sessions, so the checks that wait for a session's child to end (to see
// it reaped, its status reported, its descriptors closed) do not apply;
// the prefork profile's PREF-* checks cover those concerns for workers.
std::string ModelMismatch(const Requirement& requirement, const Declared& declared);

// Whose accept() a fault aimed at accepting must reach: the parent of a
// forking server, the workers of a prefork pool.
Role AcceptorRole(const Declared& declared);

}  // namespace forkcheck

#endif  // FORKCHECK_SCENARIOS_MODEL_H_
