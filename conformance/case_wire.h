#ifndef FORKCHECK_CONFORMANCE_CASE_WIRE_H_
#define FORKCHECK_CONFORMANCE_CASE_WIRE_H_

#include <optional>
#include <string>

#include "conformance/run_case.h"

namespace forkcheck {

// A case's result as one line of JSON, for the case processes of --jobs:
// each runs one case as a subreaper of its own and hands the result back.
std::string CaseResultToJson(const CaseResult& result);
// Empty, with `error`, when `text` is not such a line (a case process that
// crashed or was killed mid-write).
std::optional<CaseResult> CaseResultFromJson(const std::string& text, std::string* error);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_CASE_WIRE_H_
