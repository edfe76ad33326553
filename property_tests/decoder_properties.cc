#include "property_tests/decoder_properties.h"

#include <rapidcheck.h>

namespace forkcheck {

void CheckRealChild(const Decoder& decode, const ChildFate& fate) {
  std::vector<int> statuses = LiveStatuses(fate);
  std::vector<Decoded> expected = ExpectedDecodings(fate);
  RC_ASSERT(statuses.size() == expected.size());
  for (size_t i = 0; i < statuses.size(); ++i) {
    RC_LOG() << "status word " << statuses[i] << std::endl;
    RC_ASSERT(DecodeWithMacros(statuses[i]) == expected[i]);
    RC_ASSERT(decode(statuses[i]) == expected[i]);
  }
}

void CheckWord(const Decoder& decode, int raw) {
  RC_ASSERT(decode(raw) == DecodeWithMacros(raw));
}

}  // namespace forkcheck
