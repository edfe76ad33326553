#include "src/testing/event_log_reader.h"

#include "src/testing/server_process.h"

namespace forkcheck::testing {

std::vector<nlohmann::json> ReadEventLog(const std::string& path) {
  std::vector<nlohmann::json> events;
  std::string text = ReadFile(path);
  size_t pos = 0, nl;
  while ((nl = text.find('\n', pos)) != std::string::npos) {
    events.push_back(nlohmann::json::parse(text.substr(pos, nl - pos)));
    pos = nl + 1;
  }
  return events;
}

}  // namespace forkcheck::testing
