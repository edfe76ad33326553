#include "property_tests/counterexample.h"

namespace forkcheck {

std::optional<Found> FindCounterexample(const std::function<void()>& property,
                                        uint64_t seed, int max_success) {
  rc::detail::TestParams params;
  params.seed = seed;
  params.maxSuccess = max_success;
  rc::detail::TestMetadata metadata;
  metadata.id = "planted";
  rc::detail::TestResult result = rc::detail::checkTestable(property, metadata, params);
  rc::detail::FailureResult failure;
  if (!result.match(failure)) return std::nullopt;
  Found found;
  found.description = failure.description;
  if (!failure.counterExample.empty()) found.last_value = failure.counterExample.back().second;
  found.shrinks = static_cast<int>(failure.reproduce.shrinkPath.size());
  return found;
}

}  // namespace forkcheck
