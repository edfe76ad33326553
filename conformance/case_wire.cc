#include "conformance/case_wire.h"

#include <nlohmann/json.hpp>

#include "conformance/l10n/tr.h"

namespace forkcheck {
namespace {

using nlohmann::json;

json EventToJson(const Event& event) {
  return json::array({event.at_ms, static_cast<int>(event.kind), event.pid, event.value, event.detail});
}

Event EventFromJson(const json& fields) {
  return {fields.at(0).get<double>(), static_cast<EventKind>(fields.at(1).get<int>()), fields.at(2).get<pid_t>(),
          fields.at(3).get<int>(), fields.at(4).get<std::string>()};
}

}  // namespace

std::string CaseResultToJson(const CaseResult& result) {
  json events = json::array();
  for (const Event& event : result.events) events.push_back(EventToJson(event));
  json document = {{"id", result.scenario->requirement.id},
                   {"verdict", static_cast<int>(result.outcome.verdict)},
                   {"evidence", result.outcome.evidence},
                   {"blocked_by", result.outcome.blocked_by},
                   {"duration_ms", result.duration_ms},
                   {"zombie_lifetimes_ms", result.zombie_lifetimes_ms},
                   {"reaped_before_seen", result.reaped_before_seen},
                   {"server_pid", result.server_pid},
                   {"server_death", result.server_death},
                   {"died_after_child", result.died_after_child},
                   {"events", std::move(events)}};
  // Server output may hold any bytes: never let them break the line.
  return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<CaseResult> CaseResultFromJson(const std::string& text, std::string* error) {
  try {
    json document = json::parse(text);
    CaseResult result;
    result.scenario = FindScenario(document.at("id").get<std::string>());
    if (result.scenario == nullptr) throw std::runtime_error(Say("unknown requirement {0}", document.at("id").dump()));
    result.outcome = {static_cast<Verdict>(document.at("verdict").get<int>()), document.at("evidence"),
                      document.at("blocked_by")};
    result.duration_ms = document.at("duration_ms");
    result.zombie_lifetimes_ms = document.at("zombie_lifetimes_ms").get<std::vector<double>>();
    result.reaped_before_seen = document.at("reaped_before_seen");
    result.server_pid = document.at("server_pid");
    result.server_death = document.at("server_death");
    result.died_after_child = document.at("died_after_child");
    for (const json& event : document.at("events")) result.events.push_back(EventFromJson(event));
    return result;
  } catch (const std::exception& problem) {
    *error = Say("a case process handed back no result: {0}", problem.what());
    return std::nullopt;
  }
}

}  // namespace forkcheck
