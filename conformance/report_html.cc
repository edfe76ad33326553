#include <fstream>
#include <string>
#include <vector>

#include "conformance/histogram_svg.h"
#include "conformance/l10n/tr.h"
#include "conformance/markup.h"
#include "conformance/report.h"
#include "conformance/timeline_svg.h"

namespace forkcheck {
namespace {

// Nothing on the page may load anything: no network, no scripts.
constexpr const char* kPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

constexpr const char* kStyle = R"(
:root{--pass:#1a7f37;--fail:#cf222e;--block:#b58100;--skip:#6e7781;--xfail:#8250df;--xpass:#c2185b;
--ink:#1f2328;--muted:#57606a;--line:#d0d7de;--soft:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;background:#eef1f4;color:var(--ink);
font:14px/1.5 system-ui,-apple-system,"Segoe UI","Liberation Sans",sans-serif}
main{max-width:1100px;margin:0 auto;padding:20px 24px 48px}
a{color:#0969da;text-decoration:none}a:hover{text-decoration:underline}
code,.mono{font:12.5px/1.45 ui-monospace,"Liberation Mono",Menlo,monospace}
.arg{display:inline-block;max-width:100%}
.verdict{border-radius:12px;padding:20px 28px;color:#fff;box-shadow:0 2px 8px #0002}
.verdict.ok{background:linear-gradient(120deg,#1a7f37,#2da44e)}
.verdict.bad{background:linear-gradient(120deg,#a40e26,#cf222e)}
.verdict.warn{background:linear-gradient(120deg,#8a5a00,#bf8700)}
.verdict h1{margin:0;font-size:40px;letter-spacing:.03em;line-height:1.1}
.verdict p{margin:6px 0 0;font-size:15px;opacity:.95}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:16px 20px;margin:16px 0}
.card h2{margin:0 0 10px;font-size:17px}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:16px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;min-width:0;overflow-wrap:anywhere}
.chips{display:flex;flex-wrap:wrap;gap:8px}
.chip{display:flex;align-items:baseline;gap:6px;border-radius:8px;padding:6px 12px;background:var(--soft);
border:1px solid var(--line)}
.chip b{font-size:22px}.chip.zero{opacity:.45}
.bar{display:flex;height:10px;border-radius:5px;overflow:hidden;margin:14px 0 10px;gap:1px;background:var(--line)}
.bar a{flex:1;background:var(--c)}
.levels{margin:0 0 8px;color:var(--muted)}.levels b{color:var(--ink);font-size:12px}
ul.attention{list-style:none;padding:0;margin:0}ul.attention li{margin:3px 0}.calm{color:var(--muted);margin:0}
.st{display:inline-block;min-width:52px;text-align:center;border-radius:5px;color:#fff;
font:700 12px/20px system-ui,sans-serif;padding:0 6px}
.PASS{--c:var(--pass)}.FAIL{--c:var(--fail)}.BLOCK{--c:var(--block)}.SKIP{--c:var(--skip)}
.XFAIL{--c:var(--xfail)}.XPASS{--c:var(--xpass)}
.st{background:var(--c)}.chip b{color:var(--c)}
.tiles{display:flex;gap:10px;flex-wrap:wrap;margin-bottom:8px}
.tile{background:var(--soft);border-radius:8px;padding:6px 14px;min-width:92px}
.tile b{display:block;font-size:20px}.tile span{color:var(--muted);font-size:12px}
.diagnosis{border-left:6px solid var(--block);background:#fff8e5}
table.reqs{width:100%;border-collapse:collapse}
.reqs th{text-align:left;color:var(--muted);font-weight:600;border-bottom:2px solid var(--line);padding:4px 8px}
.reqs td{border-bottom:1px solid #eaeef2;padding:3px 8px}.reqs tr:hover td{background:var(--soft)}
.reqs td.num{text-align:right;color:var(--muted)}
section.case{border-left:6px solid var(--c)}
section.case h2{display:flex;align-items:center;gap:10px;flex-wrap:wrap;font-size:17px}
.lvl{font-size:11px;font-weight:700;border:1px solid var(--line);border-radius:4px;padding:0 5px;color:var(--muted)}
.dur{margin-left:auto;color:var(--muted);font-weight:400;font-size:13px}
.evidence{white-space:pre-wrap}
.hint{background:#ddf4ff;border-radius:6px;padding:4px 10px}
figure{margin:12px 0 0}
figcaption{color:var(--muted);font-size:12px;margin-top:4px;display:flex;flex-wrap:wrap;gap:4px 14px}
.sw{display:inline-block;width:14px;height:9px;border-radius:2px;margin-right:4px;vertical-align:middle}
section.case{position:relative}.top{position:absolute;right:16px;bottom:10px;font-size:12px}
svg{display:block;width:100%;height:auto}
svg text{font:11px ui-monospace,"Liberation Mono",monospace;fill:var(--muted)}
svg rect:hover{stroke:#000;stroke-width:1}
.timeline{border:1px solid #eaeef2;border-radius:6px}
.timeline .lbl{text-anchor:end;fill:var(--ink)}.timeline .sub{text-anchor:end;font-size:10px}
.timeline .row{fill:#8c959f;fill-opacity:.07}.timeline .row:hover{stroke:none}
.timeline .died .lbl{fill:var(--fail);font-weight:700}
.running{fill:#a6cfa0}.server{fill:#7d9fd3}
.zombie{fill:#e5323f}.zombie.unreaped{fill:#b3001b}
.nr{fill:#b3001b!important;font-weight:700}
.ex{fill:#6e7781}.ex.ok{fill:#24292f}.ex.bad{fill:#f08c00}.ex.sig{fill:#8250df}
.rp{fill:#24292f}.sg{fill:#8250df}
.conn{fill:#0969da}.close{fill:#8c959f}.reset{fill:#f08c00}
.kit{fill:#8250df}.td{fill:#24292f}.tdl{stroke:#24292f;stroke-dasharray:3 3;fill:none}
.out{fill:#2da44e}.err{fill:#bc4c00}
.grid{stroke:#eaeef2;fill:none}.tick{text-anchor:middle}
.alive{fill:#cfe6c9}.zpop{fill:#e5323f;opacity:.9}.peak.z{fill:#b3001b}
.note{font-style:italic}.none{text-anchor:middle}
.histogram .within{fill:#4c9f70}.histogram .late{fill:#e5323f}.histogram .unseen{fill:#afb8c1}
.histogram .axis{stroke:#8c959f;fill:none}.histogram .count{text-anchor:middle;font-size:10px}
.histogram .ytick{text-anchor:end}.histogram .xtick,.histogram .xtitle,.histogram .ytitle{text-anchor:middle}
.histogram .grace{stroke:#b3001b;stroke-width:2;stroke-dasharray:5 3;fill:none}
.histogram .gracelbl{fill:#b3001b;font-weight:700}.histogram .gracelbl.end{text-anchor:end}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:24px}
@media (max-width:800px){.grid2{grid-template-columns:1fr}}
)";

// The colours of the timeline, each with what it stands for.
std::string Legend() {
  struct Swatch {
    const char* style;
    const char* label;
  };
  // TRANSLATORS: the legend under a process timeline of the HTML report.
  const Swatch swatches[] = {{"background:#7d9fd3", N_("server")},
                             {"background:#a6cfa0", N_("child running")},
                             {"background:#e5323f", N_("zombie")},
                             {"background:#b3001b", N_("zombie, never reaped")},
                             {"background:#24292f;width:3px", N_("exit 0 / reaped")},
                             {"background:#f08c00;width:3px", N_("exit ≠ 0")},
                             {"background:#8250df;width:3px", N_("killed by a signal / signal sent")},
                             {"background:#0969da;width:3px", N_("connect")},
                             {"background:#8c959f;width:3px", N_("close")},
                             {"background:#2da44e;width:3px", N_("stdout")},
                             {"background:#bc4c00;width:3px", N_("stderr")}};
  std::string legend = "<figcaption>";
  for (const Swatch& swatch : swatches)
    legend += std::string("<span><i class=\"sw\" style=\"") + swatch.style + "\"></i>" +
              EscapeMarkup(Tr(swatch.label)) + "</span>";
  return legend + "<span>" + EscapeMarkup(Tr("hover a mark for details")) + "</span></figcaption>";
}

std::string Anchor(const std::string& id) { return "case-" + id; }

std::string Tag(const char* tag, const std::string& escaped, const std::string& attributes = "") {
  return std::string("<") + tag + attributes + ">" + escaped + "</" + tag + ">";
}

std::string Status(const RequirementResult& result) {
  return "<span class=\"st " + std::string(StatusName(result)) + "\">" + StatusName(result) + "</span>";
}

// Escaped, one box per argument, so a line breaks between arguments rather
// than inside "--flag".
std::string CommandLine(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& arg : argv) {
    bool quote = arg.empty() || arg.find_first_of(" \t'\"\\$`") != std::string::npos;
    line += (line.empty() ? "" : " ") + std::string("<span class=\"arg\">") +
            EscapeMarkup(quote ? "'" + arg + "'" : arg) + "</span>";
  }
  return line;
}

std::string Joined(const std::vector<std::string>& items, const char* separator) {
  std::string joined;
  for (const std::string& item : items) joined += (joined.empty() ? "" : separator) + item;
  return joined;
}

std::string ServerName(const RunReport& report) { return report.sut[0].substr(report.sut[0].rfind('/') + 1); }

const char* VerdictText(const RunReport& report) {
  if (!report.Failed()) return Tr("CONFORMS");
  return report.MustFailures() > 0 ? Tr("DOES NOT CONFORM") : Tr("XPASS: UPDATE THE EXPECTATIONS");
}

std::string VerdictHeader(const RunReport& report) {
  const char* tone = !report.Failed() ? "ok" : report.MustFailures() > 0 ? "bad" : "warn";
  std::string why = report.MustFailures() > 0 ? SayN("{0} MUST requirement failed", "{0} MUST requirements failed",
                                                     report.MustFailures(), report.MustFailures())
                    : report.Failed() ? SayN("{0} known failure passed (XPASS)", "{0} known failures passed (XPASS)",
                                             report.UnexpectedPasses(), report.UnexpectedPasses())
                                      : std::string(Tr("every MUST requirement passed"));
  std::string server = report.sut.empty() ? "" : ServerName(report) + ": ";
  size_t checked = report.results.size();
  // TRANSLATORS: under the verdict of the HTML report: "7 requirements checked in 12.5 s · seed 42".
  std::string how = SayN("{0} requirement checked in {1} s · seed {2}", "{0} requirements checked in {1} s · seed {2}",
                         checked, checked, Decimal1(report.duration_ms / 1000), report.seed);
  return "<header class=\"verdict " + std::string(tone) + "\" id=\"top\">" +
         Tag("h1", EscapeMarkup(VerdictText(report))) +
         Tag("p", EscapeMarkup(server) + EscapeMarkup(why) + " · " + EscapeMarkup(how)) + "</header>";
}

std::string RunFacts(const RunReport& report) {
  std::string facts = "<dl class=\"facts\">";
  // TRANSLATORS: the facts of the run in the HTML report: the server's command line, ...
  facts += Tag("dt", EscapeMarkup(Tr("server"))) + Tag("dd", Tag("code", CommandLine(report.sut)));
  facts += Tag("dt", EscapeMarkup(Tr("seed"))) + Tag("dd", Tag("code", std::to_string(report.seed)));
  facts += Tag("dt", EscapeMarkup(Tr("profiles"))) + Tag("dd", EscapeMarkup(Joined(report.profiles, ", ")));
  facts += Tag("dt", EscapeMarkup(Tr("reap grace"))) + Tag("dd", std::to_string(report.reap_grace_ms) + " ms");
  facts += Tag("dt", EscapeMarkup(Tr("duration"))) + Tag("dd", Decimal1(report.duration_ms / 1000) + " s");
  // TRANSLATORS: a heading of the HTML report: the facts of this run.
  return Tag("h2", EscapeMarkup(Tr("Run"))) + facts + "</dl>";
}

std::string Chip(const char* status, int count) {
  return "<span class=\"chip " + std::string(status) + (count == 0 ? " zero" : "") + "\"><b>" +
         std::to_string(count) + "</b>" + status + "</span>";
}

// One segment per requirement, in the order of the table.
std::string StatusBar(const RunReport& report) {
  std::string bar = "<div class=\"bar\">";
  for (const RequirementResult& result : report.results)
    bar += "<a class=\"" + std::string(StatusName(result)) + "\" href=\"#" +
           EscapeMarkup(Anchor(result.scenario->requirement.id)) + "\" title=\"" +
           EscapeMarkup(result.scenario->requirement.id) + " " + StatusName(result) + "\"></a>";
  return bar + "</div>";
}

// The requirements a reader should open first: failures, XPASSes, blocks.
std::string Attention(const RunReport& report) {
  std::string links;
  for (const RequirementResult& result : report.results) {
    std::string status = StatusName(result);
    if (status != "FAIL" && status != "XPASS" && status != "BLOCK") continue;
    const Requirement& requirement = result.scenario->requirement;
    links += "<li>" + Status(result) + " <a href=\"#" + EscapeMarkup(Anchor(requirement.id)) + "\">" +
             EscapeMarkup(requirement.id) + "</a> " + EscapeMarkup(TitleOf(requirement)) + "</li>";
  }
  return links.empty() ? Tag("p", EscapeMarkup(Tr("Nothing to look at first: no requirement failed or was blocked.")),
                             " class=\"calm\"")
                       : Tag("ul", links, " class=\"attention\"");
}

// "MUST 6 of 6 passed · SHOULD 1 of 1 passed"
std::string ByLevel(const RunReport& report) {
  std::string line;
  for (Level level : {Level::kMust, Level::kShould}) {
    int checked = 0, passed = 0;
    for (const RequirementResult& result : report.results) {
      if (result.scenario->requirement.level != level) continue;
      ++checked;
      passed += result.verdict == Verdict::kPass;
    }
    if (checked == 0) continue;
    line += std::string(line.empty() ? "" : " · ") +
            // TRANSLATORS: {0} is a level in bold (MUST, SHOULD): "MUST 6 of 6 passed".
            Say("{0} {1} of {2} passed", std::string("<b>") + LevelName(level) + "</b>", passed, checked);
  }
  return Tag("p", line, " class=\"levels\"");
}

std::string Counts(const RunReport& report) {
  std::string chips = Chip("PASS", report.Count(Verdict::kPass)) + Chip("FAIL", report.Count(Verdict::kFail)) +
                      Chip("BLOCK", report.Count(Verdict::kBlocked)) + Chip("SKIP", report.Count(Verdict::kSkip));
  if (report.ExpectedFailures() > 0) chips += Chip("XFAIL", report.ExpectedFailures());
  if (report.UnexpectedPasses() > 0) chips += Chip("XPASS", report.UnexpectedPasses());
  return Tag("h2", EscapeMarkup(Tr("Requirements"))) + "<div class=\"chips\">" + chips + "</div>" + StatusBar(report) +
         ByLevel(report) + Attention(report);
}

std::string TileOf(const std::string& value, const char* label) {
  return "<div class=\"tile\"><b>" + value + "</b><span>" + EscapeMarkup(label) + "</span></div>";
}

std::string Latency(const RunReport& report) {
  LatencySummary latency = SummarizeLatency(report.zombie_lifetimes_ms);
  std::string section =
      "<section class=\"card\">" + Tag("h2", EscapeMarkup(Tr("Reap latency: how long zombies lived")));
  auto figure = [&](double ms) { return latency.samples == 0 ? std::string("–") : Decimal1(ms) + " ms"; };
  section += "<div class=\"tiles\">" + TileOf(figure(latency.p50), "p50") + TileOf(figure(latency.p99), "p99") +
             TileOf(figure(latency.max), Tr("max")) + TileOf(std::to_string(latency.samples), Tr("zombies timed")) +
             TileOf(std::to_string(report.reaped_before_seen), Tr("reaped before a 2 ms sample")) +
             TileOf(std::to_string(report.reap_grace_ms) + " ms", Tr("reap grace")) + "</div>";
  std::string plot = HistogramSvg(report.zombie_lifetimes_ms, report.reaped_before_seen, report.reap_grace_ms);
  if (plot.empty())
    section += Tag("p", EscapeMarkup(Tr("No zombie was observed in this run: nothing to plot.")));
  else
    section += plot;
  return section + "</section>";
}

std::string DiagnosisCard(const RunReport& report) {
  std::vector<std::string> diagnoses = Diagnoses(report);
  if (diagnoses.empty()) return "";
  std::string items;
  for (const std::string& diagnosis : diagnoses) items += Tag("li", EscapeMarkup(diagnosis));
  return "<section class=\"card diagnosis\">" + Tag("h2", EscapeMarkup(Tr("Diagnosis"))) + Tag("ul", items) +
         "</section>";
}

std::string RequirementTable(const RunReport& report) {
  std::string rows;
  for (const RequirementResult& result : report.results) {
    const Requirement& requirement = result.scenario->requirement;
    rows +=
        "<tr>" + Tag("td", Status(result)) +
        Tag("td", "<a href=\"#" + EscapeMarkup(Anchor(requirement.id)) + "\">" + EscapeMarkup(requirement.id) + "</a>",
            " class=\"mono\"") +
        Tag("td", LevelName(requirement.level)) + Tag("td", EscapeMarkup(TitleOf(requirement))) +
        Tag("td", Decimal1(result.duration_ms) + " ms", " class=\"num\"") + "</tr>";
  }
  // TRANSLATORS: the column headings of the requirement table of the HTML report.
  return "<section class=\"card\"><table class=\"reqs\"><thead><tr>" + Tag("th", EscapeMarkup(Tr("status"))) +
         Tag("th", "ID") + Tag("th", EscapeMarkup(Tr("level"))) + Tag("th", EscapeMarkup(Tr("requirement"))) +
         Tag("th", EscapeMarkup(Tr("time")), " style=\"text-align:right\"") + "</tr></thead><tbody>" + rows +
         "</tbody></table></section>";
}

bool Listed(const RunReport& report, const std::string& id) {
  for (const RequirementResult& result : report.results)
    if (id == result.scenario->requirement.id) return true;
  return false;
}

std::string Fact(const char* name, const std::string& escaped, const char* cls = "") {
  return Tag("dt", EscapeMarkup(name)) + Tag("dd", escaped, *cls ? std::string(" class=\"") + cls + "\"" : "");
}

std::string CaseFacts(const RunReport& report, const RequirementResult& result) {
  const Requirement& requirement = result.scenario->requirement;
  std::string facts;
  if (!result.evidence.empty())
    // TRANSLATORS: the facts of a case in the HTML report, each beside its text.
    facts += Fact(result.verdict == Verdict::kSkip ? Tr("reason") : Tr("evidence"), EscapeMarkup(result.evidence),
                  "evidence");
  if (!result.blocked_by.empty()) {
    std::string by = EscapeMarkup(result.blocked_by);
    if (Listed(report, result.blocked_by))
      by = "<a href=\"#" + EscapeMarkup(Anchor(result.blocked_by)) + "\">" + by + "</a>";
    facts += Fact(Tr("blocked by"), by);
  }
  if (!result.expectation.empty()) facts += Fact(Tr("expected"), EscapeMarkup(result.expectation));
  if (result.verdict == Verdict::kFail)
    facts += Fact(Tr("hint"), Tag("div", EscapeMarkup(HintOf(requirement)), " class=\"hint\""));
  if (!result.server_death.empty()) {
    std::string death = result.died_after_child
                            // TRANSLATORS: {0} is how the server ended ("exited with status 1").
                            ? Say("the server {0}, right after one of its children ended", result.server_death)
                            // TRANSLATORS: {0} is how the server ended ("exited with status 1").
                            : Say("the server {0}", result.server_death);
    facts += Fact(Tr("server"), EscapeMarkup(death));
  }
  if (result.runs > 1)
    facts += Fact(Tr("runs"), EscapeMarkup(result.failures > 0
                                               ? Say("{0} of {1} runs failed; the timeline shows the first failed run",
                                                     result.failures, result.runs)
                                               : Say("{0} of {1} runs failed; the timeline shows the last run",
                                                     result.failures, result.runs)));
  return facts.empty() ? "" : "<dl class=\"facts\">" + facts + "</dl>";
}

std::string CaseSection(const RunReport& report, const RequirementResult& result) {
  const Requirement& requirement = result.scenario->requirement;
  std::string status = StatusName(result);
  std::string head = Status(result) + Tag("span", EscapeMarkup(requirement.id), " class=\"mono\"") +
                     Tag("span", LevelName(requirement.level), " class=\"lvl\"") +
                     Tag("span", EscapeMarkup(TitleOf(requirement))) +
                     Tag("span", Decimal1(result.duration_ms) + " ms", " class=\"dur\"");
  std::string timeline = TimelineSvg(result.events, result.server_pid, report.reap_grace_ms);
  return "<section class=\"card case " + status + "\" id=\"" + EscapeMarkup(Anchor(requirement.id)) + "\">" +
         Tag("h2", head) + CaseFacts(report, result) + "<figure>" + timeline + (result.events.empty() ? "" : Legend()) +
         "</figure><a class=\"top\" href=\"#top\">" + EscapeMarkup(Tr("↑ top")) + "</a></section>";
}

std::string Page(const RunReport& report) {
  std::string title = std::string("forkcheck: ") + VerdictText(report);
  if (!report.sut.empty()) title += " — " + ServerName(report);
  // TRANSLATORS: the language code of this translation, for <html lang="...">: ko.
  std::string page = "<!DOCTYPE html>\n<html lang=\"" + EscapeMarkup(Tr("en")) +
                     "\"><head><meta charset=\"utf-8\">"
                     "<meta http-equiv=\"Content-Security-Policy\" content=\"" +
                     std::string(kPolicy) +
                     "\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
                     Tag("title", EscapeMarkup(title)) + "<style>" + kStyle + "</style></head><body><main>\n";
  page += VerdictHeader(report);
  page += "<div class=\"grid2\"><section class=\"card\">" + RunFacts(report) + "</section><section class=\"card\">" +
          Counts(report) + "</section></div>\n";
  page += DiagnosisCard(report) + Latency(report) + "\n" + RequirementTable(report) + "\n";
  for (const RequirementResult& result : report.results) page += CaseSection(report, result) + "\n";
  return page + "<footer>" +
         EscapeMarkup(Say("forkcheck · seed {0} · a self-contained page: it loads nothing", report.seed)) +
         "</footer></main></body></html>\n";
}

}  // namespace

bool WriteHtml(const std::string& path, const RunReport& report, std::string* error) {
  std::ofstream out(path);
  out << Page(report);
  out.close();
  if (!out) {
    *error = Say("cannot write the HTML report to {0}", path);
    return false;
  }
  return true;
}

}  // namespace forkcheck
