"""How long this machine takes the CPU away from a busy process that does nothing else: the floor under every p99.

    python3 bench/stalls.py [--seconds 10] [--processes 1]

Each process spins on `time.perf_counter()` and records every gap between two readings longer than 5 ms: time the
process was not running, with no I/O, lock or garbage collection of its own to wait for. On a dedicated machine the
gaps are a scheduler tick or two; on a shared virtual machine the host may hold a vCPU for tens of milliseconds,
and a server's answers queued behind such a gap show up in its p99 whatever the server does (bench/README.md, the
p99 of the lists). Printed per process: the gaps over 5, 20 and 50 ms, the longest, and the share of the
machine's CPU time the hypervisor stole meanwhile (/proc/stat). `--processes 2` spins both cores, as a benchmark's
server and client do.
"""
from __future__ import annotations

import argparse
import multiprocessing
import time

from common import cpu_ticks, steal_share


def spin(seconds: float) -> str:
    ticks_before = cpu_ticks()
    gaps = []
    last = time.perf_counter()
    end = last + seconds
    while last < end:
        now = time.perf_counter()
        if now - last > 0.005:
            gaps.append(now - last)
        last = now
    steal = steal_share(ticks_before, cpu_ticks())
    return (f"gaps over 5 ms: {len(gaps)}, over 20 ms: {sum(gap > 0.02 for gap in gaps)}, over 50 ms: "
            f"{sum(gap > 0.05 for gap in gaps)}; longest {max(gaps, default=0) * 1000:.1f} ms; "
            f"steal {steal * 100:.1f}%")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    with multiprocessing.Pool(args.processes) as pool:
        for number, line in enumerate(pool.map(spin, [args.seconds] * args.processes), start=1):
            print(f"process {number}: {line}")


if __name__ == "__main__":
    main()
