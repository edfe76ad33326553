#include "src/test_hooks.h"

#include <cstring>

namespace forkcheck {
namespace {

struct Verb {
  const char* word;
  Hook::Kind kind;
  long max;
};

constexpr Verb kVerbs[] = {{"!exit ", Hook::Kind::kExit, 255},
                           {"!raise ", Hook::Kind::kRaise, 64},
                           {"!sleep ", Hook::Kind::kSleep, 3600 * 1000}};

// Allocation-free: runs in the forked child.
bool ParseNumber(const char* p, const char* end, long max, int* out) {
  if (p == end || end - p > 10) return false;
  long value = 0;
  for (; p < end; ++p) {
    if (*p < '0' || *p > '9') return false;
    value = value * 10 + (*p - '0');
  }
  if (value > max) return false;
  *out = static_cast<int>(value);
  return true;
}

}  // namespace

Hook ParseHook(const char* data, size_t len) {
  const char* nl = static_cast<const char*>(memchr(data, '\n', len));
  if (nl == nullptr) return Hook();
  const char* end = (nl > data && nl[-1] == '\r') ? nl - 1 : nl;
  for (const Verb& verb : kVerbs) {
    size_t wlen = strlen(verb.word);
    if (static_cast<size_t>(end - data) < wlen) continue;
    if (memcmp(data, verb.word, wlen) != 0) continue;
    Hook hook;
    if (!ParseNumber(data + wlen, end, verb.max, &hook.arg)) return Hook();
    hook.kind = verb.kind;
    hook.length = static_cast<size_t>(nl - data) + 1;
    return hook;
  }
  return Hook();
}

}  // namespace forkcheck
