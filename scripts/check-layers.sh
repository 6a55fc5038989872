#!/usr/bin/env bash
# The layers, lowest first: a file may include its own layer and those below
# it, never one above (README "Layout"). Run by ctest (LayersIncludeOnlyDownwards);
# prints every include that runs upwards and exits 1 when there is one.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

layers=(
  reconciler/model            # the desired model
  reconciler/resources        # primitive resources, marks, firewall rules
  reconciler/kernel_interface # the Kernel interface the core is written against
  reconciler/fsutil           # safe file access
  reconciler/process          # process-wide settings: how memory is taken from the kernel
  reconciler/ipam             # allocation
  reconciler/state            # the state dir
  reconciler/observer         # dump records to observed resources (pure)
  providers                   # the model to resources, one provider per driver
  reconciler/loader           # manifests to the model
  reconciler/importers        # compose, docker inspect and CNI files to manifests (pure)
  reconciler/planner          # desired vs observed: the ordered plan
  reconciler/executor         # carrying a plan out
  reconciler/output           # plans and outcomes as text and JSON
  reconciler/pipeline         # load, observe, plan, run: one pass
  reconciler/view             # the topology as users look at it: inspect (pure)
  reconciler/verify           # checks: the manifests' and the implied ones, results (pure)
  reconciler/graph            # the topology as DOT, Mermaid, JSON and SVG (Graphviz's libgvc)
  reconciler/watcher          # the controller's pure half
  reconciler/kernel           # the netlink Kernel
  reconciler/probe            # verify's probes, sent from inside the containers' namespaces
  reconciler/cluster/etcd     # the etcd v3 client (JSON gateway over libcurl)
  reconciler/cluster          # the cluster registry: keys, the view, leases and claims in etcd
  reconciler/watcher/sys      # the controller's event loop
  reconciler/cli              # the topo command
)

# The layer of a path: the longest folder prefix that names one.
layer_of() {
  local path=$1 best=-1 best_len=0 i
  for i in "${!layers[@]}"; do
    local l=${layers[$i]}
    if [[ $path == "$l"/* ]] && ((${#l} > best_len)); then best=$i; best_len=${#l}; fi
  done
  echo "$best"
}

status=0
checked=0
while IFS= read -r file; do
  from=$(layer_of "$file")
  if ((from < 0)); then
    echo "check-layers: $file is in no layer; add its folder to scripts/check-layers.sh" >&2
    status=1
    continue
  fi
  while IFS= read -r inc; do
    to=$(layer_of "$inc")
    ((to < 0)) && continue
    checked=$((checked + 1))
    if ((to > from)); then
      echo "check-layers: $file (${layers[$from]}) includes $inc (${layers[$to]}), a higher layer" >&2
      status=1
    fi
  done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$file")
done < <(find reconciler providers -name '*.cpp' -o -name '*.hpp' | sort)

if ((checked == 0)); then
  echo "check-layers: found no includes to check; is this the source tree?" >&2
  exit 1
fi
((status == 0)) && echo "check-layers: $checked includes, none upwards"
exit $status
