#ifndef FORKCHECK_CONFORMANCE_L10N_CATALOGUE_DIR_H_
#define FORKCHECK_CONFORMANCE_L10N_CATALOGUE_DIR_H_

#include <string>

namespace forkcheck {

// The directory holding LANG/LC_MESSAGES/forkcheck.mo, found relative to the
// running binary: FORKCHECK_LOCALEDIR if set, else locale/ beside it (Bazel's
// output tree and runfiles), else ../share/locale (an install prefix).
// "" when none holds a catalogue for `language`.
std::string CatalogueDir(const std::string& language);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_L10N_CATALOGUE_DIR_H_
