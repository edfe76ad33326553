#include "conformance/markup.h"

#include <sys/wait.h>

#include <cctype>
#include <cmath>
#include <cstdio>

#include "conformance/harness/describe_status.h"
#include "conformance/l10n/tr.h"

namespace forkcheck {

std::string EscapeMarkup(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) out += "\xEF\xBF\xBD";
        else out += static_cast<char>(c);
    }
  }
  return out;
}

std::string Decimal1(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  std::string text = buffer;
  if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
  return text == "-0" ? "0" : text;
}

std::string DescribeStatusWithName(int raw_status) {
  if (raw_status < 0) return Tr("ended (status unknown)");
  std::string text = DescribeWaitStatus(raw_status);
  if (!WIFSIGNALED(raw_status) || text.find("SIG") != std::string::npos) return text;
  // The name goes after the number: "signal 9 (SIGKILL)". A translated
  // description may not say "signal": then after the number itself.
  std::string signo = std::to_string(WTERMSIG(raw_status)), number = "signal " + signo;
  size_t at = text.find(number);
  if (at != std::string::npos) {
    at += number.size();
  } else {
    for (at = text.find(signo); at != std::string::npos; at = text.find(signo, at + 1)) {
      bool starts = at == 0 || !std::isdigit(static_cast<unsigned char>(text[at - 1]));
      bool ends =
          at + signo.size() == text.size() || !std::isdigit(static_cast<unsigned char>(text[at + signo.size()]));
      if (starts && ends) break;
    }
    if (at != std::string::npos) at += signo.size();
  }
  if (at != std::string::npos) text.insert(at, " (" + SignalName(WTERMSIG(raw_status)) + ")");
  return text;
}

double NiceStep(double span, int ticks) {
  double raw = span / ticks;
  if (!(raw > 0)) return 1;
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double factor : {1.0, 2.0, 5.0})
    if (factor * magnitude >= raw) return factor * magnitude;
  return 10 * magnitude;
}

}  // namespace forkcheck
