// src/ WaitStatus against real children and against every 16-bit word.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "property_tests/decoder_properties.h"

namespace forkcheck {
namespace {

RC_GTEST_PROP(WaitStatusProperty, RealChildIsClassifiedExactly, ()) {
  ChildFate fate = *GenChildFate();
  CheckRealChild(DecodeWithWaitStatus, fate);
}

RC_GTEST_PROP(WaitStatusProperty, AnyWordHasOneClassAgreeingWithMacros, ()) {
  CheckWord(DecodeWithWaitStatus, *rc::gen::inRange(0, 1 << 16));
}

// The sampled properties above, made exhaustive where that is cheap.
TEST(WaitStatusSweep, EveryExitCodeAndSignal) {
  std::vector<ChildFate> fates;
  for (int code = 0; code < 256; ++code) fates.push_back({ChildFate::Kind::kExit, code, false});
  for (int sig : TerminatingSignals())
    for (bool core : {false, true}) fates.push_back({ChildFate::Kind::kSignal, sig, core});
  for (int sig : StoppingSignals()) fates.push_back({ChildFate::Kind::kStop, sig, false});
  for (const ChildFate& fate : fates) {
    std::vector<int> statuses = LiveStatuses(fate);
    std::vector<Decoded> expected = ExpectedDecodings(fate);
    ASSERT_EQ(statuses.size(), expected.size()) << fate;
    for (size_t i = 0; i < statuses.size(); ++i)
      EXPECT_EQ(DecodeWithWaitStatus(statuses[i]), expected[i]) << fate << ", word " << statuses[i];
  }
}

TEST(WaitStatusSweep, EveryWord) {
  for (int raw = 0; raw < (1 << 16); ++raw)
    ASSERT_EQ(DecodeWithWaitStatus(raw), DecodeWithMacros(raw)) << "raw " << raw;
}

TEST(WaitStatusSweep, CoresAreProducedHere) {
  if (!CoresWork()) GTEST_SKIP() << "no core file appears in TEST_TMPDIR (core_pattern?)";
}

}  // namespace
}  // namespace forkcheck
