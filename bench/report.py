#!/usr/bin/env python3
"""Turns the benchmark's raw lines into the table, the targets and the chart data.

Usage: report.py RESULTS OUTDIR
RESULTS holds "N variant step value" lines (bench/variant.sh). Writes
OUTDIR/table.md (also printed) and OUTDIR/chart.dat (for bench/chart.gp).
"""
import re
import statistics
import sys
from collections import defaultdict


def main() -> None:
    results, out = sys.argv[1], sys.argv[2]
    v = defaultdict(dict)  # (n, variant) -> step -> value
    for line in open(results, encoding="utf-8"):
        n, variant, step, value = line.split()
        v[(int(n), variant)][step] = float(value)
    sizes = sorted({n for n, _ in v})
    plan_runs = 0  # the no-op plan is the median of the runs variant.sh made
    for n in sizes:
        if (n, "topo") not in v:
            continue
        t = v[(n, "topo")]
        plans = [val for step, val in t.items() if re.fullmatch(r"plan\d+", step)]
        if plans:
            t["plan"] = statistics.median(plans)
            plan_runs = max(plan_runs, len(plans))
        t["rss"] = max((val for step, val in t.items() if step.startswith("rss_")), default=0)

    def cell(n, variant, step, fmt="{:.3f} s"):
        val = v.get((n, variant), {}).get(step)
        return "—" if val is None else fmt.format(val)

    def ratio(n, step, other):
        a, b = v.get((n, "topo"), {}).get(step), v.get((n, other), {}).get(step)
        return "—" if a is None or b is None else f"{a / b:.2f}"

    rows = ["| N | step | topo | ip -batch | CNI | topo / ip-batch | topo / CNI |",
            "|---:|---|---:|---:|---:|---:|---:|"]
    for n in sizes:
        for step, label in (("apply", "cold apply"), ("plan", f"no-op plan (median of {plan_runs})"),
                            ("change", "1% change"), ("destroy", "destroy")):
            rows.append(f"| {n} | {label} | {cell(n, 'topo', step)} | {cell(n, 'ipbatch', step)} "
                        f"| {cell(n, 'cni', step)} | {ratio(n, step, 'ipbatch')} | {ratio(n, step, 'cni')} |")
        rows.append(f"| {n} | drift repair, median / worst of 20 | "
                    f"{cell(n, 'topo', 'drift_median')} / {cell(n, 'topo', 'drift_worst')} | — | — | — | — |")
        if "apply_floor" in v.get((n, "floor"), {}):
            rows.append(f"| {n} | the kernel's own cold apply (bench/apply_floor.c) | "
                        f"{cell(n, 'floor', 'apply_floor')} | — | — | — | — |")
        if "read_floor" in v.get((n, "topo"), {}):
            rows.append(f"| {n} | the kernel's own read (bench/read_floor.c, 2 threads) | "
                        f"{cell(n, 'topo', 'read_floor')} | — | — | — | — |")
        rows.append(f"| {n} | topo peak RSS (apply, plan, change, destroy) | "
                    f"{v.get((n, 'topo'), {}).get('rss', 0) / 1024:.1f} MiB | — | — | — | — |")

    mark = lambda ok: "met" if ok else "**not met**"
    targets = []
    has = lambda n, variant="topo", *steps: (n, variant) in v and all(st in v[(n, variant)] for st in steps)
    if has(1000, "topo", "apply", "plan", "change"):
        t = v[(1000, "topo")]
        if has(1000, "ipbatch", "apply") and has(1000, "cni", "apply"):
            ib, cni = v[(1000, "ipbatch")], v[(1000, "cni")]
            targets.append(
                f"- cold apply at N=1000: topo / ip-batch {t['apply'] / ib['apply']:.2f} (target ≤ 0.2): "
                f"{mark(t['apply'] <= 0.2 * ib['apply'])}; topo / CNI {t['apply'] / cni['apply']:.3f} "
                f"(target ≤ 0.05): {mark(t['apply'] <= 0.05 * cni['apply'])}")
        targets += [
            f"- no-op plan at N=1000: {t['plan'] * 1000:.0f} ms (target < 150 ms): {mark(t['plan'] < 0.150)}",
            f"- 1% change (plan + apply) at N=1000: {t['change'] * 1000:.0f} ms (target < 250 ms): "
            f"{mark(t['change'] < 0.250)}",
            f"- peak memory at N=1000: {t['rss'] / 1024:.1f} MiB (target < 64 MiB): {mark(t['rss'] < 64 * 1024)}",
        ]
    for n in (1000, 10000):
        if has(n, "topo", "drift_median", "drift_worst"):
            t = v[(n, "topo")]
            targets.append(
                f"- drift repair under `watch` at N={n}: median {t['drift_median'] * 1000:.0f} ms / worst "
                f"{t['drift_worst'] * 1000:.0f} ms (target < 50 ms / < 200 ms): "
                f"{mark(t['drift_median'] < 0.050 and t['drift_worst'] < 0.200)}")
    if has(1000, "topo", "apply") and has(10000, "topo", "apply", "plan"):
        small, big = v[(1000, "topo")], v[(10000, "topo")]
        growth = (big["apply"] / 10000) / (small["apply"] / 1000)
        kernel = []
        if has(1000, "ipbatch", "apply") and has(10000, "ipbatch", "apply"):
            ib_small, ib_big = v[(1000, "ipbatch")], v[(10000, "ipbatch")]
            kernel.append(f"ip -batch: {(ib_big['apply'] / 10000) / (ib_small['apply'] / 1000):.2f} ×")
        if has(1000, "floor", "apply_floor") and has(10000, "floor", "apply_floor"):
            fl_small, fl_big = v[(1000, "floor")], v[(10000, "floor")]
            kernel.append(f"the kernel's own cold apply, bench/apply_floor.c: "
                          f"{(fl_big['apply_floor'] / 10000) / (fl_small['apply_floor'] / 1000):.2f} ×")
        kernel = f" ({'; '.join(kernel)})" if kernel else ""
        targets += [
            f"- cold apply per container at N=10000: {growth:.2f} × that at N=1000{kernel} (target ≤ 1.3): "
            f"{mark(growth <= 1.3)}",
            f"- no-op plan at N=10000: {big['plan']:.2f} s (target < 1.5 s): {mark(big['plan'] < 1.5)}",
            f"- peak memory at N=10000: {big['rss'] / 1024:.1f} MiB (target < 300 MiB): "
            f"{mark(big['rss'] < 300 * 1024)}",
        ]
    text = "\n".join(rows) + "\n\nTargets:\n\n" + "\n".join(targets) + "\n"
    with open(f"{out}/table.md", "w", encoding="utf-8") as f:
        f.write(text)
    print(text)

    cols = [("topo", "apply"), ("ipbatch", "apply"), ("cni", "apply"),
            ("topo", "destroy"), ("ipbatch", "destroy"), ("cni", "destroy"),
            ("topo", "plan"), ("topo", "change")]
    with open(f"{out}/chart.dat", "w", encoding="utf-8") as f:
        f.write("# N " + " ".join(f"{a}_{b}" for a, b in cols) + "\n")
        for n in sizes:
            f.write(f"{n} " + " ".join(f"{v.get((n, a), {}).get(b, float('nan')):.4f}" for a, b in cols) + "\n")


if __name__ == "__main__":
    main()
