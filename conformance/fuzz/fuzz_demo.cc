// Stand-in for `forkcheck fuzz` until the runner wires it in: the same
// library call and output, with just enough flags to declare profiles.
//   fuzz_demo [--seed=N] [--runs=N] [--profile=P]... [--idle-timeout=MS]
//             [--max-children=N] [--reap-grace=MS] -- COMMAND...
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "conformance/fuzz/fuzz.h"

namespace {

bool Flag(const char* arg, const char* name, std::string* value) {
  size_t n = std::strlen(name);
  if (std::strncmp(arg, name, n) != 0 || arg[n] != '=') return false;
  *value = arg + n + 1;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  forkcheck::FuzzOptions options;
  options.replay_prefix = "fuzz_demo";
  int i = 1;
  for (std::string value; i < argc && std::strcmp(argv[i], "--") != 0; ++i) {
    if (Flag(argv[i], "--seed", &value)) options.seed = std::strtoull(value.c_str(), nullptr, 10);
    else if (Flag(argv[i], "--runs", &value)) options.runs = std::atoi(value.c_str());
    else if (Flag(argv[i], "--profile", &value)) options.declared.profiles.insert(value);
    else if (Flag(argv[i], "--idle-timeout", &value)) options.declared.idle_timeout_ms = std::atoi(value.c_str());
    else if (Flag(argv[i], "--max-children", &value)) options.declared.max_children = std::atoi(value.c_str());
    else if (Flag(argv[i], "--reap-grace", &value)) options.declared.reap_grace_ms = std::atoi(value.c_str());
    else {
      std::fprintf(stderr, "fuzz_demo: unknown flag %s\n", argv[i]);
      return 2;
    }
    if (std::strncmp(argv[i], "--seed", 6) != 0 && std::strncmp(argv[i], "--runs", 6) != 0)
      options.replay_prefix += std::string(" ") + argv[i];
  }
  for (++i; i < argc; ++i) options.argv.push_back(argv[i]);
  if (options.argv.empty()) {
    std::fprintf(stderr, "fuzz_demo: no server command after --\n");
    return 2;
  }
  forkcheck::FuzzResult result = forkcheck::RunFuzz(options);
  std::fputs(forkcheck::FormatFuzzResult(options, result).c_str(), stdout);
  return result.found ? 1 : 0;
}
