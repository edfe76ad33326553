#include "conformance/harness/lines.h"

namespace forkcheck {

bool FindLine(const std::string& text, const RE2& pattern, size_t* from) {
  for (size_t start = *from, end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    size_t length = end - start;
    if (length > 0 && text[end - 1] == '\r') --length;
    if (RE2::PartialMatch(re2::StringPiece(text.data() + start, length), pattern)) {
      *from = end + 1;
      return true;
    }
  }
  return false;
}

std::string FirstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line.size() > 120 ? line.substr(0, 120) + "..." : line;
}

}  // namespace forkcheck
