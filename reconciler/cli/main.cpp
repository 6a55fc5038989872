// topo: the command line. Parses flags, sets up logging, runs one command and
// maps what happened to the contract's exit codes.
#include <CLI/CLI.hpp>
#include <iostream>

#include "reconciler/cli/commands.hpp"
#include "reconciler/cli/fd_limit.hpp"
#include "reconciler/cli/graph_command.hpp"
#include "reconciler/cli/inspect_command.hpp"
#include "reconciler/cli/logging.hpp"
#include "reconciler/cli/verify_command.hpp"
#include "reconciler/cli/watch_commands.hpp"
#include "reconciler/kernel_interface/kernel.hpp"
#include "reconciler/output/outcome_format.hpp"
#include "reconciler/pipeline/pipeline.hpp"
#include "reconciler/probe/probe_runner.hpp"

using namespace topo::cli;

namespace {

void add_common(CLI::App* cmd, Options& o, bool paths_required) {
  auto* paths = cmd->add_option("PATH", o.paths, "manifest files or directories");
  if (paths_required) paths->required();
  cmd->add_option("--node", o.node, "this host's name in the manifests' hosts, or in the cluster")->envname("TOPO_NODE");
  cmd->add_option("-o,--output", o.output, "text or json")->check(CLI::IsMember({"text", "json"}));
}

// Cluster mode (manifest.md "Cluster mode (etcd)"); spelled as etcdctl spells them.
void add_cluster(CLI::App* cmd, Options& o) {
  cmd->add_option("--etcd", o.etcd, "cluster mode: etcd's client URLs, URL[,URL...]")->envname("TOPO_ETCD");
  cmd->add_option("--etcd-prefix", o.etcd_prefix, "cluster mode: the prefix of topo's keys (default /topo)")
      ->envname("TOPO_ETCD_PREFIX");
  cmd->add_option("--etcd-cacert", o.etcd_cacert, "cluster mode: CA bundle of etcd's certificates")
      ->envname("TOPO_ETCD_CACERT");
  cmd->add_option("--etcd-cert", o.etcd_cert, "cluster mode: client certificate")->envname("TOPO_ETCD_CERT");
  cmd->add_option("--etcd-key", o.etcd_key, "cluster mode: client key")->envname("TOPO_ETCD_KEY");
  cmd->add_option("--advertise-address", o.advertise_address,
                  "cluster mode: this node's underlay address (default: the source address of its route to etcd)")
      ->envname("TOPO_ADVERTISE_ADDRESS");
  cmd->add_option("--node-ttl", o.node_ttl_seconds,
                  "cluster mode: seconds after the controller stops before other nodes drop this one (default 30)")
      ->check(CLI::Range(2, 3600));
}

void add_detailed(CLI::App* cmd, Options& o) {
  cmd->add_flag("--detailed-exitcode", o.detailed_exitcode, "exit 2 when there are (or were) changes");
}

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

}  // namespace

int main(int argc, char** argv) {
  // verify's probe child (probe/probe_runner.hpp): not a command users type.
  if (argc == 3 && std::string(argv[1]) == "__probe") return topo::probe::probe_child_main(argv[2]);
  topo::cli::raise_open_file_limit();
  Options o;
  CLI::App app{"topo: a declarative network topology reconciler"};
  app.require_subcommand(1);
  // Global flags may come after the subcommand too (`topo apply DIR
  // --state-dir X`): subcommands made below inherit this and hand options
  // they do not know to the app.
  app.fallthrough();
  app.set_version_flag("--version", "topo " TOPO_VERSION);
  app.add_option("--state-dir", o.state_dir, "where topo remembers allocations")->envname("TOPO_STATE_DIR");
  app.add_option("--netns-dir", o.netns_dir, "where managed namespaces are bind-mounted")->envname("TOPO_NETNS_DIR");
  app.add_option("--etc-netns-dir", o.etc_netns_dir, "where per-container hosts and resolv.conf are written")
      ->envname("TOPO_ETC_NETNS_DIR");
  app.add_option("--log-level", o.log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app.add_option("--log-format", o.log_format, "text or json")->check(CLI::IsMember({"text", "json"}));
  app.add_option("--lock-wait", o.lock_wait_seconds, "seconds to wait for another topo's lock");
  app.add_flag("--no-color", o.no_color, "no colour in text output (also when NO_COLOR is set or TERM=dumb)");
  app.add_option("--stack", o.stack,
                 "the stack of documents without `stack:`; destroy and show: the stack to act on or show")
      ->envname("TOPO_STACK")
      ->check(CLI::Validator(
          [](std::string& v) {
            return topo::valid_stack_name(v) ? std::string()
                                             : "a stack name is 1-63 letters, digits, '_', '.', '-', starting with a letter or digit";
          },
          "NAME"));

  // Docker's --default-address-pool form; several pools joined by ';' or
  // the flag repeated (one pool or list per occurrence: a PATH after it stays a PATH).
  app.add_option("--address-pools", o.address_pools,
                 "where networks without a subnet get one: base=CIDR,size=N[;base=CIDR,size=N...] "
                 "(default 172.17.0.0/16 ... 172.31.0.0/16 as /16, 192.168.0.0/16 as /20)")
      ->envname("TOPO_ADDRESS_POOLS")
      ->allow_extra_args(false)
      ->check(CLI::Validator(
          [](std::string& v) {
            const topo::ParsedPools parsed = topo::parse_address_pools({v});
            return parsed.error;
          },
          "POOLS"));

  auto* validate = app.add_subcommand("validate", "load and check the manifests; change nothing");
  add_common(validate, o, true);
  add_cluster(validate, o);
  auto* plan = app.add_subcommand("plan", "the ordered actions that apply would take now");
  add_common(plan, o, true);
  add_cluster(plan, o);
  add_detailed(plan, o);
  plan->add_option("--out", o.out_file, "save the plan for `topo apply FILE`");
  auto* diff = app.add_subcommand("diff", "object by object: desired vs live");
  add_common(diff, o, true);
  add_cluster(diff, o);
  add_detailed(diff, o);
  auto* apply = app.add_subcommand("apply", "converge the live state to the manifests, or carry out a saved plan");
  add_common(apply, o, true);
  add_cluster(apply, o);
  add_detailed(apply, o);
  apply->add_flag("--auto-approve", o.auto_approve, "do not ask before destroying or replacing anything");
  auto* apply_verify =
      apply->add_flag("--verify", o.verify, "run `topo verify` after a successful apply; exit 1 when a check fails");
  // Alone it would be ignored without a word.
  apply->add_flag("--implied", o.implied, "with --verify: the checks the topology itself promises too")
      ->needs(apply_verify);
  auto* destroy = app.add_subcommand("destroy", "remove the stacks the manifests name (or --stack NAME), and nothing else");
  add_common(destroy, o, false);
  add_cluster(destroy, o);
  add_detailed(destroy, o);
  destroy->add_flag("--auto-approve", o.auto_approve, "do not ask before destroying");
  auto* verify = app.add_subcommand("verify", "run the manifests' checks from inside the containers");
  verify->add_option("PATH", o.paths, "manifest files or directories")->required();
  verify->add_option("--node", o.node, "this host's name in the manifests' hosts, or in the cluster")
      ->envname("TOPO_NODE");
  verify->add_option("-o,--output", o.output, "text, json or tap")->check(CLI::IsMember({"text", "json", "tap"}));
  verify->add_flag("--implied", o.implied,
                   "also what the topology promises: gateways, members, isolation, internal networks, ports");
  add_cluster(verify, o);
  auto* show = app.add_subcommand("show", "the live state of what topo manages");
  show->add_option("-o,--output", o.output, "text or json")->check(CLI::IsMember({"text", "json"}));
  add_cluster(show, o);

  WatchOptions w;
  auto* watch = app.add_subcommand("watch", "the controller: keep the host converged as manifests and kernel change");
  watch->add_option("PATH", o.paths, "manifest file or directory (a symlink swapped by git-sync is followed)")
      ->required();
  watch->add_option("--debounce", w.debounce_ms, "milliseconds of quiet after manifest changes before a pass (default 250)")
      ->check(CLI::Range(0, 60'000));
  watch->add_option("--settle", w.settle_ms,
                    "milliseconds the manifests must be unchanged before a pass may delete or remake anything "
                    "(default 3000)")
      ->check(CLI::Range(0, 600'000));
  watch->add_option("--kernel-debounce", w.kernel_debounce_ms,
                    "milliseconds of quiet after kernel changes (drift) before a pass (default 20)")
      ->check(CLI::Range(0, 60'000));
  watch->add_option("--resync", w.resync_seconds, "seconds between full passes when nothing happens (default 60)")
      ->check(CLI::Range(1, 86'400));
  watch->add_option("--max-backoff", w.max_backoff_seconds, "cap in seconds of the retry delay after failures")
      ->check(CLI::Range(1, 3'600));
  watch->add_option("--node", o.node, "this host's name in the manifests' hosts, or in the cluster")->envname("TOPO_NODE");
  add_cluster(watch, o);
  watch->add_option("--metrics-file", w.metrics_file, "write Prometheus metrics here (node_exporter textfile)")
      ->envname("TOPO_METRICS_FILE");
  watch->add_flag("--allow-writable-manifests", w.allow_writable,
                  "skip the trust rule: accept manifests writable by group or others, owned by another "
                  "user, or below such a directory");
  watch->add_option("--verify-interval", w.verify_interval_seconds,
                    "seconds between runs of the manifests' checks, which also run after every pass that changed "
                    "something; 0: never (default 300)")
      ->envname("TOPO_VERIFY_INTERVAL")
      ->check(CLI::Range(0, 86'400));
  watch->add_flag("--implied", o.implied, "the checks the topology itself promises too (as verify --implied)");
  auto* status = app.add_subcommand("status", "what the controller did last");
  status->add_option("-o,--output", o.output, "text or json")->check(CLI::IsMember({"text", "json"}));
  add_cluster(status, o);
  GraphFlags graph_flags;
  auto* graph = app.add_subcommand("graph", "a picture of the topology: DOT, Mermaid, JSON or SVG; --live marks drift");
  add_common(graph, o, true);
  add_cluster(graph, o);
  add_graph_flags(graph, o, graph_flags);

  InspectRequest inspect_request;
  auto* inspect = app.add_subcommand("inspect", "one network or container in full: members, addresses, MACs, ports");
  inspect->require_subcommand(1);
  for (const char* kind : {"network", "container"}) {
    auto* one = inspect->add_subcommand(kind, std::string("one ") + kind + " of the manifests in full");
    one->add_option("NAME", inspect_request.name, std::string("the ") + kind + "'s name")->required();
    add_common(one, o, false);
    add_cluster(one, o);
    one->callback([&inspect_request, kind] { inspect_request.kind = kind; });
  }

  // The command a failure is reported for (the one parsed, else "topo").
  auto command = [&app] {
    auto parsed = app.get_subcommands();
    return parsed.empty() ? std::string("topo") : parsed.front()->get_name();
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    // app.exit printed the text already; the document is what -o json adds.
    if (rc != 0 && o.output == "json") std::cout << topo::format_error_json(command(), {e.what()});
    return rc == 0 ? kExitOk : kExitError;
  }

  try {
    setup_logging(o.log_level, o.log_format);
    if (validate->parsed()) return cmd_validate(o);
    if (plan->parsed()) return cmd_plan(o);
    if (diff->parsed()) return cmd_diff(o);
    if (apply->parsed()) return cmd_apply(o);
    if (destroy->parsed()) return cmd_destroy(o);
    if (show->parsed()) return cmd_show(o);
    if (verify->parsed()) return cmd_verify(o);
    if (watch->parsed()) return cmd_watch(o, w);
    if (status->parsed()) return cmd_status(o);
    if (inspect->parsed()) return cmd_inspect(o, inspect_request);
    if (graph->parsed()) return cmd_graph(o, graph_flags);
  } catch (const topo::UserError& e) {
    return report_error(o, command(), e.lines, e.diagnostics);
  } catch (const topo::KernelError& e) {
    return report_error(o, command(), {std::string("Error: ") + e.what(), "nothing was changed."});
  } catch (const std::exception& e) {
    // A lock held by another topo, an untrusted state dir.
    return report_error(o, command(), {std::string("Error: ") + e.what()});
  }
  return kExitError;
}
