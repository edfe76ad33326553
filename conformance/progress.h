// What a terminal shows while cases run: a one-line progress display that the
// result line replaces, and colours. Through a pipe neither: plain lines only.
#ifndef FORKCHECK_CONFORMANCE_PROGRESS_H_
#define FORKCHECK_CONFORMANCE_PROGRESS_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

namespace forkcheck {

struct TerminalStyle {
  bool live = false;   // stdout is a terminal, not TERM=dumb: redraw a progress line
  bool color = false;  // ... and colours are wanted (no NO_COLOR)
};

// From isatty(stdout), NO_COLOR (https://no-color.org: set and not empty) and TERM.
TerminalStyle DetectStyle();

enum class Colour { kGreen, kRed, kYellow, kDim, kMagenta, kCyan };

// `text` wrapped in the SGR sequence of `colour` and a reset; `text` itself
// when not enabled.
std::string Paint(const std::string& text, Colour colour, bool enabled);

// "[12/26] REAP-2 reaps every child of a burst"
std::string CaseLabel(int index, int total, const std::string& id, const std::string& title);

// The columns `text` (UTF-8) takes on a terminal: Hangul, CJK and other wide
// characters take two.
size_t DisplayColumns(const std::string& text);

// `text` cut to `columns` terminal columns (UTF-8 and wide-character aware),
// ending in "…" when cut.
std::string FitColumns(const std::string& text, size_t columns);

// Redraws "\r\x1b[K<label> … 3.1 s" on `out` every 150 ms while a label is
// shown. Does nothing when the style is not live.
class Progress {
 public:
  Progress(std::ostream& out, TerminalStyle style) : out_(out), style_(style) {}
  ~Progress() { End(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Shows `label` and restarts the clock.
  void Begin(const std::string& label);
  // Shows `label`; the clock keeps running.
  void Relabel(const std::string& label);
  // Clears the line, so what is printed next replaces it.
  void End();

  const TerminalStyle& style() const { return style_; }

 private:
  void Tick();
  void DrawLocked();

  std::ostream& out_;
  const TerminalStyle style_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread ticker_;
  bool showing_ = false;
  std::string label_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_PROGRESS_H_
