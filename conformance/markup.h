#ifndef FORKCHECK_CONFORMANCE_MARKUP_H_
#define FORKCHECK_CONFORMANCE_MARKUP_H_

#include <string>

namespace forkcheck {

// Text for HTML, SVG and XML (JUnit) alike: & < > " ' escaped, control
// characters (which XML 1.0 cannot hold) shown as U+FFFD: server output is
// untrusted.
std::string EscapeMarkup(const std::string& text);
// One decimal at most, "12.3" or "12": the page stays small.
std::string Decimal1(double value);
// "was killed by signal 9 (SIGKILL)"; "ended (status unknown)" for -1.
std::string DescribeStatusWithName(int raw_status);
// A 1, 2 or 5 times a power of ten that cuts `span` into about `ticks` steps.
double NiceStep(double span, int ticks);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_MARKUP_H_
