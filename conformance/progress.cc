#include "conformance/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace forkcheck {
namespace {

constexpr char kClearLine[] = "\r\x1b[K";
constexpr char kEllipsis[] = "\xe2\x80\xa6";  // "…", one column
constexpr auto kRedrawEvery = std::chrono::milliseconds(150);

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The code point that starts at text[at], and where the next one starts.
char32_t CodePoint(const std::string& text, size_t at, size_t* next) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(at);
  int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
  char32_t code = extra == 0 ? lead : lead & (0x3F >> extra);
  size_t i = at + 1;
  for (; i < text.size() && IsContinuationByte(text[i]); ++i) code = (code << 6) | (byte(i) & 0x3F);
  *next = i;
  return code;
}

// East Asian wide and fullwidth characters (Hangul, CJK, fullwidth forms).
size_t CodePointColumns(char32_t c) {
  bool wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
              (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA960 && c <= 0xA97F) ||
              (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
              (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
  return wide ? 2 : 1;
}

size_t Columns(const std::string& text) { return DisplayColumns(text); }

// Asked at every redraw, so a resized window is followed.
size_t TerminalColumns() {
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

const char* SgrCode(Colour colour) {
  switch (colour) {
    case Colour::kGreen: return "32";
    case Colour::kRed: return "31";
    case Colour::kYellow: return "33";
    case Colour::kDim: return "2";
    case Colour::kMagenta: return "35";
    case Colour::kCyan: return "36";
  }
  return "0";
}

}  // namespace

TerminalStyle DetectStyle() {
  TerminalStyle style;
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  bool no_color_set = no_color != nullptr && *no_color != '\0';
  // A dumb terminal knows no escape sequence, not even the line clear.
  bool dumb = term != nullptr && std::strcmp(term, "dumb") == 0;
  style.live = isatty(STDOUT_FILENO) == 1 && !dumb;
  style.color = style.live && !no_color_set;
  return style;
}

std::string Paint(const std::string& text, Colour colour, bool enabled) {
  if (!enabled) return text;
  return std::string("\x1b[") + SgrCode(colour) + "m" + text + "\x1b[0m";
}

std::string CaseLabel(int index, int total, const std::string& id, const std::string& title) {
  return "[" + std::to_string(index) + "/" + std::to_string(total) + "] " + id + " " + title;
}

size_t DisplayColumns(const std::string& text) {
  size_t columns = 0;
  for (size_t at = 0; at < text.size();) columns += CodePointColumns(CodePoint(text, at, &at));
  return columns;
}

std::string FitColumns(const std::string& text, size_t columns) {
  if (Columns(text) <= columns) return text;
  if (columns == 0) return "";
  size_t used = 0, end = 0;
  while (end < text.size()) {
    size_t next;
    size_t width = CodePointColumns(CodePoint(text, end, &next));
    if (used + width > columns - 1) break;  // one column for the "…"
    used += width;
    end = next;
  }
  return text.substr(0, end) + kEllipsis;
}

void Progress::Begin(const std::string& label) {
  if (!style_.live) return;
  std::lock_guard<std::mutex> lock(mutex_);
  label_ = label;
  started_ = std::chrono::steady_clock::now();
  DrawLocked();
  if (showing_) return;
  showing_ = true;
  ticker_ = std::thread(&Progress::Tick, this);
}

void Progress::Relabel(const std::string& label) {
  std::lock_guard<std::mutex> lock(mutex_);
  label_ = label;
  if (showing_) DrawLocked();
}

void Progress::End() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!showing_) return;
    showing_ = false;
    out_ << kClearLine << std::flush;
  }
  wake_.notify_all();
  ticker_.join();
}

void Progress::Tick() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (showing_) {
    if (!wake_.wait_for(lock, kRedrawEvery, [this] { return !showing_; })) DrawLocked();
  }
}

void Progress::DrawLocked() {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  char suffix[48];
  std::snprintf(suffix, sizeof suffix, " %s %.1f s", kEllipsis, seconds);
  size_t room = TerminalColumns() - 1;  // the last column would wrap on some terminals
  size_t label_room = room > Columns(suffix) ? room - Columns(suffix) : 0;
  out_ << kClearLine << FitColumns(label_, label_room) << suffix << std::flush;
}

}  // namespace forkcheck
