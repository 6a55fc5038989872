#include "reconciler/kernel/read/files.hpp"

#include "reconciler/kernel/etc_files.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::observer {

void observe_files(const std::string& etc_netns_dir, Observed& out) {
  for (const std::string& container : etcfiles::list(etc_netns_dir)) {
    // topo's marks dir, a directory being made: container names never start with a dot.
    if (container.front() == '.') continue;
    Fd dir;
    bool owned = etcfiles::open_dir(etc_netns_dir, container, dir) == etcfiles::DirOwner::Owned;
    for (const char* file : ownership::kEtcFiles) {
      Resource r;
      r.kind = Kind::File;
      r.ns = container;
      r.name = file;
      if (!owned) {
        out.foreign.insert(r.key());
        continue;
      }
      auto content = etcfiles::read(dir.get(), file, etc_netns_dir + "/" + container + "/" + file);
      if (!content) continue;
      r.attrs[attr::content] = std::move(*content);
      r.origin = "container/" + container;
      out.owned.push_back(std::move(r));
    }
  }
}

}  // namespace topo::observer
