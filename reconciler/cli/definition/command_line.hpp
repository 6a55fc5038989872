#pragma once
// The command line's definition: every command, flag, environment variable
// and choice topo takes, in one place. main.cpp parses with it; the man page
// and the shell completions (man_page.hpp, completion_script.hpp) are written
// from it, so neither can drift from what topo really accepts.
#include <CLI/CLI.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "reconciler/cli/graph_command.hpp"
#include "reconciler/cli/import_command.hpp"
#include "reconciler/cli/inspect_command.hpp"
#include "reconciler/cli/options.hpp"
#include "reconciler/cli/watch_commands.hpp"

namespace topo::cli {

// What the parsed command line asks for, beyond Options.
struct Requests {
  Options o;
  WatchOptions watch;
  GraphFlags graph;
  InspectRequest inspect;
  ImportRequest import;
  std::string completion_shell;         // completion bash|zsh|fish
  std::vector<std::string> help_topic;  // help [COMMAND [SUBCOMMAND]]
};

struct CommandLine {
  CLI::App app{"topo: a declarative network topology reconciler"};
  Requests r;
  // The values an option takes, when they are a fixed set (for completion
  // and the man page; the parser checks them with CLI::IsMember).
  std::map<const CLI::Option*, std::vector<std::string>> choices;

  // The command that was parsed, as "apply" or "inspect network"; "" before
  // parsing or when none was.
  std::string parsed_command() const;
  // The command a failure is reported for: its first word, else "topo".
  std::string reported_command() const;
};

// Not movable (CLI11 keeps pointers into Requests), hence the pointer.
std::unique_ptr<CommandLine> make_command_line();

// The subcommands of `app` in the order they were defined.
std::vector<const CLI::App*> subcommands_of(const CLI::App& app);
// Every name an option is written with: "-o", "--output", in that order.
std::vector<std::string> spellings_of(const CLI::Option& option);
// The options of `cmd` a user types: not help, not positional.
std::vector<const CLI::Option*> flags_of(const CLI::App& cmd);
// Its positional arguments.
std::vector<const CLI::Option*> positionals_of(const CLI::App& cmd);

}  // namespace topo::cli
