#include "reconciler/cli/confirm.hpp"

#include <unistd.h>

#include <iostream>
#include <string>

namespace topo::cli {

bool approved(const Options& o, const Plan& plan, const std::string& verb) {
  int destructive = 0;
  for (const auto& a : plan.actions)
    if (a.type == ActionType::Delete || a.type == ActionType::Replace) ++destructive;
  if (destructive == 0 || o.auto_approve || !::isatty(STDIN_FILENO)) return true;
  std::cerr << "\n" << verb << " will destroy or replace " << destructive
            << " object(s) listed above.\nOnly 'yes' will be accepted to go ahead: ";
  std::string answer;
  if (!std::getline(std::cin, answer) || answer != "yes") {
    std::cerr << verb << " cancelled; nothing was changed.\n";
    return false;
  }
  return true;
}

}  // namespace topo::cli
