#pragma once
// A check made ready to run: the manifest's `checks` entries and the ones the
// topology implies (verify --implied), each as one probe with what it must
// find, and its outcome once run.
#include <string>
#include <vector>

#include "reconciler/verify/probe.hpp"

namespace topo::verify {

struct PlannedCheck {
  std::string from;          // the container probing (or "host" for the host's namespace)
  std::string target;        // as the user reads it: "db (172.18.0.3)", "10.0.0.1", "resolve web"
  std::string source;        // "m.yaml:30:5" or "implied"
  std::string why;           // implied: what in the topology promises it ("icc: false on back")
  bool expect_reachable = true;
  // Resolve: reachable means it resolved to one of these (the named
  // container's addresses); empty: to anything.
  std::vector<std::string> expected_addresses;
  Probe probe;
  // Set when the check cannot be tried on this topology (a target without an
  // address): it fails with this as its detail, nothing is sent.
  std::string cannot_run;
};

struct CheckOutcome {
  PlannedCheck check;
  ProbeResult result;
  bool passed = false;
};

// Pass or fail: what was found against what the check expects.
CheckOutcome judge(PlannedCheck check, ProbeResult result);

}  // namespace topo::verify
