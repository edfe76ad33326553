#include "conformance/l10n/language.h"

#include <libintl.h>

#include <clocale>
#include <cstdlib>
#include <cstring>

#include "conformance/l10n/catalogue_dir.h"
#include "conformance/l10n/tr.h"

namespace forkcheck {
namespace {

// "ko_KR.UTF-8" -> "ko"; "C", "POSIX" -> "".
std::string LanguageCode(const std::string& locale) {
  std::string code = locale.substr(0, locale.find_first_of("_.@"));
  return code == "C" || code == "POSIX" ? "" : code;
}

// The locale the environment asks for messages, in setlocale's order.
// LANGUAGE is left to gettext, which honours it once a locale is set.
std::string LanguageOfEnvironment() {
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = getenv(name);
    if (value != nullptr && *value != '\0') return LanguageCode(value);
  }
  return "";
}

bool UseKoreanLocale() {
  return setlocale(LC_MESSAGES, "ko_KR.UTF-8") != nullptr || setlocale(LC_MESSAGES, "ko_KR.utf8") != nullptr;
}

// Without ko_KR.UTF-8 Korean still shows through C.UTF-8, where gettext
// reads the language from LANGUAGE (it ignores LANGUAGE only under "C").
bool UseKoreanThroughCUtf8() {
  if (setlocale(LC_MESSAGES, "C.UTF-8") == nullptr) return false;
  setenv("LANGUAGE", "ko", 1);
  return true;
}

}  // namespace

std::string SetUpLanguage(const std::string& lang) {
  setlocale(LC_CTYPE, "");
  bool environment_locale = setlocale(LC_MESSAGES, "") != nullptr;
  std::string dir = CatalogueDir("ko");
  if (!dir.empty()) bindtextdomain(kTextDomain, dir.c_str());
  bind_textdomain_codeset(kTextDomain, "UTF-8");
  if (lang == "en") {
    setlocale(LC_MESSAGES, "C");
    return "";
  }
  bool korean = lang == "ko" || (lang.empty() && LanguageOfEnvironment() == "ko");
  if (!korean) return "";
  if (dir.empty()) {
    setlocale(LC_MESSAGES, "C");
    return "forkcheck: no Korean message catalogue (ko/LC_MESSAGES/forkcheck.mo) beside the binary or in "
           "FORKCHECK_LOCALEDIR; messages stay in English";
  }
  bool located = lang.empty() ? environment_locale : UseKoreanLocale();
  if (located) {
    const char* language = getenv("LANGUAGE");
    if (lang == "ko" && language != nullptr && strncmp(language, "ko", 2) != 0) setenv("LANGUAGE", "ko", 1);
    return "";
  }
  if (!UseKoreanThroughCUtf8()) {
    setlocale(LC_MESSAGES, "C");
    return "forkcheck: neither the ko_KR.UTF-8 nor the C.UTF-8 locale is installed; messages stay in English "
           "(tools/bootstrap.sh generates ko_KR.UTF-8)";
  }
  return Tr("forkcheck: the ko_KR.UTF-8 locale is not installed, so Korean messages are shown through C.UTF-8 "
            "(tools/bootstrap.sh generates ko_KR.UTF-8)");
}

std::string LangArgument(int argc, char** argv) {
  std::string lang;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.rfind("--lang=", 0) == 0) lang = arg.substr(7);
    else if (arg == "--lang" && i + 1 < argc) lang = argv[++i];
  }
  return lang == "en" || lang == "ko" ? lang : "";
}

}  // namespace forkcheck
