#pragma once
// How a plan and a diff read: text for people (Terraform-style), JSON for
// programs, and the JSON plan file that `apply FILE` carries out.
#include <string>
#include <vector>

#include "reconciler/planner/diff.hpp"
#include "reconciler/planner/plan.hpp"

namespace topo {

// "c1:eth0", "br-net01", "c1:eth0 172.10.0.2/24", "c1:default via 172.10.0.1".
std::string describe(const Resource& r);

std::string format_plan_text(const Plan& plan, bool colour);
std::string format_plan_json(const Plan& plan);  // one document: actions + summary
std::string format_diff_text(const std::vector<ObjectStatus>& statuses, bool colour);
std::string format_diff_json(const std::vector<ObjectStatus>& statuses);
std::string format_resources_text(const std::vector<Resource>& resources);  // `topo show`
std::string format_resources_json(const std::vector<Resource>& resources);
// Reads back what format_resources_json wrote (golden files, fake kernels).
std::vector<Resource> resources_from_json(const std::string& text);

// The saved plan file: everything needed to carry it out later.
std::string plan_to_file(const Plan& plan);
Plan plan_from_file(const std::string& text);  // throws std::runtime_error on a malformed file

}  // namespace topo
