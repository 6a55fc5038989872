#pragma once
// The version of every JSON document topo prints (plan, diff, show, status,
// verify, inspect, graph, the outcome of apply and destroy, errors): raised
// only when a field changes meaning or goes away, never when one is added.
// README "JSON output" documents the shapes.
namespace topo {

inline constexpr int kJsonFormatVersion = 1;

}  // namespace topo
