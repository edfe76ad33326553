#include "conformance/options.h"

#include <fnmatch.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include "conformance/harness/loopback.h"
#include "conformance/l10n/tr.h"
#include "conformance/reference_server.h"

namespace forkcheck {
namespace {

const std::set<std::string> kProfiles = {"core", "status", "hooks", "alarm", "limit", "shutdown", "prefork"};

// TRANSLATORS: the --help text above the options. Keep {port}, fd 3,
// LISTEN_FDS=1, COMMAND, ARGS, OPTIONS and the command lines as they are.
const char kDescription[] =
    N_("forkcheck: checks a fork-per-connection TCP echo server against conformance/SPEC.md.\n"
       "Usage: forkcheck [OPTIONS] [-- COMMAND [ARGS...]]\n"
       "       forkcheck fuzz [OPTIONS] -- COMMAND [ARGS...]\n"
       "A {port} in ARGS is replaced by a free port; without it the server gets a listening\n"
       "socket by socket activation (fd 3, LISTEN_FDS=1). Status lines (profile status) are\n"
       "read from the server's stdout and stderr alike. With no COMMAND the bundled\n"
       "reference server is checked with every profile on.\n"
       "Exit: 0 every MUST passed (fuzz: no violation), 1 a MUST failed (fuzz: a violation),\n"
       "2 usage or infrastructure error.");

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty()) parts.push_back(part);
  return parts;
}

// What the server speaks: every check talks to it through that protocol.
void AddProtocolOptions(CLI::App* app, ProtocolSpec* spec) {
  app->add_option("--protocol", spec->name,
                  Tr("what the server speaks: echo (default), http, banner, or exchange:FILE (a send/expect script)"));
  app->add_option("--http-path", spec->http_path, Tr("with --protocol=http: the path to GET (default /)"));
  app->add_option("--http-large-path", spec->http_large_path,
                  Tr("with --protocol=http: a path whose reply is large (MiBs), for INTR-3"));
  app->add_option(
      "--banner", spec->banner,
      Tr("with --protocol=banner: regex (RE2) a line the server sends first must match (default any line)"));
}

// The protocol the options describe; a usage error when they are wrong.
bool ApplyProtocol(RunnerOptions* options, int* exit_code) {
  std::string error;
  options->protocol = MakeProtocol(options->protocol_spec, &error);
  if (options->protocol) return true;
  std::cerr << "forkcheck: " << error << "\n";
  *exit_code = kExitUsage;
  return false;
}

// What the user declares about the server: shared by the checks and fuzz.
void AddDeclarations(CLI::App* app, RunnerOptions* options, std::string* profiles, std::string* backends) {
  app->add_option("--profile", *profiles,
                  Tr("comma list of core,status,hooks,alarm,limit,shutdown,prefork (core is always on)"));
  app->add_option("--idle-timeout", options->declared.idle_timeout_ms,
                  Tr("declared idle timeout T in ms (alarm profile)"))
      ->check(CLI::Range(1, 3600000));
  app->add_option("--max-children", options->declared.max_children, Tr("declared cap on live children (limit profile)"))
      ->check(CLI::Range(1, 100000));
  app->add_option("--model", options->declared.model,
                  Tr("the process model: fork (a child per session, default) or prefork (a pool of workers; "
                     "turns the prefork profile on)"))
      ->check(CLI::IsMember({"fork", "prefork"}));
  app->add_option("--max-sessions-per-worker", options->declared.max_sessions_per_worker,
                  Tr("prefork: a worker is recycled after this many sessions (PREF-3)"))
      ->check(CLI::Range(1, 1000000));
  app->add_option("--shutdown-grace", options->declared.shutdown_grace_ms,
                  Tr("declared shutdown grace in ms (shutdown profile)"))
      ->check(CLI::Range(0, 3600000));
  app->add_option("--status-pattern", options->declared.status_pattern,
                  Tr("regex for the status lines, read from both stdout and stderr: named groups pid and "
                     "code/signal/core, or raw"));
  app->add_option("--host", options->declared.host,
                  Tr("loopback address to connect to: 127.0.0.1 (default) or ::1; {host} in ARGS is replaced by it"))
      ->check([](const std::string& host) {
        return IsLoopbackHost(host) ? "" : Say("'{0}' is not a loopback address (127.0.0.1 or ::1)", host);
      });
  app->add_option("--reap-grace", options->declared.reap_grace_ms, Tr("how long a zombie may live, ms (default 1000)"))
      ->check(CLI::Range(1, 600000));
  app->add_option("--backends", *backends,
                  Tr("comma list of fault backends to use: preload,strace,kernel (default all)"));
  AddProtocolOptions(app, &options->protocol_spec);
  app->add_option("--seed", options->seed, Tr("seed for payloads and schedules (printed in every report)"));
  app->add_option("--timeout-scale", options->timeout_scale, Tr("multiply every deadline by F"))
      ->check(CLI::Range(0.1, 100.0));
  // Read before parsing (SetUpLanguage), so --help is already in it.
  app->add_option("--lang", options->lang,
                  Tr("the language of the messages: en or ko (default: from LANGUAGE, LC_ALL, LC_MESSAGES, LANG); "
                     "IDs, levels, statuses and JSON keys stay English"))
      ->check(CLI::IsMember({"en", "ko"}));
  app->add_option("command", options->command, Tr("the server command, after --"));
}

// A report path is checked before the run, not after it: a typo must not
// cost the user the whole run's results.
const CLI::Validator kOutputFile(
    [](std::string& path) -> std::string {
      std::filesystem::path parent = std::filesystem::path(path).parent_path();
      if (parent.empty() || std::filesystem::is_directory(parent)) return "";
      return Say("no such directory for the report: {0}", parent.string());
    },
    "FILE");

void AddCheckOptions(CLI::App* app, RunnerOptions* options, std::string* only, std::string* skip) {
  app->add_option("--only", *only, Tr("comma list of ID globs to run (e.g. REAP-*,ECHO-1)"));
  app->add_option("--skip", *skip, Tr("comma list of ID globs to leave out"));
  app->add_flag("--list", options->list, Tr("list IDs, levels, profiles and titles, then exit"));
  app->add_option("--repeat", options->repeat, Tr("run each case N times"))->check(CLI::Range(1, 10000));
  app->add_option("--jobs", options->jobs,
                  Tr("cases run side by side, each in a process of its own (default: the number of cores); "
                     "a case that measures time or CPU never runs beside load"))
      ->check(CLI::Range(1, 64));
  app->add_option("--internal-case", options->internal_case)->group("");
  app->add_option("--internal-seed", options->internal_seed)->group("");
  app->add_option("--json", options->json_path, Tr("write a JSON report to FILE"))->check(kOutputFile);
  app->add_option("--junit", options->junit_path, Tr("write a JUnit XML report to FILE"))->check(kOutputFile);
  app->add_option("--html", options->html_path,
                  Tr("write a self-contained HTML report with a process timeline per case to FILE"))
      ->check(kOutputFile);
  app->add_option("--trace", options->trace_path,
                  Tr("write the cases' events as a Chrome trace (Perfetto, chrome://tracing) to FILE"))
      ->check(kOutputFile);
  app->add_flag("--verbose", options->verbose, Tr("print evidence for passing cases too"));
  app->add_option(
      "--expectations", options->expectations_path,
      Tr("known failures, one 'ID reason...' per line: a listed failure is XFAIL and does not fail the run, "
         "a listed requirement that passes is XPASS"));
  app->add_option_function<std::string>(
         "--xpass", [options](const std::string& mode) { options->xpass_fails = mode == "fail"; },
         Tr("what an XPASS does: fail the run (default) or warn"))
      ->check(CLI::IsMember({"fail", "warn"}));
}

// The declaration flags as given, so a fuzz replay line repeats them.
std::string ReplayPrefix(CLI::App* fuzz) {
  std::string prefix = "forkcheck fuzz";
  for (const char* name : {"--profile", "--idle-timeout", "--max-children", "--reap-grace", "--status-pattern",
                           "--timeout-scale", "--backends", "--host", "--protocol", "--http-path",
                           "--http-large-path", "--banner"}) {
    CLI::Option* option = fuzz->get_option(name);
    if (option->count() > 0) prefix += std::string(" ") + name + "='" + option->as<std::string>() + "'";
  }
  return prefix;
}

// Anything the user did not set explicitly takes the reference server's
// declarations, so a bare `forkcheck` checks it with every profile on.
void ApplyReferenceDefaults(CLI::App* app, RunnerOptions* options) {
  ReferenceDeclarations defaults = ReferenceServerDeclarations();
  if (app->count("--profile") == 0) options->declared.profiles = defaults.declared.profiles;
  if (app->count("--idle-timeout") == 0) options->declared.idle_timeout_ms = defaults.declared.idle_timeout_ms;
  if (app->count("--max-children") == 0) options->declared.max_children = defaults.declared.max_children;
  if (app->count("--shutdown-grace") == 0) options->declared.shutdown_grace_ms = defaults.declared.shutdown_grace_ms;
  options->command = defaults.command;
}

// The headings CLI11 prints in --help ("Options:", "Usage:") in the
// reader's language; the option names stay as they are.
void LocalizeHelp(CLI::App* app) {
  // TRANSLATORS: a heading of --help, above the options.
  app->option_defaults()->group(Tr("Options"));
  app->set_help_flag("-h,--help", Tr("Print this help message and exit"));
  CLI::FormatterBase& formatter = *app->get_formatter();
  // TRANSLATORS: --help: "Usage: forkcheck [OPTIONS] [command...]".
  formatter.label("Usage", Tr("Usage"));
  // TRANSLATORS: --help: the placeholder for options in the usage line.
  formatter.label("OPTIONS", Tr("OPTIONS"));
  // TRANSLATORS: --help: the placeholder for a subcommand in the usage line.
  formatter.label("SUBCOMMAND", Tr("SUBCOMMAND"));
  // TRANSLATORS: a heading of --help, above the arguments without a name (the server command).
  formatter.label("Positionals", Tr("Positionals"));
  // TRANSLATORS: --help: after an option that must be given.
  formatter.label("REQUIRED", Tr("REQUIRED"));
}

bool ApplyBackends(const std::string& backends, RunnerOptions* options, int* exit_code) {
  if (backends.empty()) return true;
  options->declared.backends.clear();
  for (const std::string& backend : SplitCommas(backends)) {
    if (backend != "preload" && backend != "strace" && backend != "kernel") {
      std::cerr << "forkcheck: " << Say("unknown fault backend '{0}' (known: preload,strace,kernel)", backend) << "\n";
      *exit_code = kExitUsage;
      return false;
    }
    options->declared.backends.insert(backend);
  }
  return true;
}

bool ApplyProfiles(const std::string& profiles, RunnerOptions* options, int* exit_code) {
  for (const std::string& profile : SplitCommas(profiles)) {
    if (kProfiles.count(profile) == 0) {
      std::cerr << "forkcheck: "
                << Say("unknown profile '{0}' (known: core,status,hooks,alarm,limit,shutdown,prefork)", profile)
                << "\n";
      *exit_code = kExitUsage;
      return false;
    }
    options->declared.profiles.insert(profile);
  }
  if (options->declared.model == "prefork") options->declared.profiles.insert("prefork");
  return true;
}

}  // namespace

const char kVersion[] = "0.5.0";

bool MatchesAnyGlob(const std::string& id, const std::vector<std::string>& globs) {
  for (const std::string& glob : globs)
    if (fnmatch(glob.c_str(), id.c_str(), FNM_CASEFOLD) == 0) return true;
  return false;
}

std::optional<RunnerOptions> ParseOptions(int argc, char** argv, int* exit_code) {
  RunnerOptions options;
  options.argv.assign(argv, argv + argc);
  options.jobs = static_cast<int>(std::max(1u, std::min(64u, std::thread::hardware_concurrency())));
  options.seed = static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()) % 1000000007;
  RunnerOptions fuzz_options = options;
  CLI::App app{Tr(kDescription), "forkcheck"};
  // A later option overrides an earlier one, so `bazel test --test_arg=...`
  // can override what a forkcheck_test rule set.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  LocalizeHelp(&app);
  app.set_version_flag("--version", std::string("forkcheck ") + kVersion,
                       Tr("Display program version information and exit"));
  std::string profiles, only, skip, fuzz_profiles, backends, fuzz_backends;
  AddDeclarations(&app, &options, &profiles, &backends);
  AddCheckOptions(&app, &options, &only, &skip);
  CLI::App* fuzz = app.add_subcommand(
      "fuzz",
      Tr("random schedules of client actions and faults against a model; a failure is shrunk to a minimal schedule"));
  // TRANSLATORS: a heading of --help, above the subcommands (fuzz).
  fuzz->group(Tr("Subcommands"));
  // Its help flag was made before it took the option defaults (the group).
  fuzz->set_help_flag("-h,--help", Tr("Print this help message and exit"));
  AddDeclarations(fuzz, &fuzz_options, &fuzz_profiles, &fuzz_backends);
  fuzz->add_option("--runs", fuzz_options.runs, Tr("schedules to try (run i uses seed + i)"))
      ->check(CLI::Range(1, 100000));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    *exit_code = kExitAllMustPass;
    return std::nullopt;
  } catch (const CLI::CallForVersion& version) {
    std::cout << version.what() << "\n";
    *exit_code = kExitAllMustPass;
    return std::nullopt;
  } catch (const CLI::ParseError& error) {
    // CLI11's own message, in English.
    std::cerr << "forkcheck: " << Say("{0} (see --help)", error.what()) << "\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  if (fuzz->parsed()) {
    if (!ApplyProfiles(fuzz_profiles, &fuzz_options, exit_code) ||
        !ApplyBackends(fuzz_backends, &fuzz_options, exit_code) || !ApplyProtocol(&fuzz_options, exit_code))
      return std::nullopt;
    fuzz_options.fuzz = true;
    fuzz_options.replay_prefix = ReplayPrefix(fuzz);
    if (fuzz_options.command.empty()) ApplyReferenceDefaults(fuzz, &fuzz_options);
    return fuzz_options;
  }
  if (!ApplyProfiles(profiles, &options, exit_code) || !ApplyBackends(backends, &options, exit_code) ||
      !ApplyProtocol(&options, exit_code))
    return std::nullopt;
  options.only = SplitCommas(only);
  options.skip = SplitCommas(skip);
  if (options.command.empty()) ApplyReferenceDefaults(&app, &options);
  return options;
}

}  // namespace forkcheck
