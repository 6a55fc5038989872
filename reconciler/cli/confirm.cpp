#include "reconciler/cli/confirm.hpp"

#include <unistd.h>

#include <iostream>
#include <string>

namespace topo::cli {

namespace {

int destructive_actions(const Plan& plan) {
  int n = 0;
  for (const auto& a : plan.actions)
    if (a.type == ActionType::Delete || a.type == ActionType::Replace) ++n;
  return n;
}

}  // namespace

bool will_ask(const Options& o, const Plan& plan) {
  return destructive_actions(plan) > 0 && !o.auto_approve && ::isatty(STDIN_FILENO);
}

bool approved(const Options& o, const Plan& plan, const std::string& verb) {
  if (!will_ask(o, plan)) return true;
  std::cerr << "\n" << verb << " will destroy or replace " << destructive_actions(plan)
            << " object(s) listed above.\nOnly 'yes' will be accepted to go ahead: ";
  std::string answer;
  return std::getline(std::cin, answer) && answer == "yes";
}

}  // namespace topo::cli
