#!/usr/bin/env bash
# One variant of the benchmark at one size, inside a sandbox of its own
# (bench/bench.sh calls it through tests/sandbox.sh; never run it outside one).
#   variant.sh topo|ipbatch|cni|floor N GENDIR RESULTS
# GENDIR is what bench/gen.py wrote for N. Appends "N variant step value"
# lines to RESULTS (seconds; "rss_*" in KiB; "drift_*" in seconds). floor is
# the kernel's own cold apply (bench/apply_floor.c, $TOPO_APPLY_FLOOR). Every
# step is checked (namespaces and links counted, containers ping their
# gateway), so a fast wrong answer fails the run instead of winning it.
set -euo pipefail
variant=$1 n=$2 gen=$3 results=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
topo=${TOPO_BINARY:?TOPO_BINARY not set}
cni_bin=/usr/lib/cni
# shellcheck source=/dev/null
source "$gen/change.env"

fail() { echo "bench: $variant N=$n: $*" >&2; exit 1; }
record() { echo "$n $variant $1 $2" >>"$results"; }

# Wall-clock seconds of "$@" (output kept in $gen/out.$variant), no forks around it.
elapsed=0
timed() {
  local t0=$EPOCHREALTIME rc=0
  "$@" >"$gen/out.$variant" 2>&1 || rc=$?
  local t1=$EPOCHREALTIME
  ((rc == 0)) || { tail -n 20 "$gen/out.$variant" >&2; fail "'$*' exited $rc"; }
  elapsed=$(python3 -c "print(f'{$t1 - $t0:.4f}')")
}

# topo under GNU time, so its peak memory is known too: "timed_topo STEP ARGS...".
timed_topo() {
  local step=$1; shift
  timed /usr/bin/time -f %M -o "$gen/rss" "$topo" "$@" </dev/null  # never asked: no terminal
  record "$step" "$elapsed"
  record "rss_$step" "$(tail -n1 "$gen/rss")"
}

gateway_of() {  # as bench/gen.py's prefix_of: 10.(200 + i/256).(i%256).1 for network i
  local i=$(( 10#${1#c} / 25 ))
  echo "10.$(( 200 + i / 256 )).$(( i % 256 )).1"
}
# Up to three echoes, any reply passing: right after a big apply (topo's or
# ip -batch's alike) the kernel may take about a second to pass a new bridge
# port's carrier on (linkwatch runs at most once a second), and a single
# echo failed now and then at N = 500 for both variants.
pings() {  # container gateway
  ip netns exec "$1" ping -c3 -i0.5 -W2 -q "$2" >/dev/null || fail "$1 cannot ping its gateway $2"
}
check_up() {  # expected namespace count; first, middle and last container ping
  local count; count=$(ip netns list | wc -l)
  ((count == $1)) || fail "$count namespaces, expected $1"
  local veths; veths=$(ip -o link show type veth | wc -l)
  ((veths == $1)) || fail "$veths host veths, expected $1"
  for c in c0000 "$(printf c%04d $((n / 2)))" "$(printf c%04d $((n - 2)))"; do
    pings "$c" "$(gateway_of "$c")"
  done
}
check_changed() {
  check_up "$n"
  [[ ! -e /run/netns/$removed ]] || fail "$removed still there after the change"
  pings "$added" 10.200.0.1
  if [[ $variant != cni ]]; then  # host-local picks its own addresses
    ip -n "${moved[0]}" -4 -o addr show dev eth0 | grep -q " ${moved_addr[0]}/" \
      || fail "${moved[0]} lacks its new address ${moved_addr[0]}"
  fi
}
check_gone() {
  local left; left=$(( $(ip netns list | wc -l) + $(ip -o link show | wc -l) - 1 ))
  ((left == 0)) || { ip -br link >&2; fail "$left objects left after destroy"; }
}

ipbatch_apply() {
  ip -batch "$gen/ipbatch/host.batch" || return 1
  for f in "$gen"/ipbatch/ns/*.batch; do
    local c=${f##*/}; ip -n "${c%.batch}" -batch "$f" || return 1
  done
}
# `ip netns del` returns before the kernel has torn the namespace down (its
# links go in a work queue after it): timed until the host has none of them
# left, as topo's destroy is, so that both figures mean the same.
wait_gone() {
  local i
  for ((i = 0; i < 3000; i++)); do
    (( $(ip netns list | wc -l) + $(ip -o link show | wc -l) - 1 == 0 )) && return 0
    sleep 0.1
  done
}
ipbatch_destroy() {
  ip -batch "$gen/ipbatch/destroy.batch" || return 1
  wait_gone
}
# What apply_floor made, away (not timed) and waited for, so that the
# kernel's teardown does not run on into the next variant's figures.
floor_destroy() {
  local i
  { for ((i = 0; i < networks; i++)); do printf 'link del br-n%02d\n' "$i"; done
    ip netns list | cut -d' ' -f1 | sed 's/^/netns del /'; } | ip -batch - || return 1
  wait_gone
}
ipbatch_change() {
  ip -batch "$gen/ipbatch/change-host.batch" || return 1
  for f in "$gen"/ipbatch/change-ns/*.batch; do
    local c=${f##*/}; ip -n "${c%.batch}" -batch "$f" || return 1
  done
}

# CNI: namespaces are the runtime's job, made in one `ip -batch` (timed too);
# then per container the loopback and bridge plugins, as a runtime calls them.
cni() {  # COMMAND container conf
  CNI_COMMAND=$1 CNI_CONTAINERID=$2 CNI_NETNS=/run/netns/$2 CNI_IFNAME=$4 \
    CNI_PATH=$cni_bin "$cni_bin/$5" <"$3" >/dev/null
}
cni_net_conf() { printf '%s/cni/n%02d.conf' "$gen" $(( 10#${1#c} / 25 )); }
cni_attach() {  # COMMAND container [conf]
  local conf=${3:-$(cni_net_conf "$2")}
  cni "$1" "$2" "$gen/cni/lo.conf" lo loopback || return 1
  cni "$1" "$2" "$conf" eth0 bridge
}
cni_apply() {
  for ((j = 0; j < n; j++)); do printf 'netns add c%04d\n' "$j"; done | ip -batch - || return 1
  for ((j = 0; j < n; j++)); do cni_attach ADD "$(printf c%04d "$j")" || return 1; done
}
cni_change() {
  cni_attach DEL "$removed" && ip netns del "$removed" || return 1
  ip netns add "$added" && cni_attach ADD "$added" "$gen/cni/n00.conf" || return 1
  for c in "${moved[@]}"; do  # CNI has no update: a new address is DEL + ADD
    cni_attach DEL "$c" && cni_attach ADD "$c" || return 1
  done
}
cni_destroy() {
  for c in $(ip netns list | cut -d' ' -f1); do
    local conf=$(cni_net_conf "$c"); [[ $c != "$added" ]] || conf=$gen/cni/n00.conf
    cni_attach DEL "$c" "$conf" || return 1
  done
  { ip netns list | cut -d' ' -f1 | sed 's/^/netns del /'
    for ((i = 0; i < networks; i++)); do printf 'link del br-n%02d\n' "$i"; done; } | ip -batch -
}

passes() { grep -os '"passes": [0-9]*' "$TOPO_STATE_DIR/watch-status.json" | grep -o '[0-9]*$' || echo 0; }

# Drift repair with the controller: a container's veth deleted by hand, timed
# until its default route (the last object made) is back, 20 times.
drift() {
  local dir=$gen/topo-change log=$gen/watch.log
  # The generated manifests sit below /tmp, which the controller's trust rule
  # refuses (world-writable); the benchmark's own throwaway files are fine.
  "$topo" watch "$dir" --allow-writable-manifests ${TOPO_BENCH_WATCH_ARGS:-} >"$log" 2>&1 &
  local pid=$!
  local deadline=$((SECONDS + 600))
  until grep -qs '"passes": [1-9]' "$TOPO_STATE_DIR/watch-status.json"; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "topo watch died"; }
    ((SECONDS < deadline)) || fail "topo watch made no first pass in 600 s"
    sleep 0.05
  done
  # After its first pass the controller subscribes to every namespace (about
  # a second at N = 10 000): the trials time repairs, not its start.
  sleep "$(python3 -c "print(0.5 + $n / 2000)")"
  local samples=()
  for ((k = 0; k < 20; k++)); do
    local c; c=$(printf c%04d $(( (k * n / 20 + 5) % (n - 1) )))
    local before; before=$(passes)
    ip -n "$c" link del eth0
    local t1=$EPOCHREALTIME
    until [[ -n $(ip -n "$c" -4 route show default 2>/dev/null) ]]; do
      [[ ${EPOCHREALTIME%.*} -lt $(( ${t1%.*} + 30 )) ]] || fail "drift on $c not repaired in 30 s"
    done
    local t2=$EPOCHREALTIME
    samples+=("$(python3 -c "print($t2 - $t1)")")
    pings "$c" "$(gateway_of "$c")"
    # The next trial starts only after the repairing pass has ended (it reads
    # the kernel back after its changes): each trial times one pass, not the
    # tail of the previous one.
    until (( $(passes) > before )); do
      [[ ${EPOCHREALTIME%.*} -lt $(( ${t2%.*} + 60 )) ]] || fail "the repairing pass on $c did not end in 60 s"
      sleep 0.05
    done
    sleep 0.2
  done
  kill -TERM "$pid"; wait "$pid" || true
  echo "bench: N=$n drift repairs (s): ${samples[*]}" >&2
  python3 - "$n" "$results" "${samples[@]}" <<'EOF'
import statistics, sys
n, results, samples = sys.argv[1], sys.argv[2], [float(s) for s in sys.argv[3:]]
with open(results, "a") as f:
    f.write(f"{n} topo drift_median {statistics.median(samples):.4f}\n")
    f.write(f"{n} topo drift_worst {max(samples):.4f}\n")
EOF
}

# The share of the last second the machine's CPUs were idle, in percent.
idle_percent() {
  local -a s1 s2
  local i t1=0 t2=0
  read -ra s1 </proc/stat; sleep 1; read -ra s2 </proc/stat
  for ((i = 1; i < ${#s1[@]}; i++)); do ((t1 += s1[i], t2 += s2[i])); done
  echo $((100 * (s2[4] + s2[5] - s1[4] - s1[5]) / (t2 - t1 > 0 ? t2 - t1 : 1)))
}
# Right after a cold apply of thousands of containers the kernel still works
# for them for some seconds (duplicate address detection and multicast
# reports on every new interface): the reads that follow are timed once the
# CPUs were 90 % idle for a second (at most a minute of waiting, said).
quiet() {
  local i
  for ((i = 0; i < 60; i++)); do (($(idle_percent) >= 90)) && return 0; done
  echo "bench: N=$n: the machine was never 90 % idle for a second; timing anyway" >&2
}

case $variant in
  topo)
    timed_topo apply apply "$gen/topo"; check_up "$n"
    quiet
    # What the no-op plan's read costs the kernel alone (bench/read_floor.c):
    # the same dumps and files, replies unparsed; the median of five.
    if [[ -n ${TOPO_READ_FLOOR:-} ]]; then
      floors=()
      for k in 1 2 3 4 5; do floors+=("$("$TOPO_READ_FLOOR" 2 | sed -E 's/.*: ([0-9.]+) ms/\1/')"); done
      record read_floor "$(printf '%s\n' "${floors[@]}" | sort -n | sed -n 3p | awk '{printf "%.4f", $1 / 1000}')"
    fi
    # The median of five no-op plans: this machine's speed moves from one
    # run to the next (README "Performance"), a median of three with it.
    for k in 1 2 3 4 5; do
      timed_topo "plan$k" plan --detailed-exitcode "$gen/topo"
      [[ $(tail -n1 "$gen/out.topo") == "No changes." ]] || fail "plan after apply is not empty"
    done
    timed_topo change apply "$gen/topo-change"; check_changed
    "$topo" plan --detailed-exitcode "$gen/topo-change" >/dev/null || fail "plan after the change is not empty"
    drift
    timed_topo destroy destroy "$gen/topo-change"; check_gone
    ;;
  ipbatch)
    timed ipbatch_apply; record apply "$elapsed"; check_up "$n"
    timed ipbatch_change; record change "$elapsed"; check_changed
    timed ipbatch_destroy; record destroy "$elapsed"
    check_gone
    ;;
  floor)
    # The kernel's own cold apply (bench/apply_floor.c): the objects topo's
    # apply makes, one request at a time; the program times itself.
    out=$("${TOPO_APPLY_FLOOR:?TOPO_APPLY_FLOOR not set}" "$n") || fail "apply_floor exited $?"
    record apply_floor "$(sed -E 's/.*: ([0-9.]+) ms/\1/' <<<"$out" | awk '{printf "%.4f", $1 / 1000}')"
    check_up "$n"
    floor_destroy || fail "could not remove what apply_floor made"
    check_gone
    ;;
  cni)
    mkdir -p "$gen/cni-leases"
    timed cni_apply; record apply "$elapsed"; check_up "$n"
    timed cni_change; record change "$elapsed"; check_changed
    timed cni_destroy; record destroy "$elapsed"; check_gone
    ;;
  *) fail "unknown variant" ;;
esac
