#include "reconciler/planner/diff.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <future>
#include <cstdio>
#include <map>
#include <numeric>
#include <set>
#include <string_view>
#include <tuple>

#include "reconciler/planner/dependencies.hpp"
#include "reconciler/process/beside.hpp"
#include "reconciler/resources/in_place_order.hpp"
#include "reconciler/resources/mode_attrs.hpp"

namespace topo {

std::string to_string(ObjectState s) {
  switch (s) {
    case ObjectState::Ok: return "ok";
    case ObjectState::Drift: return "drift";
    case ObjectState::Missing: return "missing";
    case ObjectState::Extra: return "extra";
  }
  return "?";
}

namespace {

std::vector<FieldChange> differing_fields(const Resource& desired, const Resource& observed) {
  std::vector<FieldChange> out;
  static const std::string absent;
  // Both maps are sorted by key: one walk, values compared in place (file
  // contents are long).
  auto live = observed.attrs.begin();
  for (const auto& [k, v] : desired.attrs) {
    while (live != observed.attrs.end() && live->first < k) ++live;
    const bool there = live != observed.attrs.end() && live->first == k;
    const std::string& now = there ? live->second : absent;
    if (now != v) out.push_back({k, now, v});
  }
  return out;
}

// A resource's identity (Resource::key()) as views into it, with a hash of
// it in front: ten thousand objects are matched by sorting two arrays of
// these and walking them together. Sorted by the hash first, the sort
// mostly compares integers lying side by side; the identity itself decides
// only between equal hashes. (Hash tables of the same objects were two
// thirds of the comparison: a node and a cache miss for each lookup.)
struct Identity {
  std::uint64_t hash;
  Kind kind;
  std::string_view ns, name;
  std::uint32_t index;  // in the array it was taken from: equal identities keep their order
  Identity(const Resource& r, std::size_t i)
      : hash(std::hash<std::string_view>{}(r.name) * 31 + std::hash<std::string_view>{}(r.ns) * 7 +
             static_cast<std::uint64_t>(r.kind)),
        kind(r.kind),
        ns(r.ns),
        name(r.name),
        index(static_cast<std::uint32_t>(i)) {}
  bool same(const Identity& o) const { return hash == o.hash && kind == o.kind && ns == o.ns && name == o.name; }
  bool operator<(const Identity& o) const {
    return std::tie(hash, kind, ns, name, index) < std::tie(o.hash, o.kind, o.ns, o.name, o.index);
  }
};

std::vector<Identity> sorted_identities(const std::vector<Resource>& v) {
  std::vector<Identity> out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out.emplace_back(v[i], i);
  std::sort(out.begin(), out.end());
  return out;
}

// An object's status without copies of its resources: the plan of a
// thousand containers compares some ten thousand objects, and copying each
// one's two resources cost more than comparing them.
struct Status {
  ObjectState state = ObjectState::Ok;
  const Resource* d = nullptr;  // null for Extra
  const Resource* o = nullptr;  // null for Missing
  std::vector<FieldChange> fields;
  int rank = 0;  // dependency_rank of the resource it is sorted by
  const Resource& desired() const { return d ? *d : none(); }
  const Resource& observed() const { return o ? *o : none(); }
  static const Resource& none() {
    static const Resource empty;
    return empty;
  }
};

// compare() without the copies; the same objects in the same order when
// `sorted` (make_plan sorts only the actions it makes, and its order is
// total, so a no-op plan of ten thousand objects sorts nothing).
std::vector<Status> statuses_of(const std::vector<Resource>& desired, const Observed& observed, bool sorted) {
  constexpr std::uint32_t kNone = UINT32_MAX;
  // For each desired object: the observed one it is (kNone: missing), or
  // kDuplicate when an earlier desired object has its identity (providers
  // may render a shared object twice: the first counts). Observed objects
  // matched by none are extra; of two observed with one identity, the last
  // is the one compared.
  constexpr std::uint32_t kDuplicate = UINT32_MAX - 1;
  std::vector<std::uint32_t> match(desired.size(), kNone);
  std::vector<bool> matched(observed.owned.size(), false);
  {
    // The two sorts are apart until the walk: at 10 000 containers each
    // is tens of milliseconds, so the observed side sorts on a thread of
    // its own; below a few thousand objects the thread costs more than it saves.
    constexpr std::size_t kSortBeside = 4096;
    std::future<std::vector<Identity>> observed_sorted;
    if (desired.size() >= kSortBeside && observed.owned.size() >= kSortBeside)
      observed_sorted = process::run_beside([&owned = observed.owned] { return sorted_identities(owned); });
    const std::vector<Identity> want = sorted_identities(desired);
    const std::vector<Identity> have =
        observed_sorted.valid() ? observed_sorted.get() : sorted_identities(observed.owned);
    std::size_t h = 0;
    for (std::size_t w = 0; w < want.size();) {
      std::size_t w_end = w + 1;
      while (w_end < want.size() && want[w_end].same(want[w])) match[want[w_end++].index] = kDuplicate;
      // Equal identities sort together, by hash first: the observed ones
      // before this identity in that order are matched by no desired one.
      while (h < have.size() && have[h] < want[w] && !have[h].same(want[w])) ++h;
      std::size_t h_end = h;
      while (h_end < have.size() && have[h_end].same(want[w])) matched[have[h_end++].index] = true;
      if (h_end > h) match[want[w].index] = have[h_end - 1].index;
      h = h_end;
      w = w_end;
    }
  }
  std::vector<Status> out;
  out.reserve(desired.size() + observed.owned.size());
  for (std::size_t i = 0; i < desired.size(); ++i) {
    if (match[i] == kDuplicate) continue;
    const Resource& d = desired[i];
    Status s;
    s.d = &d;
    if (match[i] == kNone) {
      s.state = ObjectState::Missing;
    } else {
      const Resource& o = observed.owned[match[i]];
      s.o = &o;
      s.fields = differing_fields(d, o);
      if (o.attr(attr::mark) == attr::mark_missing) s.fields.push_back({attr::mark, attr::mark_missing, "topo"});
      // Moved to another stack (both in this run's scope): its marks name
      // the old one, so it is made anew under the new one.
      if (!d.stack.empty() && !o.stack.empty() && d.stack != o.stack) s.fields.push_back({"stack", o.stack, d.stack});
      s.state = s.fields.empty() ? ObjectState::Ok : ObjectState::Drift;
    }
    out.push_back(std::move(s));
  }
  for (std::size_t j = 0; j < observed.owned.size(); ++j) {
    if (matched[j]) continue;
    Status s;
    s.state = ObjectState::Extra;
    s.o = &observed.owned[j];
    out.push_back(std::move(s));
  }
  if (!sorted) return out;
  // Dependency order (dependency_less: rank, ns, name), stable; each rank
  // computed once.
  for (Status& s : out) s.rank = dependency_rank(s.state == ObjectState::Extra ? s.observed() : s.desired());
  std::stable_sort(out.begin(), out.end(), [](const Status& a, const Status& b) {
    const Resource& ra = a.state == ObjectState::Extra ? a.observed() : a.desired();
    const Resource& rb = b.state == ObjectState::Extra ? b.observed() : b.desired();
    return std::forward_as_tuple(a.rank, ra.ns, ra.name) < std::forward_as_tuple(b.rank, rb.ns, rb.name);
  });
  return out;
}

}  // namespace

std::vector<ObjectStatus> compare(const std::vector<Resource>& desired, const Observed& observed) {
  std::vector<ObjectStatus> out;
  for (Status& s : statuses_of(desired, observed, true)) {
    ObjectStatus o;
    o.state = s.state;
    if (s.d) o.desired = *s.d;
    if (s.o) o.observed = *s.o;
    o.fields = std::move(s.fields);
    out.push_back(std::move(o));
  }
  return out;
}

DiffResult make_plan(const std::vector<Resource>& desired, const Observed& observed) {
  DiffResult result;
  std::vector<Action> deletes, forwards;
  // Links and namespace entries that will be made anew (their keys): what
  // lives on them (dependencies.hpp) goes with the old one, so it must be
  // made again too.
  std::set<std::string> remade;
  // Links losing an address: while a link has no IPv4 address left (between
  // the old one's delete and the new one's create) the kernel flushes the
  // routes through it, so the routes on them are made again too (a create
  // of a route that survived is accepted: it is ours and the same).
  std::set<std::string> readdressed_links;
  auto statuses = statuses_of(desired, observed, false);
  {
    // Room for every create and change at once: grown by doubling, the
    // array of a cold apply's actions was copied a dozen times.
    std::size_t wanted = 0;
    for (const auto& s : statuses) wanted += s.state == ObjectState::Missing || s.state == ObjectState::Drift;
    forwards.reserve(wanted);
  }
  for (const auto& s : statuses) {
    if (s.state == ObjectState::Missing && observed.foreign.count(s.desired().key())) {
      result.conflicts.push_back(s.desired().key() + " (for " + s.desired().origin +
                                 ") already exists and is not managed by topo; rename one of them or remove it");
      continue;
    }
    if (s.state == ObjectState::Missing) {
      if (auto held = observed.held.find(s.desired().key()); held != observed.held.end()) {
        result.conflicts.push_back(s.desired().key() + " (for " + s.desired().origin + " in stack " + s.desired().stack +
                                   ") is held by stack " + held->second +
                                   "; rename one of them, or destroy that stack first (topo destroy --stack " +
                                   held->second + ")");
        continue;
      }
    }
    // Shared by every stack (topo's tables): it goes only with the last one.
    if (s.state == ObjectState::Extra && observed.keep.count(s.observed().key())) continue;
    Action a;
    switch (s.state) {
      case ObjectState::Ok: continue;
      case ObjectState::Missing:
        a.type = ActionType::Create;
        a.borrow_after(s.desired());
        break;
      case ObjectState::Extra:
        a.type = ActionType::Delete;
        a.set_before(s.observed());
        if (a.before().kind == Kind::Address) readdressed_links.insert(a.before().ns + "/" + a.before().attr(attr::dev));
        deletes.push_back(std::move(a));
        continue;
      case ObjectState::Drift:
        a.set_before(s.observed());
        a.borrow_after(s.desired());
        a.changes = s.fields;
        a.type = ActionType::Update;
        // An unmarked link is made anew rather than marked in place: what
        // was half made is not trusted.
        for (const auto& f : s.fields)
          if (s.desired().replace_on.count(f.field) || f.field == attr::mark || f.field == "stack") {
            a.type = ActionType::Replace;
            a.forced_by = f.field;
            break;
          }
        break;
    }
    if (a.after().kind == Kind::Link && a.type != ActionType::Update)
      for (auto& key : made_anew_with(a.after())) remade.insert(std::move(key));
    if (a.after().kind == Kind::Namespace &&
        (a.type != ActionType::Update || a.before().attr(attr::mode) != a.after().attr(attr::mode)))
      remade.insert(a.after().key());
    if (a.before().kind == Kind::Address) readdressed_links.insert(a.before().ns + "/" + a.before().attr(attr::dev));
    forwards.push_back(std::move(a));
  }
  // Links that keep a wanted IPv4 address through the plan: removing another
  // address from them (a stray one added by hand) flushes no route. Only
  // asked when an address goes.
  std::set<std::string> keeps_address;
  if (!readdressed_links.empty())
    for (const auto& s : statuses)
      if (s.state == ObjectState::Ok && s.desired().kind == Kind::Address &&
          s.desired().attr(attr::address).find(':') == std::string::npos)
        keeps_address.insert(s.desired().ns + "/" + s.desired().attr(attr::dev));
  // Objects on something remade that looked fine must be made again (none
  // when nothing is remade or readdressed: a no-op plan builds no key here).
  for (const auto& s : statuses) {
    if (remade.empty() && readdressed_links.empty()) break;
    if (s.state != ObjectState::Ok) continue;
    const Resource& d = s.desired();
    const bool host_remade = remade.count(lives_on(d)) > 0;
    // A container: entry binds the namespace its target had when it was
    // made: it still exists, bound to the old one, so it is bound again.
    if (host_remade && d.kind == Kind::Namespace) {
      Action a;
      a.type = ActionType::Replace;
      a.set_before(s.observed());
      a.borrow_after(d);
      a.forced_by = attr::mode;
      forwards.push_back(std::move(a));
      continue;
    }
    // The rest went with it (an interface's sysctls come back as the
    // kernel's defaults).
    const std::string link = d.ns + "/" + d.attr(attr::dev);
    if (host_remade ||
        (d.kind == Kind::Route && readdressed_links.count(link) &&
         (!keeps_address.count(link) || d.name == "default6" || d.name.find(':') != std::string::npos))) {
      Action a;
      a.type = ActionType::Create;
      a.borrow_after(d);
      forwards.push_back(std::move(a));
    }
  }
  // Sorted as indexes, then put in that order in place: a stable sort of the
  // actions themselves takes a buffer of them as large as the plan.
  auto sort_actions = [](std::vector<Action>& v, auto less) {
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return less(v[x], v[y]); });
    apply_order(v, std::move(order));
  };
  sort_actions(deletes, [](const Action& x, const Action& y) { return dependency_less(y.before(), x.before()); });
  sort_actions(forwards, [](const Action& x, const Action& y) { return dependency_less(x.after(), y.after()); });
  if (deletes.empty()) {
    result.plan.actions = std::move(forwards);  // a cold apply: no second array of every action
  } else {
    result.plan.actions.reserve(deletes.size() + forwards.size());
    for (auto& a : deletes) result.plan.actions.push_back(std::move(a));
    for (auto& a : forwards) result.plan.actions.push_back(std::move(a));
  }
  return result;
}

std::string digest(const Observed& observed) {
  std::uint64_t h = 1469598103934665603ull;
  auto feed = [&h](const std::string& s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;  // separator, so "ab","c" differs from "a","bc"
  };
  // Keys made once, not in every comparison of the sort (thousands of objects).
  std::vector<std::pair<std::string, const Resource*>> sorted;
  sorted.reserve(observed.owned.size());
  // Settings are read only for a desired state, so a saved plan cannot be
  // checked against them; they are left out on both sides.
  // Other stacks' objects count too, so the fingerprint does not depend on
  // which stacks the observation was scoped to.
  for (const auto* set : {&observed.owned, &observed.held_resources})
    for (const auto& r : *set)
      if (r.kind != Kind::Sysctl) sorted.emplace_back(r.key(), &r);
  // The observer hands its resources over sorted by key already.
  auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (!std::is_sorted(sorted.begin(), sorted.end(), by_key)) std::sort(sorted.begin(), sorted.end(), by_key);
  // The bytes of "k=v" then the separator, without building the string.
  auto feed_attr = [&h](const std::string& k, const std::string& v) {
    for (unsigned char c : k) h = (h ^ c) * 1099511628211ull;
    h = (h ^ static_cast<unsigned char>('=')) * 1099511628211ull;
    for (unsigned char c : v) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
  };
  for (const auto& [key, r] : sorted) {
    feed(key);
    for (const auto& [k, v] : r->attrs) feed_attr(k, v);
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace topo
