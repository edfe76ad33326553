#ifndef FORKCHECK_CONFORMANCE_HISTOGRAM_SVG_H_
#define FORKCHECK_CONFORMANCE_HISTOGRAM_SVG_H_

#include <string>
#include <vector>

namespace forkcheck {

// How long the run's zombies lived, as inline SVG (class "histogram"):
// 1-2-5 bins on a log axis from 0.5 ms, the part of each bar over the reap
// grace in red, the grace as a labelled vertical line, and the children
// reaped before a sample saw them as a bar of their own. "" when there is
// nothing to draw.
std::string HistogramSvg(const std::vector<double>& lifetimes_ms, int reaped_before_seen, int reap_grace_ms);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_HISTOGRAM_SVG_H_
