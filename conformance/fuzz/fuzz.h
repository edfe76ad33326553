// `forkcheck fuzz`: a rapidcheck state machine run against any server the
// harness can start. Each test case gets a fresh server; a failing schedule
// is shrunk to a minimal one and reported with the requirement it violates.
#ifndef FORKCHECK_CONFORMANCE_FUZZ_FUZZ_H_
#define FORKCHECK_CONFORMANCE_FUZZ_FUZZ_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "scenarios/scenario.h"

namespace forkcheck {

// What is running now, for a live display.
struct FuzzProgress {
  int run = 0;  // 1-based
  int runs = 0;
  size_t steps = 0;        // commands in the schedule about to run
  bool shrinking = false;  // a shrink attempt of the run's failing schedule
};

// "[run 17/100] schedule of 23 steps", "[run 17/100] shrinking: schedule of 4 steps"
std::string FormatFuzzProgress(const FuzzProgress& progress);

struct FuzzOptions {
  std::vector<std::string> argv;  // server command, may hold {port}
  std::shared_ptr<const Protocol> protocol;  // echo when null
  Declared declared;              // profiles: hooks, alarm (idle_timeout_ms), status, limit
  uint64_t seed = 1;              // run i uses seed + i
  int runs = 100;
  int max_commands = 8;           // per schedule, before shrinking
  int max_connections = 4;        // open at once (also capped by max_children)
  bool fork_failures = true;      // arm fork() failures when the preload reaches the server
  // The replay line starts with this (the runner adds its declaration flags).
  std::string replay_prefix = "forkcheck fuzz";
  // Called before each schedule runs, shrink attempts included; may be empty.
  std::function<void(const FuzzProgress&)> on_schedule;
};

struct FuzzResult {
  bool found = false;
  std::string setup_error;          // the server could not even start
  std::vector<std::string> steps;   // the shrunk schedule, "1. connect c0", ...
  std::string requirement;          // e.g. "REAP-2"
  std::string evidence;             // what was observed at the last step
  uint64_t seed = 0;                // the run that failed (replays with --runs=1)
  int runs_done = 0;
  int shrinks = 0;                  // accepted shrink steps
  int replays = 0;                  // schedules run, shrink attempts included
  std::string replay;               // a command line that replays it
  std::string notes;                // e.g. why fork failures were left out
};

FuzzResult RunFuzz(const FuzzOptions& options);

// The report `forkcheck fuzz` prints: the schedule as numbered steps, the
// violated requirement, and the replay line (or "no violation in N runs").
std::string FormatFuzzResult(const FuzzOptions& options, const FuzzResult& result);

// The state machine as a plain rapidcheck property body, for RC_GTEST_PROP.
void CheckServerModel(const FuzzOptions& options);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_FUZZ_FUZZ_H_
