#include "reconciler/executor/executor.hpp"

#include <chrono>
#include <exception>
#include <memory>

namespace topo {

namespace {

// One kernel operation and the operation that takes it back. The resources
// are the plan's own (it outlives the run): the undo journal holds one step
// per action done, and copies of them were the largest part of a big apply's
// memory (about 100 MB at 10 000 containers).
struct Step {
  enum Op { Create, Update, Remove } op;
  const Resource* a;  // Create/Remove: the resource; Update: from
  const Resource* b;  // Update: to
};

void run(Kernel& k, const Step& s) {
  switch (s.op) {
    case Step::Create: k.create(*s.a); break;
    case Step::Update: k.update(*s.a, *s.b); break;
    case Step::Remove: k.remove(*s.a); break;
  }
}

Step inverse(const Step& s) {
  switch (s.op) {
    case Step::Create: return {Step::Remove, s.a, nullptr};
    case Step::Update: return {Step::Update, s.b, s.a};
    case Step::Remove: return {Step::Create, s.a, nullptr};
  }
  return s;
}

// At most two steps (a replacement): no vector per action.
struct Steps {
  Step step[2];
  int count = 0;
  const Step* begin() const { return step; }
  const Step* end() const { return step + count; }
};

Steps steps_of(const Action& a) {
  switch (a.type) {
    case ActionType::Create: return {{{Step::Create, &a.after(), nullptr}}, 1};
    case ActionType::Update: return {{{Step::Update, &a.before(), &a.after()}}, 1};
    case ActionType::Delete: return {{{Step::Remove, &a.before(), nullptr}}, 1};
    case ActionType::Replace: return {{{Step::Remove, &a.before(), nullptr}, {Step::Create, &a.after(), nullptr}}, 2};
  }
  return {};
}

}  // namespace

ExecuteResult execute(const Plan& plan, Kernel& kernel, const ExecuteOptions& options) {
  ExecuteResult result;
  std::vector<Step> journal;  // steps done, in order
  journal.reserve(plan.actions.size());
  for (const auto& action : plan.actions) {
    if (options.on_action) options.on_action(action);
    try {
      const auto started = std::chrono::steady_clock::now();
      for (const auto& step : steps_of(action)) {
        run(kernel, step);
        journal.push_back(step);
      }
      ++result.steps_done;
      if (options.on_action_done)
        options.on_action_done(action,
                               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    } catch (const KernelError& e) {
      // It already names the operation and the object.
      result.ok = false;
      result.error = e.what();
      break;
    } catch (const std::exception& e) {
      result.ok = false;
      result.error = to_string(action.type) + " " + action.subject().key() + ": " + e.what();
      break;
    }
  }
  if (result.ok) {
    bool committed = false;
    try {
      kernel.commit();
      committed = true;
      if (options.after_commit) options.after_commit();
      return result;
    } catch (const std::exception& e) {
      // Nothing of the committed state changed, or the last step failed
      // after it had: undo every action (the commit below writes the undone
      // state either way).
      result.ok = false;
      result.error = (committed ? std::string() : std::string("commit: ")) + e.what();
    }
  }

  for (auto it = journal.rbegin(); it != journal.rend(); ++it) {
    try {
      run(kernel, inverse(*it));
    } catch (const std::exception& e) {
      result.rollback_errors.push_back(std::string("undo of ") + it->a->key() + ": " + e.what());
    }
  }
  try {
    kernel.commit();  // the undone state, where it differs from what the kernel holds
  } catch (const std::exception& e) {
    result.rollback_errors.push_back(std::string("undo commit: ") + e.what());
  }
  result.rolled_back = result.rollback_errors.empty();
  return result;
}

}  // namespace topo
