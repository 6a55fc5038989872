#pragma once
// An in-memory kernel for the executor's and the pipeline's logic: holds
// resources by key, records every call, and can refuse a chosen operation.
#include <cerrno>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "reconciler/kernel_interface/kernel.hpp"

namespace topo::testing {

// A resource as the tests write it: kind, namespace, name, attributes.
inline Resource res(Kind k, const std::string& ns, const std::string& name,
                    std::map<std::string, std::string> attrs = {}) {
  Resource r;
  r.kind = k;
  r.ns = ns;
  r.name = name;
  r.attrs = std::move(attrs);
  return r;
}

class FakeKernel : public Kernel {
 public:
  std::map<std::string, Resource> live;
  std::set<std::string> foreign;
  std::vector<std::string> calls;
  std::set<int> fail_calls;  // 0-based indexes of the mutating calls to refuse

  Observed observe() override {
    Observed o;
    for (const auto& [k, r] : live) o.owned.push_back(r);
    o.foreign = foreign;
    return o;
  }
  void create(const Resource& r) override {
    refuse_if_chosen("create", r);
    if (live.count(r.key())) throw KernelError("create", r.key(), EEXIST, "File exists");
    live[r.key()] = r;
  }
  void update(const Resource& from, const Resource& to) override {
    refuse_if_chosen("update", to);
    (void)from;
    if (!live.count(to.key())) throw KernelError("update", to.key(), ENOENT, "No such object");
    live[to.key()] = to;
  }
  void remove(const Resource& r) override {
    refuse_if_chosen("remove", r);
    live.erase(r.key());
  }

 private:
  void refuse_if_chosen(const std::string& op, const Resource& r) {
    int index = static_cast<int>(calls.size());
    calls.push_back(op + " " + r.key());
    if (fail_calls.count(index)) throw KernelError(op, r.key(), EPERM, "Operation not permitted");
  }
};

}  // namespace topo::testing
