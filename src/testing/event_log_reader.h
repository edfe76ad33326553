// Reads the reference server's --events file (JSON Lines).
#ifndef FORKCHECK_SRC_TESTING_EVENT_LOG_READER_H_
#define FORKCHECK_SRC_TESTING_EVENT_LOG_READER_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace forkcheck::testing {

// Every complete line of `path`, parsed; a line still being written is left out.
std::vector<nlohmann::json> ReadEventLog(const std::string& path);

}  // namespace forkcheck::testing

#endif  // FORKCHECK_SRC_TESTING_EVENT_LOG_READER_H_
