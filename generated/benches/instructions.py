#!/usr/bin/env python3
"""Instructions per record of each parser and its baseline, counted by
callgrind: one run of the `instructions` bench binary per function, counting
only inside it. Unlike times, the counts do not move with the machine's load;
they do not weigh cache misses or branch mispredictions either, so they
complement the criterion figures rather than replace them.

    cargo bench -p auditcat --bench instructions --no-run
    python3 generated/benches/instructions.py [TARGET_DIR]

Needs valgrind. TARGET_DIR defaults to $CARGO_TARGET_DIR, else ./target.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

target = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("CARGO_TARGET_DIR", "target"))
binaries = sorted(
    (p for p in (target / "release" / "deps").glob("instructions-*") if os.access(p, os.X_OK) and p.suffix == ""),
    key=lambda p: p.stat().st_mtime,
)
if not binaries:
    sys.exit("no instructions binary: run `cargo bench -p auditcat --bench instructions --no-run` first")
binary = binaries[-1]

# name -> records, as the binary prints them
records = {}
for line in subprocess.run([binary], capture_output=True, text=True, check=True).stdout.splitlines():
    name, n = line.split()
    records[name] = int(n)

counts = {}
for name, n in records.items():
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", f"--toggle-collect=instructions::{name}", binary, name],
        capture_output=True,
        text=True,
        check=True,
    )
    collected = re.search(r"Collected : (\d+)", out.stderr)
    counts[name] = int(collected.group(1)) / n
    print(f"{name:22} {counts[name]:>10,.0f} instructions per record")

print()
pairs = subprocess.run([binary, "--pairs"], capture_output=True, text=True, check=True).stdout
for typed, base in (line.split() for line in pairs.splitlines()):
    print(f"{base} / {typed}: {counts[base] / counts[typed]:.2f}")
