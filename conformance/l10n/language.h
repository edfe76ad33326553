#ifndef FORKCHECK_CONFORMANCE_L10N_LANGUAGE_H_
#define FORKCHECK_CONFORMANCE_L10N_LANGUAGE_H_

#include <string>

namespace forkcheck {

inline constexpr char kTextDomain[] = "forkcheck";

// The language of forkcheck's messages: "en", "ko", or "" to take it from
// the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG).
// Only LC_MESSAGES and LC_CTYPE follow the locale: numbers in reports stay
// in the C locale. Returns "" when the messages come out in the language
// asked for, else one line saying why not (say it once, on stderr).
std::string SetUpLanguage(const std::string& lang);

// The value of --lang=X (or --lang X) in argv, read before the command line
// is parsed, so that --help is already translated. "" when absent.
std::string LangArgument(int argc, char** argv);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_L10N_LANGUAGE_H_
