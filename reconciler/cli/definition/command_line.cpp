#include "reconciler/cli/definition/command_line.hpp"

#include "reconciler/ipam/address_pools.hpp"
#include "reconciler/model/desired.hpp"
#include "reconciler/output/build_info.hpp"

namespace topo::cli {
namespace {

// An option whose values are a fixed set: checked by the parser, listed by
// completion and the man page.
CLI::Option* one_of(CommandLine& cl, CLI::Option* option, std::vector<std::string> values) {
  option->check(CLI::IsMember(values));
  cl.choices[option] = std::move(values);
  return option;
}

void add_common(CommandLine& cl, CLI::App* cmd, bool paths_required) {
  Options& o = cl.r.o;
  auto* paths = cmd->add_option("PATH", o.paths, "manifest files or directories");
  if (paths_required) paths->required();
  cmd->add_option("--node", o.node, "this host's name in the manifests' hosts, or in the cluster")->envname("TOPO_NODE");
  one_of(cl, cmd->add_option("-o,--output", o.output, "text or json"), {"text", "json"});
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

void add_globals(CommandLine& cl) {
  CLI::App& app = cl.app;
  Options& o = cl.r.o;
  app.add_option("--state-dir", o.state_dir, "where topo remembers allocations")->envname("TOPO_STATE_DIR");
  app.add_option("--netns-dir", o.netns_dir, "where managed namespaces are bind-mounted")->envname("TOPO_NETNS_DIR");
  app.add_option("--etc-netns-dir", o.etc_netns_dir, "where per-container hosts and resolv.conf are written")
      ->envname("TOPO_ETC_NETNS_DIR");
  one_of(cl, app.add_option("--log-level", o.log_level, "trace, debug, info, warn, error"),
         {"trace", "debug", "info", "warn", "error", "off"});
  one_of(cl, app.add_option("--log-format", o.log_format, "text or json"), {"text", "json"});
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
}

void add_graph_flags(CommandLine& cl, CLI::App* cmd) {
  Options& o = cl.r.o;
  GraphFlags& g = cl.r.graph;
  one_of(cl, cmd->add_option("--format", g.format, "dot (the default), mermaid, json or svg (laid out by Graphviz's library)"),
         {"dot", "mermaid", "json", "svg"})
      ->each([&o](const std::string& format) {
        if (format == "json") o.output = "json";  // errors as JSON too
      });
  cmd->add_flag("--live", g.live, "read the kernel too and mark what is missing, drifted or extra");
  one_of(cl,
         cmd->add_option("--group-by", g.group_by,
                         "clusters: per host (multi-host), per network, or none (default auto: hosts when declared)"),
         {"auto", "host", "network", "none"});
  cmd->add_option("--out", g.out_file, "write the picture to this file instead of stdout");
}

void add_watch(CommandLine& cl) {
  Options& o = cl.r.o;
  WatchOptions& w = cl.r.watch;
  auto* watch = cl.app.add_subcommand("watch", "the controller: keep the host converged as manifests and kernel change");
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
}

void add_commands(CommandLine& cl) {
  CLI::App& app = cl.app;
  Options& o = cl.r.o;
  auto* validate = app.add_subcommand("validate", "load and check the manifests; change nothing");
  add_common(cl, validate, true);
  add_cluster(validate, o);
  auto* plan = app.add_subcommand("plan", "the ordered actions that apply would take now");
  add_common(cl, plan, true);
  add_cluster(plan, o);
  add_detailed(plan, o);
  plan->add_option("--out", o.out_file, "save the plan for `topo apply FILE`");
  auto* diff = app.add_subcommand("diff", "object by object: desired vs live");
  add_common(cl, diff, true);
  add_cluster(diff, o);
  add_detailed(diff, o);
  auto* apply = app.add_subcommand("apply", "converge the live state to the manifests, or carry out a saved plan");
  add_common(cl, apply, true);
  add_cluster(apply, o);
  add_detailed(apply, o);
  apply->add_flag("--auto-approve", o.auto_approve, "do not ask before destroying or replacing anything");
  auto* apply_verify =
      apply->add_flag("--verify", o.verify, "run `topo verify` after a successful apply; exit 1 when a check fails");
  // Alone it would be ignored without a word.
  apply->add_flag("--implied", o.implied, "with --verify: the checks the topology itself promises too")
      ->needs(apply_verify);
  apply->add_option("--metrics-file", o.metrics_file,
                    "write Prometheus metrics of this run here (node_exporter textfile), as watch does");
  auto* destroy = app.add_subcommand("destroy", "remove the stacks the manifests name (or --stack NAME), and nothing else");
  add_common(cl, destroy, false);
  add_cluster(destroy, o);
  add_detailed(destroy, o);
  destroy->add_flag("--auto-approve", o.auto_approve, "do not ask before destroying");
  auto* verify = app.add_subcommand("verify", "run the manifests' checks from inside the containers");
  verify->add_option("PATH", o.paths, "manifest files or directories")->required();
  verify->add_option("--node", o.node, "this host's name in the manifests' hosts, or in the cluster")
      ->envname("TOPO_NODE");
  one_of(cl, verify->add_option("-o,--output", o.output, "text, json or tap"), {"text", "json", "tap"});
  verify->add_flag("--implied", o.implied,
                   "also what the topology promises: gateways, members, isolation, internal networks, ports");
  add_cluster(verify, o);
  auto* show = app.add_subcommand("show", "the live state of what topo manages");
  one_of(cl, show->add_option("-o,--output", o.output, "text or json"), {"text", "json"});
  add_cluster(show, o);
  add_watch(cl);
  auto* status = app.add_subcommand("status", "what the controller did last");
  one_of(cl, status->add_option("-o,--output", o.output, "text or json"), {"text", "json"});
  add_cluster(status, o);
  auto* graph = app.add_subcommand("graph", "a picture of the topology: DOT, Mermaid, JSON or SVG; --live marks drift");
  add_common(cl, graph, true);
  add_cluster(graph, o);
  add_graph_flags(cl, graph);

  auto* inspect = app.add_subcommand("inspect", "one network or container in full: members, addresses, MACs, ports");
  inspect->require_subcommand(1);
  for (const char* kind : {"network", "container"}) {
    auto* one = inspect->add_subcommand(kind, std::string("one ") + kind + " of the manifests in full");
    one->add_option("NAME", cl.r.inspect.name, std::string("the ") + kind + "'s name")->required();
    add_common(cl, one, false);
    add_cluster(one, o);
    one->callback([&cl, kind] { cl.r.inspect.kind = kind; });
  }
}

// `topo import compose|docker|cni`: reads files only, no kernel, no root.
void add_import(CommandLine& cl) {
  ImportRequest& r = cl.r.import;
  auto* import = cl.app.add_subcommand("import", "manifests from a compose file, docker inspect output or a CNI config");
  import->require_subcommand(1);
  struct Kind {
    const char* name;
    const char* what;
    bool several;
  };
  for (const Kind& k : {Kind{"compose", "a docker-compose file's networks, services, ports, aliases and links", false},
                        Kind{"docker", "`docker network inspect` and `docker inspect` output, addresses kept", true},
                        Kind{"cni", "a CNI .conflist or .conf (bridge, macvlan, ipvlan with host-local)", false}}) {
    auto* sub = import->add_subcommand(k.name, k.what);
    auto* files = sub->add_option("FILE", r.files, k.several ? "JSON files" : "the file to import")->required();
    if (!k.several) files->expected(1);
    sub->add_option("--out", r.out_dir, "write the manifest into this directory (never over an existing file)");
    sub->callback([&r, name = std::string(k.name)] { r.kind = name; });
  }
}

// The commands about topo itself.
void add_self_commands(CommandLine& cl) {
  auto* help = cl.app.add_subcommand("help", "what a command does and the flags it takes: topo help COMMAND");
  help->add_option("COMMAND", cl.r.help_topic, "a command, as `apply` or `inspect network`");
  auto* completion =
      cl.app.add_subcommand("completion", "a shell completion script: source <(topo completion bash)");
  one_of(cl, completion->add_option("SHELL", cl.r.completion_shell, "bash, zsh or fish")->required(),
         {"bash", "zsh", "fish"});
  cl.app.add_subcommand("man", "the manual page topo(1) in troff: topo man | man -l -");
}

}  // namespace

std::string CommandLine::parsed_command() const {
  std::string name;
  const CLI::App* at = &app;
  for (;;) {
    auto parsed = at->get_subcommands();
    if (parsed.empty()) return name;
    at = parsed.front();
    name += (name.empty() ? "" : " ") + at->get_name();
  }
}

std::string CommandLine::reported_command() const {
  auto parsed = app.get_subcommands();
  return parsed.empty() ? std::string("topo") : parsed.front()->get_name();
}

std::unique_ptr<CommandLine> make_command_line() {
  auto cl = std::make_unique<CommandLine>();
  cl->app.require_subcommand(1);
  // Global flags may come after the subcommand too (`topo apply DIR
  // --state-dir X`): subcommands made below inherit this and hand options
  // they do not know to the app.
  cl->app.fallthrough();
  cl->app.set_version_flag("--version", "topo " + std::string(build_version()) + " (commit " +
                                            std::string(build_commit()) + ")");
  add_globals(*cl);
  add_commands(*cl);
  add_import(*cl);
  add_self_commands(*cl);
  return cl;
}

std::vector<const CLI::App*> subcommands_of(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App*) { return true; });
}

std::vector<std::string> spellings_of(const CLI::Option& option) {
  std::vector<std::string> out;
  for (const auto& s : option.get_snames()) out.push_back("-" + s);
  for (const auto& l : option.get_lnames()) out.push_back("--" + l);
  return out;
}

std::vector<const CLI::Option*> flags_of(const CLI::App& cmd) {
  const CLI::Option* help = cmd.get_help_ptr();
  return cmd.get_options([help](const CLI::Option* opt) { return opt != help && opt->nonpositional(); });
}

std::vector<const CLI::Option*> positionals_of(const CLI::App& cmd) {
  return cmd.get_options([](const CLI::Option* opt) { return opt->get_positional(); });
}

}  // namespace topo::cli
