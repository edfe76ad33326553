// Running a property programmatically, to assert what rapidcheck finds and
// how far it shrinks (the planted-bug tests).
#ifndef FORKCHECK_PROPERTY_TESTS_COUNTEREXAMPLE_H_
#define FORKCHECK_PROPERTY_TESTS_COUNTEREXAMPLE_H_

#include <functional>
#include <optional>
#include <string>

#include <rapidcheck.h>

namespace forkcheck {

struct Found {
  std::string last_value;   // the last generated value, shrunk, as shown
  std::string description;  // the failed assertion
  int shrinks = 0;
};

// Runs `property` with a fixed seed; the shrunk counterexample if it fails.
std::optional<Found> FindCounterexample(const std::function<void()>& property,
                                        uint64_t seed, int max_success = 100);

}  // namespace forkcheck

#endif  // FORKCHECK_PROPERTY_TESTS_COUNTEREXAMPLE_H_
