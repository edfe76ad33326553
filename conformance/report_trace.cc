// --trace: the cases' event logs in Chrome's Trace Event Format, so a long
// run can be zoomed through in Perfetto or chrome://tracing. Each case is a
// trace process; the server and each child are its threads (tid = real
// pid), with "running" and "zombie" slices; the kit's actions and the
// server's output are instant events on two lanes of their own.
#include <fstream>
#include <nlohmann/json.hpp>

#include "conformance/child_lives.h"
#include "conformance/harness/describe_status.h"
#include "conformance/l10n/tr.h"
#include "conformance/markup.h"
#include "conformance/report.h"

namespace forkcheck {
namespace {

using nlohmann::json;

constexpr int kKitLane = 0;
constexpr int kOutputLane = 1;

double Micros(const RequirementResult& result, double at_ms) { return (result.started_ms + at_ms) * 1000.0; }

json Metadata(const char* name, int pid, int tid, const std::string& value) {
  json event = {{"name", name}, {"ph", "M"}, {"pid", pid}, {"args", {{"name", value}}}};
  if (tid >= 0) event["tid"] = tid;
  return event;
}

json Slice(const std::string& name, int pid, int tid, double begin_us, double end_us, json args) {
  return {{"name", name}, {"cat", "process"}, {"ph", "X"},           {"pid", pid},
          {"tid", tid},   {"ts", begin_us},   {"dur", end_us - begin_us}, {"args", std::move(args)}};
}

json Instant(const std::string& name, int pid, int tid, double ts, json args) {
  return {{"name", name}, {"cat", "kit"}, {"ph", "i"}, {"s", "t"}, {"pid", pid}, {"tid", tid}, {"ts", ts},
          {"args", std::move(args)}};
}

json StatusArgs(int status) {
  if (status < 0) return json::object();
  return {{"status", DescribeStatusWithName(status)}};
}

void AddServer(const RequirementResult& result, int pid, double end_ms, json* events) {
  double ended = end_ms;
  int status = -1;
  for (const Event& event : result.events)
    if (event.kind == EventKind::kServerEnded && event.pid == result.server_pid) ended = event.at_ms, status = event.value;
  // TRANSLATORS: a track of the trace (--trace): the server process and its pid.
  events->push_back(Metadata("thread_name", pid, result.server_pid, Say("server {0}", result.server_pid)));
  events->push_back(Slice("server", pid, result.server_pid, Micros(result, 0), Micros(result, ended), StatusArgs(status)));
}

void AddChild(const RequirementResult& result, const ChildLife& life, int pid, double end_ms, json* events) {
  // TRANSLATORS: a track of the trace (--trace): a child process and its pid.
  events->push_back(Metadata("thread_name", pid, life.pid, Say("child {0}", life.pid)));
  double begin = life.forked_ms >= 0 ? life.forked_ms : 0;
  double exited = life.exited_ms >= 0 ? life.exited_ms : life.reaped_ms >= 0 ? life.reaped_ms : end_ms;
  events->push_back(Slice("running", pid, life.pid, Micros(result, begin), Micros(result, exited), StatusArgs(life.status)));
  if (life.exited_ms < 0) return;
  json args = StatusArgs(life.status);
  if (life.NeverReaped()) args["never_reaped"] = true;
  double gone = life.reaped_ms >= 0 ? life.reaped_ms : end_ms;
  events->push_back(Slice("zombie", pid, life.pid, Micros(result, exited), Micros(result, gone), std::move(args)));
}

void AddLives(const RequirementResult& result, int pid, int reap_grace_ms, double end_ms, json* events) {
  AddServer(result, pid, end_ms, events);
  for (const ChildLife& life : ChildLives(result.events, result.server_pid, reap_grace_ms))
    AddChild(result, life, pid, end_ms, events);
}

json ActionArgs(const Event& event) {
  json args = {{"at_ms", event.at_ms}};
  if (!event.detail.empty()) args["detail"] = event.detail;
  if (event.pid > 0) args["pid"] = event.pid;
  switch (event.kind) {
    case EventKind::kConnected:
    case EventKind::kHalfClosed:
    case EventKind::kClosed:
    case EventKind::kReset: args["client_port"] = event.value; break;
    case EventKind::kSignalSent:
    case EventKind::kTeardown: args["signal"] = SignalName(event.value); break;
    default: break;
  }
  return args;
}

bool IsProcessEvent(EventKind kind) {
  return kind == EventKind::kServerStarted || kind == EventKind::kServerEnded || kind == EventKind::kForked ||
         kind == EventKind::kExited || kind == EventKind::kReaped;
}

void AddActions(const RequirementResult& result, int pid, json* events) {
  for (const Event& event : result.events) {
    if (IsProcessEvent(event.kind)) continue;
    bool output = event.kind == EventKind::kOutput;
    std::string name = output ? event.detail.substr(0, 80) : EventKindName(event.kind);
    events->push_back(Instant(name, pid, output ? kOutputLane : kKitLane, Micros(result, event.at_ms), ActionArgs(event)));
  }
}

void AddCase(const RequirementResult& result, int pid, int reap_grace_ms, json* events) {
  const Requirement& requirement = result.scenario->requirement;
  events->push_back(Metadata("process_name", pid, -1,
                             std::string(requirement.id) + " " + StatusName(result) + ": " + TitleOf(requirement)));
  events->push_back({{"name", "process_sort_index"}, {"ph", "M"}, {"pid", pid}, {"args", {{"sort_index", pid}}}});
  // TRANSLATORS: a track of the trace (--trace): what the kit did (connections, signals, faults).
  events->push_back(Metadata("thread_name", pid, kKitLane, Tr("kit actions")));
  // TRANSLATORS: a track of the trace (--trace): the lines the server printed.
  events->push_back(Metadata("thread_name", pid, kOutputLane, Tr("server output")));
  double end_ms = result.events.empty() ? 0 : result.events.back().at_ms;
  AddLives(result, pid, reap_grace_ms, end_ms, events);
  AddActions(result, pid, events);
}

}  // namespace

bool WriteTrace(const std::string& path, const RunReport& report, std::string* error) {
  json events = json::array();
  for (size_t i = 0; i < report.results.size(); ++i) AddCase(report.results[i], static_cast<int>(i) + 1, report.reap_grace_ms, &events);
  json document = {{"traceEvents", std::move(events)},
                   {"displayTimeUnit", "ms"},
                   {"otherData", {{"sut", report.sut}, {"seed", report.seed}, {"conforms", !report.Failed()}}}};
  std::ofstream out(path);
  out << document.dump() << "\n";
  if (!out) {
    *error = Say("cannot write the trace to {0}", path);
    return false;
  }
  return true;
}

}  // namespace forkcheck
