#include "conformance/l10n/tr.h"

#include <libintl.h>

#include "conformance/l10n/language.h"

namespace forkcheck {

const char* Tr(const char* msgid) { return dgettext(kTextDomain, msgid); }

const char* TrN(const char* singular, const char* plural, unsigned long count) {
  return dngettext(kTextDomain, singular, plural, count);
}

}  // namespace forkcheck
