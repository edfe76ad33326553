#ifndef FORKCHECK_HARNESS_LINES_H_
#define FORKCHECK_HARNESS_LINES_H_

#include <re2/re2.h>

#include <string>

namespace forkcheck {

// Looks through the complete lines of `text` from `*from` on ("\n" ends a
// line, a "\r" before it is dropped) for one `pattern` partly matches;
// when found, moves `*from` past it. The line protocols (banner, exchange)
// read this way.
bool FindLine(const std::string& text, const RE2& pattern, size_t* from);

// The first line of `text` (up to 120 characters), for evidence.
std::string FirstLine(const std::string& text);

}  // namespace forkcheck

#endif  // FORKCHECK_HARNESS_LINES_H_
