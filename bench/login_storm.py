"""A login storm against the real server: does bcrypt slow everything else down?

    python3 bench/login_storm.py [--storm 50] [--seconds 10]

Starts `python -m elior serve` (uvicorn, bcrypt cost 12, the default PASSWORD_THREADS/PASSWORD_QUEUE) on a free port
with a fresh SQLite database (or BENCH_DATABASE_URL), then:
1. probes `/health` and an authenticated GET (`/api/auth/me`) at a steady pace with no storm: p50/p99;
2. the same probes while `--storm` clients log in back to back for `--seconds` (honouring Retry-After on 429);
3. back-to-back requests on one connection to `/health`, `/health` with a bearer token, and `/api/auth/me`:
   the cost of authentication against the cheapest request.
Prints a table and the ratios. A tiny HTTP/1.1 client on asyncio keeps the load generator's own cost low.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import free_port

ROOT = Path(__file__).resolve().parent.parent
EMAIL, PASSWORD = "bench@example.test", "a benchmark password"


class Connection:
    """One keep-alive HTTP/1.1 connection: enough of the protocol for JSON requests with Content-Length."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: Any = None,
                      headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        payload = json.dumps(body).encode() if body is not None else b""
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(payload)}"]
        if body is not None:
            lines.append("Content-Type: application/json")
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        found = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines if h)}
        content = await self.reader.readexactly(int(found.get("content-length", "0")))
        return int(status_line.split()[1]), found, content

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server exited during start-up")
        try:
            connection = Connection(port)
            status, _, _ = await connection.request("GET", "/health")
            connection.close()
            if status == 200:
                return
        except OSError:
            await asyncio.sleep(0.1)
    raise SystemExit("the server did not answer /health within 60 s")


async def probe(port: int, path: str, headers: dict[str, str], stop: asyncio.Event, pace: float) -> list[float]:
    """Steady requests (one every `pace` s) on one connection; returns latencies in ms."""
    connection, latencies = Connection(port), []
    while not stop.is_set():
        started = time.perf_counter()
        status, _, _ = await connection.request("GET", path, headers=headers)
        latencies.append((time.perf_counter() - started) * 1000)
        assert status == 200, (path, status)
        await asyncio.sleep(max(0.0, pace - (time.perf_counter() - started)))
    connection.close()
    return latencies


async def stormer(port: int, stop: asyncio.Event, counts: dict[str, int]) -> None:
    connection = Connection(port)
    while not stop.is_set():
        status, headers, _ = await connection.request("POST", "/api/auth/login",
                                                      {"email": EMAIL, "password": PASSWORD})
        counts[str(status)] = counts.get(str(status), 0) + 1
        if status == 429:  # a well-behaved client waits as told (capped so the storm stays a storm)
            await asyncio.sleep(min(float(headers.get("retry-after", "1")), 1.0))
    connection.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def measure(port: int, auth: dict[str, str], seconds: float, storm: int) -> dict[str, Any]:
    stop = asyncio.Event()
    counts: dict[str, int] = {}
    probes = [asyncio.create_task(probe(port, "/health", {}, stop, 0.01)),
              asyncio.create_task(probe(port, "/api/auth/me", auth, stop, 0.01))]
    storms = [asyncio.create_task(stormer(port, stop, counts)) for _ in range(storm)]
    await asyncio.sleep(seconds)
    stop.set()
    health, me = await asyncio.gather(*probes)
    await asyncio.gather(*storms)
    return {"health": health, "me": me, "counts": counts, "seconds": seconds}


async def back_to_back(port: int, path: str, headers: dict[str, str], count: int) -> float:
    """Mean ms per request, one connection, no pause."""
    connection = Connection(port)
    for _ in range(50):  # warm-up: caches, connection
        await connection.request("GET", path, headers=headers)
    started = time.perf_counter()
    for _ in range(count):
        await connection.request("GET", path, headers=headers)
    connection.close()
    return (time.perf_counter() - started) * 1000 / count


async def costs_side_by_side(port: int, auth: dict[str, str], rounds: int = 7,
                             count: int = 1000) -> dict[str, float]:
    """The three requests in alternating rounds, so machine noise hits them alike; the median round of each."""
    cases = (("/health", "/health", {}), ("/health + bearer", "/health", auth), ("/api/auth/me", "/api/auth/me", auth))
    samples: dict[str, list[float]] = {name: [] for name, _, _ in cases}
    for _ in range(rounds):
        for name, path, headers in cases:
            samples[name].append(await back_to_back(port, path, headers, count))
    return {name: statistics.median(values) for name, values in samples.items()}


async def main(storm: int, seconds: float) -> None:
    port = free_port()
    data = tempfile.mkdtemp(prefix="elior-bench-")
    env = {**os.environ, "ELIOR_DATA_DIR": data, "ELIOR_ADMIN_EMAIL": EMAIL, "ELIOR_ADMIN_PASSWORD": PASSWORD,
           "BCRYPT_ROUNDS": "12", "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{data}/b.db"),
           "SECRET_KEY": "bench-secret-key-" + "x" * 40,
           # The API-wide per-caller limit would cap one address's storm at its own rate: this measures bcrypt's
           # isolation from other requests, so that limit is lifted here.
           "RATE_LIMIT_PER_MINUTE": "100000000", "RATE_LIMIT_BURST": "1000000"}
    log = open(Path(data) / "server.log", "wb")
    server = subprocess.Popen([sys.executable, "-m", "elior", "serve", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        await wait_until_up(port, server)
        connection = Connection(port)
        status, _, body = await connection.request("POST", "/api/auth/login", {"email": EMAIL, "password": PASSWORD})
        assert status == 200, body
        auth = {"Authorization": f"Bearer {json.loads(body)['access_token']}"}
        connection.close()
        quiet = await measure(port, auth, seconds, 0)
        stormy = await measure(port, auth, seconds, storm)
        costs = await costs_side_by_side(port, auth)
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    report(quiet, stormy, costs, storm, os.environ.get("BENCH_DATABASE_URL", "sqlite"))


def report(quiet: dict[str, Any], stormy: dict[str, Any], costs: dict[str, float], storm: int, database: str) -> None:
    print(f"login storm: {storm} concurrent logins for {stormy['seconds']:.0f} s; bcrypt cost 12; "
          f"database {database.split('@')[-1]}; {os.cpu_count()} CPUs")
    print(f"{'request':<16}{'phase':<10}{'n':>7}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for name in ("health", "me"):
        label = "/health" if name == "health" else "/api/auth/me"
        for phase, result in (("quiet", quiet), ("storm", stormy)):
            values = result[name]
            print(f"{label:<16}{phase:<10}{len(values):>7}{statistics.median(values):>10.2f}"
                  f"{percentile(values, 0.99):>10.2f}{max(values):>10.2f}")
    for name, label in (("health", "/health"), ("me", "/api/auth/me")):
        ratio = percentile(stormy[name], 0.99) / percentile(quiet[name], 0.99)
        print(f"p99 storm/quiet {label}: {ratio:.2f}x (goal: within 3x)")
    counts = stormy["counts"]
    print(f"logins: {counts.get('200', 0)} ok ({counts.get('200', 0) / stormy['seconds']:.1f}/s), "
          f"{counts.get('429', 0)} answered 429 (password queue full), others {dict(counts)}")
    print("back-to-back on one connection (median of 7 alternating rounds of 1000):")
    for name, ms in costs.items():
        print(f"  {name:<18}{ms * 1000:>8.0f} us   {1000 / ms:>8.0f} req/s")
    print(f"authenticated /health vs /health: {costs['/health + bearer'] / costs['/health']:.2f}x; "
          f"/api/auth/me vs /health: {costs['/api/auth/me'] / costs['/health']:.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--storm", type=int, default=50, help="concurrent login clients (default 50)")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase (default 10)")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.storm, arguments.seconds))
