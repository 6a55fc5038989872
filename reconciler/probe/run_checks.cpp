#include "reconciler/probe/run_checks.hpp"

#include "reconciler/probe/probe_runner.hpp"

namespace topo::probe {

std::vector<verify::CheckOutcome> run_checks(std::vector<verify::PlannedCheck> planned, int stop_fd,
                                             const std::function<void(const verify::PlannedCheck&)>& on_done) {
  // Checks that cannot run send nothing; the others all at once.
  std::vector<std::size_t> sent;
  std::vector<verify::Probe> to_send;
  for (std::size_t i = 0; i < planned.size(); ++i)
    if (planned[i].cannot_run.empty()) {
      sent.push_back(i);
      to_send.push_back(planned[i].probe);
    } else if (on_done) {
      on_done(planned[i]);
    }
  std::vector<verify::ProbeResult> results(planned.size());
  const std::vector<verify::ProbeResult> got = run_probes(to_send, 32, stop_fd, [&](std::size_t k) {
    if (on_done) on_done(planned[sent[k]]);
  });
  for (std::size_t k = 0; k < sent.size(); ++k) results[sent[k]] = got[k];
  std::vector<verify::CheckOutcome> out;
  out.reserve(planned.size());
  for (std::size_t i = 0; i < planned.size(); ++i) out.push_back(verify::judge(std::move(planned[i]), results[i]));
  return out;
}

}  // namespace topo::probe
