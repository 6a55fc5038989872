#!/usr/bin/env python3
"""Turns the benchmark's raw lines into the table, the targets and the chart data.

Usage: report.py RESULTS OUTDIR
RESULTS holds "N variant step value" lines (bench/variant.sh). Writes
OUTDIR/table.md (also printed) and OUTDIR/chart.dat (for bench/chart.gp).
"""
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
    for n in sizes:  # the no-op plan is the median of three runs
        t = v[(n, "topo")]
        t["plan"] = statistics.median(t[f"plan{k}"] for k in (1, 2, 3))
        t["rss"] = max(val for step, val in t.items() if step.startswith("rss_"))

    def cell(n, variant, step, fmt="{:.3f} s"):
        val = v[(n, variant)].get(step)
        return "—" if val is None else fmt.format(val)

    def ratio(n, step, other):
        a, b = v[(n, "topo")].get(step), v[(n, other)].get(step)
        return "—" if a is None or b is None else f"{a / b:.2f}"

    rows = ["| N | step | topo | ip -batch | CNI | topo / ip-batch | topo / CNI |",
            "|---:|---|---:|---:|---:|---:|---:|"]
    for n in sizes:
        for step, label in (("apply", "cold apply"), ("plan", "no-op plan (median of 3)"),
                            ("change", "1% change"), ("destroy", "destroy")):
            rows.append(f"| {n} | {label} | {cell(n, 'topo', step)} | {cell(n, 'ipbatch', step)} "
                        f"| {cell(n, 'cni', step)} | {ratio(n, step, 'ipbatch')} | {ratio(n, step, 'cni')} |")
        rows.append(f"| {n} | drift repair, median / worst of 20 | "
                    f"{cell(n, 'topo', 'drift_median')} / {cell(n, 'topo', 'drift_worst')} | — | — | — | — |")
        rows.append(f"| {n} | topo peak RSS (apply, plan, change, destroy) | "
                    f"{v[(n, 'topo')]['rss'] / 1024:.1f} MiB | — | — | — | — |")

    big = sizes[-1]
    t, ib, cni = v[(big, "topo")], v[(big, "ipbatch")], v[(big, "cni")]
    per = {n: v[(n, "topo")]["plan"] / n for n in sizes}
    linear = all(per[b] <= 1.5 * per[a] for a, b in zip(sizes, sizes[1:]))
    mark = lambda ok: "met" if ok else "**not met**"
    targets = [
        f"- cold apply at N={big}: topo / ip-batch {t['apply'] / ib['apply']:.2f} (target ≤ 0.5): "
        f"{mark(t['apply'] <= 0.5 * ib['apply'])}; topo / CNI {t['apply'] / cni['apply']:.3f} "
        f"(target ≤ 0.1): {mark(t['apply'] <= 0.1 * cni['apply'])}",
        f"- no-op plan at N={big}: {t['plan'] * 1000:.0f} ms (target < 150 ms): {mark(t['plan'] < 0.150)}; "
        f"per container {', '.join(f'{per[n] * 1e6:.0f} µs (N={n})' for n in sizes)}: "
        f"{'linear or better' if linear else 'worse than linear'}",
        f"- 1% change at N={big}: {t['change'] / t['plan']:.2f} × the no-op plan (target < 2): "
        f"{mark(t['change'] < 2 * t['plan'])}",
        f"- drift repair at N={big}: median {t['drift_median'] * 1000:.0f} ms (target < 100 ms): "
        f"{mark(t['drift_median'] < 0.1)}",
        f"- peak memory at N={big}: {t['rss'] / 1024:.1f} MiB (target < 64 MiB): {mark(t['rss'] < 64 * 1024)}",
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
            f.write(f"{n} " + " ".join(f"{v[(n, a)].get(b, float('nan')):.4f}" for a, b in cols) + "\n")


if __name__ == "__main__":
    main()
