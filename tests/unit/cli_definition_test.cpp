// The man page and the shell completions are written from the command line's
// definition (reconciler/cli/definition/): every command and flag topo takes
// must be in each, and each must work in its program (groff, bash, fish,
// zsh), not only look right.
#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "reconciler/cli/definition/command_line.hpp"
#include "reconciler/cli/definition/completion_script.hpp"
#include "reconciler/cli/definition/man_page.hpp"

namespace topo::cli {
namespace {

struct Walked {
  std::vector<std::string> commands;  // "apply", "inspect network"
  std::set<std::string> flags;        // "--state-dir", "-o"
  std::set<std::string> envs;
};

void walk(const CLI::App& app, const std::string& prefix, Walked& w) {
  for (const CLI::Option* opt : flags_of(app)) {
    for (const auto& s : spellings_of(*opt)) w.flags.insert(s);
    if (!opt->get_envname().empty()) w.envs.insert(opt->get_envname());
  }
  for (const CLI::App* sub : subcommands_of(app)) {
    const std::string path = prefix.empty() ? sub->get_name() : prefix + " " + sub->get_name();
    w.commands.push_back(path);
    walk(*sub, path, w);
  }
}

Walked walked() {
  auto cl = make_command_line();
  Walked w;
  walk(cl->app, "", w);
  return w;
}

// A file in a fresh temporary directory, removed with it.
class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    char tmpl[] = "/tmp/topo-cli-test.XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    path_ = dir_ + "/script";
    std::ofstream(path_) << text;
  }
  ~TempFile() {
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string dir_, path_;
};

struct Ran {
  int status = -1;
  std::string out;
};

// `command` through /bin/sh, stdout and stderr together.
Ran run(const std::string& command) {
  Ran r;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

TEST(CliDefinition, HasEveryCommandOfTheContract) {
  const Walked w = walked();
  for (const char* c : {"validate", "plan", "diff", "apply", "destroy", "show", "watch", "status", "verify", "graph",
                        "inspect network", "inspect container", "import compose", "import docker", "import cni", "help",
                        "completion", "man"})
    EXPECT_NE(std::find(w.commands.begin(), w.commands.end(), c), w.commands.end()) << c;
  for (const char* f : {"--stack", "--node", "--etcd", "-o", "--output", "--auto-approve", "--detailed-exitcode",
                        "--state-dir", "--netns-dir", "--log-level", "--log-format", "--version", "--out", "--verify",
                        "--implied", "--metrics-file", "--format", "--live"})
    EXPECT_TRUE(w.flags.count(f)) << f;
}

TEST(CliDefinition, TheManPageListsEveryCommandFlagAndVariable) {
  auto cl = make_command_line();
  const std::string page = man_page(*cl);
  const Walked w = walked();
  for (const auto& c : w.commands) EXPECT_NE(page.find(".SS \"topo " + troff_escape(c)), std::string::npos) << c;
  for (const auto& f : w.flags) EXPECT_NE(page.find("\\fB" + troff_escape(f) + "\\fR"), std::string::npos) << f;
  for (const auto& e : w.envs) EXPECT_NE(page.find(".TP\n\\fB" + troff_escape(e) + "\\fR"), std::string::npos) << e;
  EXPECT_NE(page.find(".SH EXIT STATUS"), std::string::npos);
}

TEST(CliDefinition, TheManPageIsWellFormedTroff) {
  auto cl = make_command_line();
  TempFile page(man_page(*cl));
  // -ww: every warning groff knows; a malformed request or escape is one.
  Ran r = run("groff -man -Tutf8 -ww -z " + page.path());
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out, "");
  Ran text = run("groff -man -Tascii -P-cbou " + page.path());
  EXPECT_NE(text.out.find("--detailed-exitcode"), std::string::npos) << "hyphens must render as typed";
}

TEST(CliDefinition, TroffEscapeKeepsRequestsOut) {
  EXPECT_EQ(troff_escape(".SH x"), "\\&.SH x");
  EXPECT_EQ(troff_escape("'x"), "\\&'x");
  EXPECT_EQ(troff_escape("a\\b-c"), "a\\eb\\-c");
}

TEST(CliDefinition, EveryCompletionScriptNamesEveryCommandAndFlag) {
  auto cl = make_command_line();
  const Walked w = walked();
  for (const char* shell : {"bash", "zsh", "fish"}) {
    const std::string script = completion_script(*cl, shell);
    ASSERT_FALSE(script.empty()) << shell;
    for (const auto& c : w.commands) {
      const std::string last = c.substr(c.rfind(' ') + 1);
      EXPECT_NE(script.find(last), std::string::npos) << shell << ": " << c;
    }
    for (const auto& f : w.flags) {
      // fish spells a flag without its dashes: -l state-dir, -s o.
      const std::string bare = f.substr(f.find_first_not_of('-'));
      const std::string want = std::string(shell) == "fish" ? (f.starts_with("--") ? "-l " : "-s ") + bare : f;
      EXPECT_NE(script.find(want), std::string::npos) << shell << ": " << f;
    }
  }
  EXPECT_EQ(completion_script(*cl, "tcsh"), "");
}

// What bash offers after the words typed so far (the last one is being typed).
std::string bash_completes(const std::string& script, const std::string& words) {
  TempFile file(script);
  Ran r = run("bash -c 'source " + file.path() + "; COMP_WORDS=(" + words +
              "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _topo; echo \"${COMPREPLY[*]}\"'");
  EXPECT_EQ(r.status, 0) << r.out;
  return r.out.substr(0, r.out.find_last_not_of('\n') + 1);
}

TEST(CliDefinition, BashCompletesCommandsFlagsAndChoices) {
  auto cl = make_command_line();
  const std::string script = completion_script(*cl, "bash");
  TempFile file(script);
  EXPECT_EQ(run("bash -n " + file.path()).status, 0);
  EXPECT_EQ(bash_completes(script, "topo ap"), "apply");
  EXPECT_EQ(bash_completes(script, "topo apply --auto"), "--auto-approve");
  EXPECT_EQ(bash_completes(script, "topo --state-dir /x va"), "validate") << "a global flag's value is not a command";
  EXPECT_EQ(bash_completes(script, "topo verify -o \"\""), "text json tap");
  EXPECT_EQ(bash_completes(script, "topo plan -o \"\""), "text json");
  EXPECT_EQ(bash_completes(script, "topo inspect \"\""), "network container");
  EXPECT_EQ(bash_completes(script, "topo inspect network --out"), "--output");
  EXPECT_EQ(bash_completes(script, "topo completion \"\""), "bash zsh fish");
  EXPECT_EQ(bash_completes(script, "topo apply --log-format \"\""), "text json");
  EXPECT_EQ(bash_completes(script, "topo help co"), "completion") << "help takes a top-level command first";
  EXPECT_EQ(bash_completes(script, "topo help net"), "") << "`topo help network` is refused";
}

TEST(CliDefinition, FishCompletesCommandsFlagsAndChoices) {
  auto cl = make_command_line();
  TempFile file(completion_script(*cl, "fish"));
  ASSERT_EQ(run("fish --no-execute " + file.path()).status, 0);
  auto completes = [&](const std::string& line) {
    Ran r = run("fish --no-config -c 'source " + file.path() + "; complete -C \"" + line + "\"'");
    EXPECT_EQ(r.status, 0) << r.out;
    return r.out;
  };
  EXPECT_NE(completes("topo ap").find("apply\t"), std::string::npos);
  EXPECT_NE(completes("topo apply --auto").find("--auto-approve"), std::string::npos);
  const std::string outputs = completes("topo verify --output ");
  EXPECT_NE(outputs.find("tap"), std::string::npos) << outputs;
  EXPECT_NE(completes("topo inspect ").find("network"), std::string::npos);
}

TEST(CliDefinition, ZshReadsItsScript) {
  // zsh completes only inside its line editor; the script is checked for
  // syntax here and by EveryCompletionScriptNamesEveryCommandAndFlag for content.
  auto cl = make_command_line();
  TempFile file(completion_script(*cl, "zsh"));
  Ran r = run("zsh -n " + file.path());
  EXPECT_EQ(r.status, 0) << r.out;
}

}  // namespace
}  // namespace topo::cli
