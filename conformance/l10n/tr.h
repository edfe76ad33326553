#ifndef FORKCHECK_CONFORMANCE_L10N_TR_H_
#define FORKCHECK_CONFORMANCE_L10N_TR_H_

// Every sentence forkcheck shows a person goes through these, so that
// po/forkcheck.pot (tools/update_po.sh) can list it and po/ko.po translate it.
//
//   Tr("reaps every child of a burst")               a fixed sentence
//   Say("{0} of {1} children reaped", reaped, all)    a whole sentence with values
//   SayN("one zombie left", "{0} zombies left", n, n) a count decides the form
//
// Placeholders are fmt's, numbered ({0}, {1}) so a translation may reorder
// them. Never build a sentence from translated fragments: give the
// translator the whole sentence. N_() marks a literal in a constant table
// (requirement titles and hints) that is translated where it is shown.
// IDs, levels, statuses and JSON keys are never translated.

#include <fmt/format.h>

#include <string>
#include <utility>

#define N_(text) text

namespace forkcheck {

const char* Tr(const char* msgid);
const char* TrN(const char* singular, const char* plural, unsigned long count);

// A broken translation (a placeholder it does not have) must not lose the
// message: the English sentence is formatted instead.
template <typename... Args>
std::string FormatOr(const char* translated, const char* original, Args&&... args) {
  try {
    return fmt::format(fmt::runtime(translated), args...);
  } catch (const fmt::format_error&) {
    return fmt::format(fmt::runtime(original), std::forward<Args>(args)...);
  }
}

template <typename... Args>
std::string Say(const char* msgid, Args&&... args) {
  return FormatOr(Tr(msgid), msgid, std::forward<Args>(args)...);
}

template <typename... Args>
std::string SayN(const char* singular, const char* plural, unsigned long count, Args&&... args) {
  return FormatOr(TrN(singular, plural, count), count == 1 ? singular : plural, std::forward<Args>(args)...);
}

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_L10N_TR_H_
