#include "conformance/histogram_svg.h"

#include <algorithm>
#include <cmath>

#include "conformance/l10n/tr.h"
#include "conformance/markup.h"

namespace forkcheck {
namespace {

constexpr double kWidth = 760, kHeight = 210;
constexpr double kLeft = 56, kRight = 20, kTop = 24, kBottom = 50;

// 0, 0.5, 1, 2, 5, 10, ... up to the first edge past both the longest
// lifetime and the grace, so the grace line is always on the plot.
std::vector<double> Edges(double longest, double grace) {
  std::vector<double> edges = {0, 0.5};
  while (edges.back() <= std::max(longest, grace)) {
    double magnitude = std::pow(10.0, std::floor(std::log10(edges.back()) + 1e-9));
    double lead = std::round(edges.back() / magnitude);
    edges.push_back((lead == 1 ? 2 : lead == 2 ? 5 : 10) * magnitude);
  }
  return edges;
}

struct Bin {
  int within = 0, late = 0;  // lived up to / longer than the grace
  int Total() const { return within + late; }
};

struct Layout {
  std::vector<double> edges;
  std::vector<Bin> bins;
  int unseen = 0;
  int most = 1;
  // The unseen bar, if any, comes first, a little apart from the bins.
  double UnseenSlots() const { return unseen > 0 ? 1.4 : 0; }
  double Slot() const { return (kWidth - kLeft - kRight) / (static_cast<double>(bins.size()) + UnseenSlots()); }
  double X(size_t i) const { return kLeft + Slot() * (static_cast<double>(i) + UnseenSlots()); }
  double Top() const { return kTop; }
  double Base() const { return kHeight - kBottom; }
  double Y(double count) const { return Base() - (Base() - Top()) * count / most; }
};

Layout Bucket(const std::vector<double>& lifetimes_ms, int reaped_before_seen, int grace_ms) {
  Layout layout;
  double longest = lifetimes_ms.empty() ? 0 : *std::max_element(lifetimes_ms.begin(), lifetimes_ms.end());
  layout.edges = Edges(longest, grace_ms);
  layout.bins.resize(layout.edges.size() - 1);
  for (double lifetime : lifetimes_ms) {
    size_t bin = static_cast<size_t>(std::upper_bound(layout.edges.begin(), layout.edges.end(), lifetime) -
                                     layout.edges.begin());
    Bin& into = layout.bins[std::clamp<size_t>(bin, 1, layout.bins.size()) - 1];
    (lifetime > grace_ms ? into.late : into.within)++;
  }
  layout.unseen = reaped_before_seen;
  int most = reaped_before_seen;
  for (const Bin& bin : layout.bins) most = std::max(most, bin.Total());
  double step = NiceStep(most, 4);
  layout.most = static_cast<int>(std::ceil(std::max(most, 1) / step) * step);
  return layout;
}

std::string Rect(const char* cls, double x, double y, double width, double height, const std::string& title) {
  return std::string("<rect class=\"") + cls + "\" x=\"" + Decimal1(x) + "\" y=\"" + Decimal1(y) + "\" width=\"" +
         Decimal1(width) + "\" height=\"" + Decimal1(height) + "\"><title>" + EscapeMarkup(title) + "</title></rect>";
}

std::string Text(const char* cls, double x, double y, const std::string& text) {
  return std::string("<text class=\"") + cls + "\" x=\"" + Decimal1(x) + "\" y=\"" + Decimal1(y) + "\">" +
         EscapeMarkup(text) + "</text>";
}

std::string Bars(const Layout& layout, int grace_ms) {
  std::string svg;
  double width = layout.Slot() - 3;
  for (size_t i = 0; i < layout.bins.size(); ++i) {
    const Bin& bin = layout.bins[i];
    if (bin.Total() == 0) continue;
    double x = layout.X(i) + 1.5;
    std::string range = Decimal1(layout.edges[i]) + "–" + Decimal1(layout.edges[i + 1]) + " ms";
    if (bin.within > 0)
      // TRANSLATORS: a bar of the zombie lifetime histogram; {1} is a range "2–5 ms".
      svg += Rect("within", x, layout.Y(bin.within), width, layout.Base() - layout.Y(bin.within),
                  SayN("{0} zombie lived {1}", "{0} zombies lived {1}", bin.within, bin.within, range));
    if (bin.late > 0)
      svg +=
          Rect("late", x, layout.Y(bin.Total()), width, layout.Y(bin.within) - layout.Y(bin.Total()),
               SayN("{0} zombie lived {1}, longer than the reap grace ({2} ms)",
                    "{0} zombies lived {1}, longer than the reap grace ({2} ms)", bin.late, bin.late, range, grace_ms));
    svg += Text("count", x + width / 2, layout.Y(bin.Total()) - 3, std::to_string(bin.Total()));
  }
  if (layout.unseen > 0) {
    svg += Rect("unseen", kLeft + 1.5, layout.Y(layout.unseen), width, layout.Base() - layout.Y(layout.unseen),
                SayN("{0} child reaped before a 2 ms sample saw them a zombie",
                     "{0} children reaped before a 2 ms sample saw them a zombie", layout.unseen, layout.unseen));
    svg += Text("count", kLeft + 1.5 + width / 2, layout.Y(layout.unseen) - 3, std::to_string(layout.unseen));
  }
  return svg;
}

std::string Axes(const Layout& layout) {
  std::string svg = "<path class=\"axis\" d=\"M" + Decimal1(kLeft) + " " + Decimal1(layout.Top() - 6) + "V" +
                    Decimal1(layout.Base()) + "H" + Decimal1(kWidth - kRight) + "\"/>";
  double step = NiceStep(layout.most, 4);
  std::string grid = "<path class=\"grid\" d=\"";
  for (double count = step; count <= layout.most + 1e-9; count += step) {
    grid += "M" + Decimal1(kLeft) + " " + Decimal1(layout.Y(count)) + "H" + Decimal1(kWidth - kRight);
    svg += Text("ytick", kLeft - 5, layout.Y(count) + 4, Decimal1(count));
  }
  svg = grid + "\"/>" + svg;
  for (size_t i = 0; i < layout.edges.size(); ++i)
    svg += Text("xtick", layout.X(i), layout.Base() + 14, Decimal1(layout.edges[i]));
  // TRANSLATORS: the histogram's first bar: children reaped before any sample saw them a zombie.
  if (layout.unseen > 0) svg += Text("xtick", kLeft + layout.Slot() / 2, layout.Base() + 14, Tr("unseen"));
  svg += Text("xtitle", kLeft + (kWidth - kLeft - kRight) / 2, kHeight - 10, Tr("zombie lifetime (ms, log scale)"));
  // TRANSLATORS: the vertical axis of the histogram: how many child processes.
  svg += "<text class=\"ytitle\" transform=\"translate(14 " + Decimal1((layout.Top() + layout.Base()) / 2) +
         ") rotate(-90)\">" + EscapeMarkup(Tr("children")) + "</text>";
  return svg;
}

// Where the grace falls inside its bin, on the same log scale.
std::string GraceLine(const Layout& layout, int grace_ms) {
  size_t bin = static_cast<size_t>(std::upper_bound(layout.edges.begin(), layout.edges.end(), grace_ms) -
                                   layout.edges.begin()) - 1;
  bin = std::min(bin, layout.bins.size() - 1);
  double low = layout.edges[bin], high = layout.edges[bin + 1];
  double fraction = low > 0 ? std::log(grace_ms / low) / std::log(high / low) : grace_ms / high;
  double x = layout.X(bin) + layout.Slot() * std::clamp(fraction, 0.0, 1.0);
  bool right_half = x > kWidth / 2;
  return "<path class=\"grace\" d=\"M" + Decimal1(x) + " " + Decimal1(layout.Top() - 10) + "V" +
         Decimal1(layout.Base()) + "\"/>" + "<text class=\"gracelbl" + (right_half ? " end" : "") + "\" x=\"" +
         Decimal1(x + (right_half ? -5 : 5)) + "\" y=\"" + Decimal1(layout.Top() - 2) + "\">" +
         EscapeMarkup(Say("reap grace {0} ms", grace_ms)) + "</text>";
}

}  // namespace

std::string HistogramSvg(const std::vector<double>& lifetimes_ms, int reaped_before_seen, int reap_grace_ms) {
  if (lifetimes_ms.empty() && reaped_before_seen == 0) return "";
  Layout layout = Bucket(lifetimes_ms, reaped_before_seen, reap_grace_ms);
  return "<svg class=\"histogram\" viewBox=\"0 0 " + Decimal1(kWidth) + " " + Decimal1(kHeight) +
         "\" role=\"img\" aria-label=\"" + EscapeMarkup(Tr("zombie lifetimes")) + "\">" + Axes(layout) +
         Bars(layout, reap_grace_ms) + GraceLine(layout, reap_grace_ms) + "</svg>";
}

}  // namespace forkcheck
