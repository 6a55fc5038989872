#pragma once
// topo(1) in troff (man(7) macros), written from the command line's
// definition: every command, flag, choice and environment variable topo
// takes, and nothing it does not. `topo man` prints it; the Debian package
// installs it.
#include <string>

#include "reconciler/cli/definition/command_line.hpp"

namespace topo::cli {

std::string man_page(const CommandLine& cl);

// Text made safe for troff: backslashes, hyphens (so "--state-dir" stays
// copyable), and a leading '.' or '\'' that would read as a request.
std::string troff_escape(const std::string& text);

}  // namespace topo::cli
