#ifndef FORKCHECK_CONFORMANCE_EXPECTATIONS_H_
#define FORKCHECK_CONFORMANCE_EXPECTATIONS_H_

#include <map>
#include <optional>
#include <string>

namespace forkcheck {

// Known failures (--expectations=FILE): one "ID reason..." per line, '#'
// starts a comment. A listed requirement that fails is XFAIL and does not
// fail the run; one that passes is XPASS and does (the file cannot rot).
struct Expectations {
  std::map<std::string, std::string> reasons;  // ID -> why it is known to fail
};

// Null, with "FILE:LINE: what is wrong" in `error`, for an unreadable file,
// a malformed line, an unknown or repeated ID.
std::optional<Expectations> LoadExpectations(const std::string& path, std::string* error);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_EXPECTATIONS_H_
