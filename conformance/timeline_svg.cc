#include "conformance/timeline_svg.h"

#include <string.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "conformance/harness/describe_status.h"
#include "conformance/l10n/tr.h"
#include "conformance/markup.h"

namespace forkcheck {
namespace {

constexpr double kWidth = 1000;
constexpr double kLeft = 130;    // lane labels
constexpr double kRight = 84;    // "never reaped" labels
constexpr double kLane = 16;
constexpr double kBar = 9;
constexpr double kPopulation = 34;
constexpr size_t kMaxChildLanes = 40;
constexpr int kMarkBins = 150;  // per lane: a flood of events costs at most this many shapes
constexpr int kPopulationBins = 200;
constexpr size_t kTitleLines = 3;
constexpr size_t kLineChars = 160;
constexpr size_t kNotedMerge = 20;  // fewer merged marks are not worth a note

struct Scale {
  double end_ms;
  double Plot() const { return kWidth - kLeft - kRight; }
  double X(double ms) const { return kLeft + std::clamp(ms / end_ms, 0.0, 1.0) * Plot(); }
};

std::string Ms(double ms) { return Decimal1(ms) + " ms"; }

struct Mark {
  double at_ms;
  std::string text;
};

struct Merged {
  double first_ms, last_ms;
  size_t count;
  std::string text;
};

// Marks (in time order) within one bin of the axis share one shape.
std::vector<Merged> Merge(const std::vector<Mark>& marks, const Scale& scale) {
  std::vector<Merged> merged;
  int last_bin = -1;
  for (const Mark& mark : marks) {
    int bin = std::clamp(static_cast<int>(mark.at_ms / scale.end_ms * kMarkBins), 0, kMarkBins - 1);
    if (!merged.empty() && bin == last_bin) {
      Merged& into = merged.back();
      into.last_ms = mark.at_ms;
      if (++into.count <= kTitleLines) into.text += "\n" + mark.text;
    } else {
      merged.push_back({mark.at_ms, mark.at_ms, 1, mark.text});
      last_bin = bin;
    }
  }
  return merged;
}

std::string MergedTitle(const Merged& merged) {
  if (merged.count == 1) return Ms(merged.first_ms) + ": " + merged.text;
  // TRANSLATORS: the tooltip of marks merged into one; {1}–{2} is a time span, {3} their first lines.
  std::string title = Say("{0} events, {1}–{2} ms:\n{3}", merged.count, Decimal1(merged.first_ms),
                          Decimal1(merged.last_ms), merged.text);
  if (merged.count > kTitleLines) title += "\n" + Say("… and {0} more", merged.count - kTitleLines);
  return title;
}

// Cut on a UTF-8 character boundary.
std::string Truncated(const std::string& line) {
  if (line.size() <= kLineChars) return line;
  size_t cut = kLineChars;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  return line.substr(0, cut) + "…";
}

std::string Joined(const std::vector<std::string>& parts) {
  std::string joined;
  for (const std::string& part : parts) joined += (joined.empty() ? "" : "; ") + part;
  return joined;
}

std::string Title(const std::string& text) { return "<title>" + EscapeMarkup(text) + "</title>"; }

std::string Rect(const char* cls, double x, double y, double width, double height, const std::string& title = "") {
  std::string rect = std::string("<rect class=\"") + cls + "\" x=\"" + Decimal1(x) + "\" y=\"" + Decimal1(y) +
                     "\" width=\"" + Decimal1(std::max(width, 1.0)) + "\" height=\"" + Decimal1(height) + "\"";
  return title.empty() ? rect + "/>" : rect + ">" + Title(title) + "</rect>";
}

std::string Text(const char* cls, double x, double y, const std::string& text) {
  return std::string("<text class=\"") + cls + "\" x=\"" + Decimal1(x) + "\" y=\"" + Decimal1(y) + "\">" +
         EscapeMarkup(text) + "</text>";
}

// What the kit did and what the server printed, sorted into lanes.
struct Actions {
  std::vector<Mark> opened, closed, reset, kit, teardown, out, err;
  std::map<pid_t, std::vector<Mark>> signals;  // by target
  size_t output_lines = 0;
};

Actions SortActions(const std::vector<Event>& events) {
  Actions actions;
  for (const Event& event : events) {
    std::string detail = Truncated(event.detail);
    switch (event.kind) {
      case EventKind::kConnected:
        // TRANSLATORS: tooltips of the timeline: what the kit's client did; {0} is its local port.
        actions.opened.push_back({event.at_ms, Say("connected from port {0}", event.value)});
        break;
      case EventKind::kHalfClosed:
        actions.closed.push_back({event.at_ms, Say("half-closed port {0}", event.value)});
        break;
      case EventKind::kClosed:
        actions.closed.push_back({event.at_ms, Say("closed port {0}", event.value)});
        break;
      case EventKind::kReset:
        actions.reset.push_back({event.at_ms, Say("reset (RST) port {0}", event.value)});
        break;
      case EventKind::kSignalSent: {
        // TRANSLATORS: a signal the kit sent: "SIGTERM to 1234: why".
        Mark mark{event.at_ms, detail.empty() ? Say("{0} to {1}", SignalName(event.value), event.pid)
                                              : Say("{0} to {1}: {2}", SignalName(event.value), event.pid, detail)};
        actions.kit.push_back(mark);
        actions.signals[event.pid].push_back(mark);
        break;
      }
      case EventKind::kFaultArmed:
        actions.kit.push_back({event.at_ms, Say("fault armed: {0}", detail)});
        break;
      case EventKind::kFaultResult:
        actions.kit.push_back({event.at_ms, Say("faults: {0}", detail)});
        break;
      case EventKind::kTeardown:
        actions.teardown.push_back({event.at_ms, Say("teardown: {0}", detail)});
        break;
      case EventKind::kOutput:
        ++actions.output_lines;
        (event.value == 2 ? actions.err : actions.out)
            .push_back({event.at_ms, (event.value == 2 ? "stderr: " : "stdout: ") + detail});
        break;
      default: break;
    }
  }
  return actions;
}

struct Server {
  double started_ms = 0;
  double ended_ms = -1;
  int status = -1;
};

Server FindServer(const std::vector<Event>& events, pid_t server_pid) {
  Server server;
  for (const Event& event : events) {
    if (event.pid != server_pid) continue;
    if (event.kind == EventKind::kServerStarted) server.started_ms = event.at_ms;
    if (event.kind == EventKind::kServerEnded && server.ended_ms < 0) {
      server.ended_ms = event.at_ms;
      server.status = event.value;
    }
  }
  return server;
}

// Alive and zombie children over time, the most at once in each bin: the
// shape of a flood that no lane cap can show.
struct Population {
  std::vector<int> alive, zombies;
  int max_alive = 0, max_zombies = 0;
};

Population Count(const std::vector<ChildLife>& lives, const Scale& scale) {
  struct Step {
    double at;
    int alive, zombies;
  };
  std::vector<Step> steps;
  for (const ChildLife& life : lives) {
    double gone = life.reaped_ms >= 0 ? life.reaped_ms : scale.end_ms;
    steps.push_back({life.FirstSeenMs(), 1, 0});
    steps.push_back({gone, -1, 0});
    if (life.exited_ms >= 0 && !(life.torn_down && life.reaped_ms < 0))
      steps.push_back({life.exited_ms, 0, 1}), steps.push_back({gone, 0, -1});
  }
  std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.at < b.at; });
  Population population;
  int alive = 0, zombies = 0;
  size_t next = 0;
  for (int bin = 0; bin < kPopulationBins; ++bin) {
    double bin_end = scale.end_ms * (bin + 1) / kPopulationBins;
    int most_alive = alive, most_zombies = zombies;
    for (; next < steps.size() && (steps[next].at < bin_end || bin == kPopulationBins - 1); ++next) {
      alive += steps[next].alive;
      zombies += steps[next].zombies;
      most_alive = std::max(most_alive, alive);
      most_zombies = std::max(most_zombies, zombies);
    }
    population.alive.push_back(most_alive);
    population.zombies.push_back(most_zombies);
    population.max_alive = std::max(population.max_alive, most_alive);
    population.max_zombies = std::max(population.max_zombies, most_zombies);
  }
  return population;
}

std::string StepPath(const std::vector<int>& counts, int max, double top, double height, const Scale& scale) {
  double base = top + height;
  std::string path = "M" + Decimal1(kLeft) + " " + Decimal1(base);
  std::string last_y;
  for (size_t bin = 0; bin < counts.size(); ++bin) {
    std::string y = Decimal1(base - height * counts[bin] / std::max(max, 1));
    if (y != last_y) path += "V" + y;
    path += "H" + Decimal1(kLeft + scale.Plot() * static_cast<double>(bin + 1) / static_cast<double>(counts.size()));
    last_y = y;
  }
  return path + "V" + Decimal1(base) + "Z";
}

class TimelineBuilder {
 public:
  TimelineBuilder(const std::vector<Event>& events, pid_t server_pid, int reap_grace_ms)
      : events_(events),
        server_pid_(server_pid),
        reap_grace_ms_(reap_grace_ms),
        scale_{CaseEnd(events)},
        actions_(SortActions(events)) {}

  std::string Build() {
    std::vector<ChildLife> lives = ChildLives(events_, server_pid_, reap_grace_ms_);
    if (!lives.empty()) PopulationLane(lives);
    ServerLane();
    std::vector<ChildLife> omitted;
    for (const ChildLife& life : PickLanes(lives, kMaxChildLanes, &omitted)) ChildLane(life);
    if (!omitted.empty()) NoteLine(OmittedNote(omitted, scale_.end_ms));
    ConnectionLane();
    KitLane();
    OutputLane();
    if (!merge_notes_.empty()) NoteLine(Joined(merge_notes_));
    return Svg();
  }

 private:
  static double CaseEnd(const std::vector<Event>& events) {
    double end = 1;
    for (const Event& event : events) end = std::max(end, event.at_ms);
    return end;
  }

  double Mid() const { return y_ + kLane / 2; }
  double BarTop() const { return Mid() - kBar / 2; }

  void BeginLane(const std::string& label, const std::string& title, const char* extra_class = "") {
    body_ += std::string("<g class=\"lane") + extra_class + "\">";
    if (!title.empty()) body_ += Title(title);
    if (lanes_++ % 2 == 1) body_ += Rect("row", 0, y_, kWidth, kLane);
    body_ += Text("lbl", kLeft - 6, Mid() + 4, label);
  }

  void EndLane() {
    body_ += "</g>";
    y_ += kLane;
  }

  // `note` (N_, or "" for none) says how many marks were merged: "{0} closes
  // drawn as {1}", {1} being "12 marks".
  void MergedMarks(const std::vector<Mark>& marks, const char* cls, double top, double height, const char* note) {
    std::vector<Merged> shapes = Merge(marks, scale_);
    for (const Merged& merged : shapes) {
      double x = scale_.X(merged.first_ms);
      body_ += Rect(cls, x - 1, top, std::max(2.0, scale_.X(merged.last_ms) - x + 2), height, MergedTitle(merged));
    }
    if (marks.size() >= kNotedMerge && shapes.size() < marks.size() && *note)
      merge_notes_.push_back(Say(note, marks.size(), SayN("{0} mark", "{0} marks", shapes.size(), shapes.size())));
  }

  void SignalMarks(pid_t target) {
    auto found = actions_.signals.find(target);
    if (found != actions_.signals.end()) MergedMarks(found->second, "sg", BarTop() - 3, 4, "");
  }

  void PopulationLane(const std::vector<ChildLife>& lives) {
    Population population = Count(lives, scale_);
    double top = y_ + 3, height = kPopulation - 8;
    size_t zombies = static_cast<size_t>(population.max_zombies);
    body_ +=
        "<g class=\"pop\">" + Title(SayN("children over time: at most {0} alive and {1} zombie at once, {2} in all",
                                         "children over time: at most {0} alive and {1} zombies at once, {2} in all",
                                         zombies, population.max_alive, zombies, lives.size()));
    // TRANSLATORS: the label of the timeline's first lane: how many child processes over time.
    body_ += Text("lbl", kLeft - 6, top + 11, Tr("children"));
    body_ += Text("sub", kLeft - 6, top + 23, Say("{0} in all", lives.size()));
    body_ += "<path class=\"alive\" d=\"" + StepPath(population.alive, population.max_alive, top, height, scale_) +
             "\"/>";
    if (population.max_zombies > 0)
      body_ += "<path class=\"zpop\" d=\"" +
               StepPath(population.zombies, population.max_alive, top, height, scale_) + "\"/>";
    body_ += Text("peak", kWidth - kRight + 4, top + 11, Say("{0} alive", population.max_alive));
    if (population.max_zombies > 0)
      body_ += Text("peak z", kWidth - kRight + 4, top + 23, SayN("{0} zombie", "{0} zombies", zombies, zombies));
    body_ += "</g>";
    y_ += kPopulation;
  }

  void ServerLane() {
    Server server = FindServer(events_, server_pid_);
    bool died = server.ended_ms >= 0 && (actions_.teardown.empty() || server.ended_ms < actions_.teardown[0].at_ms);
    std::string story =
        server.ended_ms < 0
            // TRANSLATORS: the server lane's tooltip; {2} is how it ended ("exited with status 1"), {1} and {3} times.
            ? Say("server {0}: started at {1}", server_pid_, Ms(server.started_ms))
            : died ? Say("server {0}: started at {1}, {2} at {3} before the kit's teardown", server_pid_,
                         Ms(server.started_ms), DescribeStatusWithName(server.status), Ms(server.ended_ms))
                   : Say("server {0}: started at {1}, {2} at {3}", server_pid_, Ms(server.started_ms),
                         DescribeStatusWithName(server.status), Ms(server.ended_ms));
    BeginLane(Say("server {0}", server_pid_), story, died ? " died" : "");
    double from = scale_.X(server.started_ms);
    double to = scale_.X(server.ended_ms >= 0 ? server.ended_ms : scale_.end_ms);
    body_ += Rect("server", from, BarTop(), to - from, kBar);
    if (server.ended_ms >= 0)
      body_ += Rect(died ? "ex bad" : "ex", to - 1, BarTop() - 2, 2.5, kBar + 4,
                    // TRANSLATORS: {0} is how the server ended ("exited with status 1"), {1} a time.
                    Say("server {0} at {1}", DescribeStatusWithName(server.status), Ms(server.ended_ms)));
    if (died) body_ += Text("nr", kWidth - kRight + 4, Mid() + 4, Tr("server died"));
    SignalMarks(server_pid_);
    EndLane();
  }

  std::string ChildStory(const ChildLife& life) const {
    std::string story =
        life.parent != 0
            // TRANSLATORS: a child lane's tooltip: its pid, its parent's pid, when it was forked.
            ? (life.forked_ms >= 0 ? Say("child {0} of {1}: forked at {2}", life.pid, life.parent, Ms(life.forked_ms))
                                   : Say("child {0} of {1}: fork not seen", life.pid, life.parent))
            : (life.forked_ms >= 0 ? Say("child {0}: forked at {1}", life.pid, Ms(life.forked_ms))
                                   : Say("child {0}: fork not seen", life.pid));
    if (life.exited_ms >= 0)
      // TRANSLATORS: a part of a child lane's tooltip, after "; ". {0} is how the child ended
      // ("exited with status 0"), {1} a time.
      story += "; " + Say("{0}, a zombie from {1}", DescribeStatusWithName(life.status), Ms(life.exited_ms));
    if (life.reaped_ms >= 0) story += "; " + Say("reaped at {0}", Ms(life.reaped_ms));
    if (life.NeverReaped()) story += "; " + std::string(Tr("never reaped"));
    if (life.not_due) story += "; " + std::string(Tr("still a zombie at the end, within the reap grace"));
    if (life.StillRunning()) story += "; " + std::string(Tr("still running at the end of the case"));
    if (life.torn_down) story += "; " + std::string(Tr("alive when the server ended or the kit's teardown began"));
    if (life.signals > 0) story += "; " + Say("{0} signal(s) from the kit", life.signals);
    return story;
  }

  void ChildLane(const ChildLife& life) {
    bool grandchild = life.parent != 0 && life.parent != server_pid_;
    BeginLane((grandchild ? "↳ " : "") + std::to_string(life.pid), ChildStory(life));
    double start = scale_.X(life.FirstSeenMs());
    double stop = life.exited_ms >= 0 ? life.exited_ms : life.reaped_ms >= 0 ? life.reaped_ms : scale_.end_ms;
    body_ += Rect("running", start, BarTop(), scale_.X(stop) - start, kBar);
    if (life.exited_ms >= 0 && (life.reaped_ms >= 0 || !life.torn_down)) ZombieBar(life);
    if (life.exited_ms >= 0) ExitMark(life);
    if (life.reaped_ms >= 0) {
      std::string title = life.exited_ms < 0
                              ? Say("reaped at {0} (a zombie for less than one 2 ms sample)", Ms(life.reaped_ms))
                              : Say("reaped at {0}", Ms(life.reaped_ms));
      body_ += Rect("rp", scale_.X(life.reaped_ms) - 0.5, BarTop() - 2, 1, kBar + 4, title);
    }
    SignalMarks(life.pid);
    EndLane();
  }

  void ZombieBar(const ChildLife& life) {
    double zombie_ms = life.ZombieMs(scale_.end_ms);
    double from = scale_.X(life.exited_ms);
    double width = std::max(2.0, scale_.X(life.exited_ms + zombie_ms) - from);
    if (life.NeverReaped()) {
      body_ += Rect(
          "zombie unreaped", from, BarTop(), width, kBar,
          Say("never reaped: a zombie from {0} to the end of the case ({1})", Ms(life.exited_ms), Ms(scale_.end_ms)));
      body_ += Text("nr", kWidth - kRight + 4, Mid() + 4, Tr("never reaped"));
    } else if (life.not_due) {
      body_ += Rect("zombie", from, BarTop(), width, kBar,
                    Say("still a zombie at the end of the case, {0} after it exited: within the reap grace ({1} ms)",
                        Ms(zombie_ms), reap_grace_ms_));
    } else {
      body_ += Rect("zombie", from, BarTop(), width, kBar,
                    Say("a zombie for {0}, from {1} to {2}", Ms(zombie_ms), Ms(life.exited_ms), Ms(life.reaped_ms)));
    }
  }

  static const char* ExitClass(const ChildLife& life) {
    if (life.status < 0) return "ex";
    if (WIFSIGNALED(life.status)) return "ex sig";
    return life.EndedAbnormally() ? "ex bad" : "ex ok";
  }

  void ExitMark(const ChildLife& life) {
    body_ += Rect(ExitClass(life), scale_.X(life.exited_ms) - 1, BarTop() - 2, 2, kBar + 4,
                  // TRANSLATORS: {0} is how the child ended ("exited with status 0"), {1} a time.
                  life.torn_down ? Say("{0} (seen at {1}), in the kit's teardown", DescribeStatusWithName(life.status),
                                       Ms(life.exited_ms))
                                 : Say("{0} (seen at {1})", DescribeStatusWithName(life.status), Ms(life.exited_ms)));
  }

  void NoteLine(const std::string& note) {
    body_ += Text("note", kLeft, y_ + 12, note);
    y_ += kLane;
  }

  void ConnectionLane() {
    if (actions_.opened.empty() && actions_.closed.empty() && actions_.reset.empty()) return;
    // TRANSLATORS: the label of the timeline's lane of the kit's client connections.
    BeginLane(Tr("connections"), Say("{0} connections opened, {1} closed, {2} reset", actions_.opened.size(),
                                     actions_.closed.size(), actions_.reset.size()));
    // TRANSLATORS: a note under the timeline; {1} is "N marks".
    MergedMarks(actions_.opened, "conn", y_ + 2, kLane / 2 - 2, N_("{0} connections opened drawn as {1}"));
    MergedMarks(actions_.closed, "close", Mid(), kLane / 2 - 2, N_("{0} closes drawn as {1}"));
    MergedMarks(actions_.reset, "reset", Mid(), kLane / 2 - 2, N_("{0} resets drawn as {1}"));
    EndLane();
  }

  void KitLane() {
    if (actions_.kit.empty() && actions_.teardown.empty()) return;
    // TRANSLATORS: the label of the timeline's lane of what the kit (forkcheck) did.
    BeginLane(Tr("kit"), Tr("the kit's signals, faults and teardown"));
    MergedMarks(actions_.kit, "kit", BarTop() - 1, kBar + 2, N_("{0} signals and faults drawn as {1}"));
    MergedMarks(actions_.teardown, "td", BarTop() - 1, kBar + 2, N_("{0} teardown steps drawn as {1}"));
    EndLane();
  }

  void OutputLane() {
    if (actions_.out.empty() && actions_.err.empty()) return;
    // TRANSLATORS: the label of the timeline's lane of the server's output.
    BeginLane(Tr("output"), Say("{0} lines from the server", actions_.output_lines));
    MergedMarks(actions_.out, "out", y_ + 2, kLane / 2 - 2, N_("{0} stdout lines drawn as {1}"));
    MergedMarks(actions_.err, "err", Mid(), kLane / 2 - 2, N_("{0} stderr lines drawn as {1}"));
    EndLane();
  }

  std::string Axis(double top) const {
    double step = NiceStep(scale_.end_ms, 8);
    std::string grid = "<path class=\"grid\" d=\"", labels;
    for (double at = 0; at <= scale_.end_ms + step * 1e-9; at += step) {
      std::string x = Decimal1(scale_.X(at));
      grid += "M" + x + " 0V" + Decimal1(top + 4);
      labels += Text("tick", scale_.X(at), top + 16, Decimal1(at));
    }
    return grid + "\"/>" + labels + Text("lbl", kLeft - 12, top + 16, "ms");
  }

  std::string TeardownLines(double bottom) const {
    std::string lines;
    for (const Mark& mark : actions_.teardown)
      lines += "<path class=\"tdl\" d=\"M" + Decimal1(scale_.X(mark.at_ms)) + " 0V" + Decimal1(bottom) + "\"/>";
    return lines;
  }

  std::string Svg() const {
    return "<svg class=\"timeline\" viewBox=\"0 0 " + Decimal1(kWidth) + " " + Decimal1(y_ + 24) +
           "\" role=\"img\" aria-label=\"" + EscapeMarkup(Tr("process timeline")) + "\">" + Axis(y_) + body_ +
           TeardownLines(y_) + "</svg>";
  }

  const std::vector<Event>& events_;
  pid_t server_pid_;
  int reap_grace_ms_;
  Scale scale_;
  Actions actions_;
  std::string body_;
  std::vector<std::string> merge_notes_;
  double y_ = 4;
  int lanes_ = 0;
};

}  // namespace

std::string TimelineSvg(std::vector<Event> events, pid_t server_pid, int reap_grace_ms) {
  // The marks merge in time order.
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.at_ms < b.at_ms; });
  if (events.empty())
    return "<svg class=\"timeline empty\" viewBox=\"0 0 1000 32\" role=\"img\">" +
           Text("none", 500, 20, Tr("no events")) + "</svg>";
  if (server_pid == 0)
    for (const Event& event : events)
      if (event.kind == EventKind::kServerStarted) server_pid = event.pid;
  return TimelineBuilder(events, server_pid, reap_grace_ms).Build();
}

}  // namespace forkcheck
