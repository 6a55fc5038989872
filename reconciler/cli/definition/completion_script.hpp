#pragma once
// Shell completion scripts written from the command line's definition, so
// they offer exactly the commands, flags and choices topo takes.
// `topo completion bash|zsh|fish` prints one; the Debian package installs all
// three where each shell looks for them.
#include <string>

#include "reconciler/cli/definition/command_line.hpp"

namespace topo::cli {

// "" for a shell it does not know.
std::string completion_script(const CommandLine& cl, const std::string& shell);

}  // namespace topo::cli
