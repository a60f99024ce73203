"""Instructions per request, counted by callgrind: the app's cost as a number a noisy machine cannot move.

    python3 bench/instructions.py [--requests 200] [--root DIR ...]

On a shared virtual machine CPU time per request moves with the host's load (on 2026-12-03 the same tree gave `me`
93 to 168 us in-process, minutes apart, while the hypervisor stole 10-40% of the CPU); the number of instructions
executed hardly does: valgrind's callgrind counts them, and the same code, data and requests give nearly the same count
(two copies of one tree, run side by side, agree to 0.1%; compare checkouts within one run). Each `--root` (default:
this checkout) runs in a process of its own under `valgrind --tool=callgrind`, all of them at once: the app from
`elior.app.create_app`, called in-process as bench/profile_reads.py calls it (ASGI to ASGI, no socket, no uvicorn:
what the app costs above the HTTP server), on a temporary SQLite file with caches and rate limits off, seeded by
profile_reads' `seed`. The process asks `callgrind_control` to dump its counters after seeding and after each
endpoint's `--requests` requests, so each endpoint's count is its own. Printed: thousands of instructions per
request per root, and each root's ratio to the first. Endpoints: profile_reads' reads and `POST /api/progress` (a
trainer's entry for a new date each time).

Needs valgrind (Debian's package); 200 requests take about five minutes per root, most of it seeding.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WRITE = "progress write"


def dump(label: str) -> None:
    """Callgrind writes the counts since the last dump to a file of their own, named by its number."""
    subprocess.run(["callgrind_control", "--dump=" + label, str(os.getpid())], check=True, capture_output=True)


async def child(requests: int) -> None:
    import profile_reads

    app = profile_reads.make_app("elior-instructions-")
    async with app.router.lifespan_context(app):
        seeded = await profile_reads.seed(app)
        reads = profile_reads.endpoints(seeded)
        first_day = dt.date.today() - dt.timedelta(days=400)  # before every seeded entry: a new date each time
        days = iter(range(10 * requests + 100))

        async def write() -> None:
            body = {"client_id": seeded["client_id"], "weight_kg": 80.5, "body_fat_pct": 20.1, "notes": "check-in",
                    "date": (first_day - dt.timedelta(days=next(days))).isoformat(), "measurements": {"waist_cm": 84}}
            await profile_reads.api(app, "POST", "/api/progress", body, seeded["trainer"], 201)

        async def read(name: str) -> None:
            method, path, token = reads[name]
            status, content = await profile_reads.call(app, method, path, None, token)
            assert status == 200, (name, status, content[:200])

        names = [*reads, WRITE]
        for name in names:  # warm: every statement prepared, every code path taken once
            for _ in range(20):
                await (write() if name == WRITE else read(name))
        dump("seeded")
        for name in names:
            for _ in range(requests):
                await (write() if name == WRITE else read(name))
            dump(name.replace(" ", "_"))


def counts(folder: Path) -> dict[str, int]:
    """Instructions per dump, by its label, from callgrind's numbered output files."""
    found = {}
    for path in sorted(folder.glob("callgrind.out.*"), key=lambda path: int(path.suffix[1:])):
        text = path.read_text(errors="replace")
        label = re.search(r"^desc: Trigger: dump (\S+)$", text, re.M)
        total = re.search(r"^summary: (\d+)", text, re.M)
        if label and total:
            found[label.group(1).replace("_", " ")] = int(total.group(1))
    return found


def version(root: Path) -> str:
    """The checkout's commit, `+` when its tree has changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True).stdout.strip()

    return (git("rev-parse", "--short", "HEAD") or root.name) + ("+" if git("status", "--porcelain") else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--root", type=Path, action="append", help="a checkout of the project (repeatable)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path[:0] = [str(args.child), str(BENCH)]
        os.chdir(args.child)
        asyncio.run(child(args.requests))
        return
    roots = [root.resolve() for root in (args.root or [ROOT])]
    with tempfile.TemporaryDirectory(prefix="elior-callgrind-") as scratch:
        runs = []
        for number, root in enumerate(roots):
            folder = Path(scratch) / str(number)
            folder.mkdir()
            command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/callgrind.out",
                       sys.executable, str(Path(__file__).resolve()), "--child", str(root),
                       "--requests", str(args.requests)]
            runs.append((root, folder, subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                                        stderr=open(folder / "valgrind.log", "wb"))))
        results = {}
        for root, folder, process in runs:
            if process.wait() != 0:
                raise SystemExit(f"{root}: exited {process.returncode}\n"
                                 f"{(folder / 'valgrind.log').read_text(errors='replace')[-2000:]}")
            results[root] = counts(folder)
    names = [name for name in results[roots[0]] if name != "seeded"]
    labels = [version(root) for root in roots]
    print(f"thousands of instructions per request, {args.requests} requests each, in-process (callgrind)")
    print(f"{'endpoint':<16}" + "".join(f"{label:>16}" for label in labels) +
          "".join(f"{'x ' + label:>16}" for label in labels[1:]))
    for name in names:
        per = [results[root][name] / args.requests / 1000 for root in roots]
        print(f"{name:<16}" + "".join(f"{value:>16,.0f}" for value in per) +
              "".join(f"{value / per[0]:>15.3f}x" for value in per[1:]))


if __name__ == "__main__":
    main()
