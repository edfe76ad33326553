// The commands of the state machine. Each one acts on the server, updates the
// model, then has the FuzzServer check every invariant.
#ifndef FORKCHECK_CONFORMANCE_FUZZ_COMMANDS_H_
#define FORKCHECK_CONFORMANCE_FUZZ_COMMANDS_H_

#include <memory>

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include "conformance/fuzz/fuzz_server.h"
#include "conformance/fuzz/model.h"

namespace forkcheck {

using FuzzCommand = rc::state::Command<FuzzModel, FuzzServer>;

// A generator of one command valid in `model`, honouring its profile.
rc::Gen<std::shared_ptr<const FuzzCommand>> GenFuzzCommand(const FuzzModel& model);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_FUZZ_COMMANDS_H_
