// topo: the command line. Parses flags, sets up logging, runs one command and
// maps what happened to the contract's exit codes.
#include <CLI/CLI.hpp>

#include <iostream>

#include "reconciler/cli/commands.hpp"
#include "reconciler/cli/definition/command_line.hpp"
#include "reconciler/cli/definition/completion_script.hpp"
#include "reconciler/cli/definition/man_page.hpp"
#include "reconciler/cli/fd_limit.hpp"
#include "reconciler/cli/graph_command.hpp"
#include "reconciler/cli/import_command.hpp"
#include "reconciler/cli/inspect_command.hpp"
#include "reconciler/cli/logging.hpp"
#include "reconciler/cli/verify_command.hpp"
#include "reconciler/cli/watch_commands.hpp"
#include "reconciler/kernel_interface/kernel.hpp"
#include "reconciler/output/outcome_format.hpp"
#include "reconciler/pipeline/pipeline.hpp"
#include "reconciler/process/malloc_tuning.hpp"
#include "reconciler/probe/probe_runner.hpp"

using namespace topo::cli;

namespace {

// A command that failed before it changed anything: the lines on stderr and,
// under -o json, one document with the errors on stdout.
int report_error(const Options& o, const std::string& command, const std::vector<std::string>& lines,
                 const std::vector<topo::LoadError>& diagnostics = {}) {
  for (const auto& line : lines) std::cerr << line << "\n";
  if (o.output == "json") std::cout << topo::format_error_json(command, lines, diagnostics);
  // A TAP reader (verify -o tap) learns of the failure on stdout too.
  if (o.output == "tap") std::cout << "TAP version 13\n1..0\nBail out! " << (lines.empty() ? "" : lines.front()) << "\n";
  return kExitError;
}

// `topo help [COMMAND...]`: the help of that command, as `topo COMMAND --help` prints it.
int print_help(const CommandLine& cl) {
  const CLI::App* at = &cl.app;
  for (const auto& word : cl.r.help_topic) {
    const CLI::App* next = nullptr;
    for (const CLI::App* sub : subcommands_of(*at))
      if (sub->get_name() == word) next = sub;
    if (!next) {
      std::string known;
      for (const CLI::App* sub : subcommands_of(*at)) known += (known.empty() ? "" : ", ") + sub->get_name();
      if (known.empty())
        std::cerr << "Error: `" << at->get_name() << "` has no subcommands; `topo help " << at->get_name()
                  << "` says what it takes\n";
      else
        std::cerr << "Error: no command `" << word << "`" << (at == &cl.app ? "" : " in `" + at->get_name() + "`")
                  << "; there are: " << known << "\n";
      return kExitError;
    }
    at = next;
  }
  std::cout << at->help();
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  // verify's probe child (probe/probe_runner.hpp): not a command users type.
  if (argc == 3 && std::string(argv[1]) == "__probe") return topo::probe::probe_child_main(argv[2]);
  topo::process::tune_malloc();
  topo::cli::raise_open_file_limit();
  std::unique_ptr<CommandLine> cl = make_command_line();
  CLI::App& app = cl->app;
  const Options& o = cl->r.o;

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    // app.exit printed the text already; the document is what -o json adds.
    if (rc != 0 && o.output == "json") std::cout << topo::format_error_json(cl->reported_command(), {e.what()});
    return rc == 0 ? kExitOk : kExitError;
  }

  const std::string command = cl->parsed_command();
  try {
    if (command == "help") return print_help(*cl);
    if (command == "man") return std::cout << man_page(*cl), kExitOk;
    if (command == "completion") return std::cout << completion_script(*cl, cl->r.completion_shell), kExitOk;
    setup_logging(o.log_level, o.log_format);
    if (command == "validate") return cmd_validate(o);
    if (command == "plan") return cmd_plan(o);
    if (command == "diff") return cmd_diff(o);
    if (command == "apply") return cmd_apply(o);
    if (command == "destroy") return cmd_destroy(o);
    if (command == "show") return cmd_show(o);
    if (command == "verify") return cmd_verify(o);
    if (command == "watch") return cmd_watch(o, cl->r.watch);
    if (command == "status") return cmd_status(o);
    if (command.starts_with("inspect ")) return cmd_inspect(o, cl->r.inspect);
    if (command == "graph") return cmd_graph(o, cl->r.graph);
    if (command.starts_with("import ")) return cmd_import(o, cl->r.import);
  } catch (const topo::UserError& e) {
    return report_error(o, cl->reported_command(), e.lines, e.diagnostics);
  } catch (const topo::KernelError& e) {
    return report_error(o, cl->reported_command(), {std::string("Error: ") + e.what(), "nothing was changed."});
  } catch (const std::exception& e) {
    // A lock held by another topo, an untrusted state dir.
    return report_error(o, cl->reported_command(), {std::string("Error: ") + e.what()});
  }
  return kExitError;
}
