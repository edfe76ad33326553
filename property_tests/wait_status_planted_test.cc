// The wait-status properties catch planted decoder bugs and shrink each to
// the smallest status that shows it.
#include <gtest/gtest.h>

#include "property_tests/counterexample.h"
#include "property_tests/decoder_properties.h"

namespace forkcheck {
namespace {

// Planted: never looks at the core bit.
Decoded ForgetsCore(int raw) {
  Decoded decoded = DecodeWithWaitStatus(raw);
  decoded.core = false;
  return decoded;
}

// Planted: keeps the exit code in a signed char.
Decoded SignedExitCode(int raw) {
  Decoded decoded = DecodeWithWaitStatus(raw);
  if (decoded.kind == Decoded::Kind::kExited) decoded.code = static_cast<signed char>(decoded.code);
  return decoded;
}

TEST(WaitStatusPlanted, WordPropertyShrinksForgottenCoreToSignal1WithCore) {
  auto found = FindCounterexample([] { CheckWord(ForgetsCore, *rc::gen::inRange(0, 1 << 16)); }, 1);
  ASSERT_TRUE(found) << "the planted core bug went unnoticed";
  EXPECT_EQ(found->last_value, "129") << "0x81: killed by signal 1, core dumped";
}

TEST(WaitStatusPlanted, RealChildPropertyShrinksSignedCodeToExit128) {
  auto found = FindCounterexample([] { CheckRealChild(SignedExitCode, *GenChildFate()); }, 1);
  ASSERT_TRUE(found) << "the planted signed exit code bug went unnoticed";
  EXPECT_EQ(found->last_value, "_exit(128)");
}

}  // namespace
}  // namespace forkcheck
