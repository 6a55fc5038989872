#include "reconciler/planner/plan.hpp"

namespace topo {

std::string to_string(ActionType t) {
  switch (t) {
    case ActionType::Create: return "create";
    case ActionType::Update: return "update";
    case ActionType::Delete: return "delete";
    case ActionType::Replace: return "replace";
  }
  return "?";
}

const Resource& Action::none() {
  static const Resource empty;
  return empty;
}

// A replacement counts as one add and one destroy, as Terraform counts it.
int Plan::to_add() const {
  int n = 0;
  for (const auto& a : actions) n += a.type == ActionType::Create || a.type == ActionType::Replace;
  return n;
}

int Plan::to_change() const {
  int n = 0;
  for (const auto& a : actions) n += a.type == ActionType::Update;
  return n;
}

int Plan::to_destroy() const {
  int n = 0;
  for (const auto& a : actions) n += a.type == ActionType::Delete || a.type == ActionType::Replace;
  return n;
}

}  // namespace topo
