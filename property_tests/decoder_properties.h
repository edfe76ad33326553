// The wait-status properties, parameterized by the decoder under test so the
// same property can be shown to catch a planted broken decoder.
#ifndef FORKCHECK_PROPERTY_TESTS_DECODER_PROPERTIES_H_
#define FORKCHECK_PROPERTY_TESTS_DECODER_PROPERTIES_H_

#include "property_tests/child_fate.h"
#include "property_tests/decoded.h"

namespace forkcheck {

// A real child sent to `fate` yields statuses `decode` classifies exactly.
void CheckRealChild(const Decoder& decode, const ChildFate& fate);

// Any 16-bit word: `decode` agrees with the W* macros (which classify it
// at most one way).
void CheckWord(const Decoder& decode, int raw);

}  // namespace forkcheck

#endif  // FORKCHECK_PROPERTY_TESTS_DECODER_PROPERTIES_H_
