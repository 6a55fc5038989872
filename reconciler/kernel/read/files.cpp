#include "reconciler/kernel/read/files.hpp"

#include "reconciler/kernel/etc_files.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::observer {

void observe_files(const std::string& etc_netns_dir, Observed& out, const std::set<std::string>* only) {
  const std::vector<std::string> names =
      only ? std::vector<std::string>(only->begin(), only->end()) : etcfiles::list(etc_netns_dir);
  const etcfiles::DirReader reader(etc_netns_dir);
  for (const std::string& container : names) {
    // topo's marks dir, a directory being made: container names never start with a dot.
    if (container.front() == '.') continue;
    Fd dir;
    const etcfiles::DirOwner owner = reader.open(container, dir);
    if (only && owner == etcfiles::DirOwner::Absent) continue;  // as a full read would not list it
    const bool owned = owner == etcfiles::DirOwner::Owned;
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
