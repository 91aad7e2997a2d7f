#!/usr/bin/env python3
"""Summarise the last `cargo bench` run: throughput of every benchmark and the
ratios the performance targets are stated in (see generated/BENCHMARKS.md).

    python3 generated/benches/summary.py [TARGET_DIR]

TARGET_DIR defaults to $CARGO_TARGET_DIR, else ./target. Reads criterion's
`<target>/criterion/**/new/{estimates,benchmark}.json` of that one run.
"""

import json
import os
import sys
from pathlib import Path

target = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("CARGO_TARGET_DIR", "target"))
root = target / "criterion"


def load(bench):
    """Seconds per iteration (criterion's typical estimate) and throughput."""
    d = root / bench / "new"
    est = json.loads((d / "estimates.json").read_text())
    meta = json.loads((d / "benchmark.json").read_text())
    typical = est.get("slope") or est["mean"]
    lo, hi = typical["confidence_interval"]["lower_bound"], typical["confidence_interval"]["upper_bound"]
    return typical["point_estimate"] / 1e9, lo / 1e9, hi / 1e9, meta.get("throughput") or {}


def rate(bench):
    secs, lo, hi, tp = load(bench)
    if "Bytes" in tp:
        return tp["Bytes"] / secs / 1e6, "MB/s", secs
    if "Elements" in tp:
        return tp["Elements"] / secs, "elem/s", secs
    return 1 / secs, "iter/s", secs


rows = []
for est in sorted(root.glob("**/new/estimates.json")):
    bench = str(est.parent.parent.relative_to(root))
    if bench.startswith("report"):
        continue
    value, unit, secs = rate(bench)
    rows.append((bench, value, unit, secs))

print(f"{'benchmark':<52} {'throughput':>16} {'time/iter':>12}")
for bench, value, unit, secs in rows:
    shown = f"{value / 1e6:.3f} M{unit}" if unit == "elem/s" else f"{value:.1f} {unit}"
    print(f"{bench:<52} {shown:>16} {secs * 1e3:>10.3f}ms")


def ratio(a, b):
    try:
        return rate(a)[0] / rate(b)[0]
    except FileNotFoundError:
        return None


print()
print("target                                                         measured    goal  holds")
checks = [
    ("kintone typed parse / hand-written HashMap",
     ratio("kintone_complement/typed", "kintone_complement/hashmap_baseline"), 3.0),
    ("kintone typed parse / memchr line scan",
     ratio("kintone_complement/typed", "kintone_complement/memchr_lines"), 0.10),
    ("kintone CSV read+parse+validate / csv StringRecords",
     ratio("kintone_csv/read_parse_validate", "kintone_csv/csv_string_records_baseline"), 0.50),
    ("slack parse_response / serde_json::Value",
     ratio("slack_response/parse_response", "slack_response/serde_json_value_baseline"), 1.5),
]
for name, value, goal in checks:
    if value is None:
        print(f"{name:<60} {'-':>10}")
        continue
    print(f"{name:<60} {value:>9.3f}x {goal:>6}x  {'yes' if value >= goal else 'NO'}")
for name in ["flat", "nested"]:
    try:
        per_s = rate(f"sap_btp_classify/{name}")[0]
    except FileNotFoundError:
        continue
    print(f"{'sap-btp classify, ' + name + ' (records/s)':<60} {per_s / 1e6:>8.3f}M {'1M':>7}  {'yes' if per_s >= 1e6 else 'NO'}")
try:
    small = rate("generator_synthetic/load_render/1000")[2]
    for n in (1000, 5000, 10000):
        secs = rate(f"generator_synthetic/load_render/{n}")[2]
        print(f"{'generator, ' + str(n) + ' actions (s; per action vs 1k)':<60} {secs:>9.3f}s  {secs / n / (small / 1000):>5.2f}x")
    print(f"{'generator, bundled catalog (s)':<60} {rate('generator_bundled/load_render')[2]:>9.4f}s {'<1s':>6}")
except FileNotFoundError:
    pass
