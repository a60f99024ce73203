"""Progress at scale, against real uvicorn servers: does one client's summary or list slow down as the table grows,
and does the CSV export stream in bounded memory?

    python3 bench/progress.py [--requests 400] [--big-clients 2000] [--export-sizes 100 10000 100000]
                              [--postgres postgresql://postgres@127.0.0.1:5432/postgres]

1. Seeds (bench/seed_progress.py) a small database, 1,000 entries (2 clients x 500), and a big one, 1,000,000
   entries (2,000 clients x 500), starts `python -m elior serve` on each, and sends the same requests to both,
   alternating, on keep-alive connections: `GET /api/progress/summary?client_id=C` and
   `GET /api/progress?client_id=C&limit=20` for a client with 500 entries in both, as that client's trainer.
   Prints p50/p99 per database and the big/small ratios.
2. Seeds clients with 100, 10,000 and 100,000 entries and, for each, starts a fresh server, warms it with a small
   request, then downloads `export.csv` whole; prints the server's peak RSS (VmHWM) beside its RSS before the export.
SQLite by default (files in a temporary folder, removed afterwards unless --keep); with --postgres, databases
named elior_bench_* are created on that server and dropped afterwards.
"""
from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import free_port  # noqa: E402

from bench.seed_progress import seed  # noqa: E402
from elior.settings import Settings  # noqa: E402
from elior.web.tokens import make_access_token  # noqa: E402

SECRET = "bench-secret-key-" + "x" * 40


class Server:
    """`python -m elior serve` on a free port, on one database; stopped on exit."""

    def __init__(self, url: str, data: Path) -> None:
        self.url, self.data, self.port = url, data, free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "Server":
        env = {**os.environ, "DATABASE_URL": self.url, "SECRET_KEY": SECRET, "ELIOR_DATA_DIR": str(self.data),
               "LOG_LEVEL": "WARNING", "RATE_LIMIT_PER_MINUTE": "100000000", "RATE_LIMIT_BURST": "1000000",
               "ACCESS_TOKEN_EXPIRE_MINUTES": "120"}
        self.log = open(self.data / f"server-{self.port}.log", "wb")
        self.process = subprocess.Popen([sys.executable, "-m", "elior", "serve", "--host", "127.0.0.1", "--port",
                                         str(self.port)], cwd=ROOT, env=env, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited during start-up; see {self.log.name}")
            try:
                if self.connection().request_json("/health")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.1)
        raise SystemExit("the server did not answer /health within 60 s")

    def __exit__(self, *exc: Any) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=20)
        self.log.close()

    def connection(self) -> "Client":
        return Client(self.port)

    def memory_kb(self) -> dict[str, int]:
        """The server process's current (VmRSS) and peak (VmHWM) resident memory."""
        assert self.process is not None
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines())
        return {name: int(fields[name].split()[0]) for name in ("VmRSS", "VmHWM")}


class Client:
    """One keep-alive connection (http.client reads chunked streaming answers too)."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.http = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def request_json(self, path: str) -> tuple[int, bytes]:
        self.http.request("GET", path, headers=self.headers)
        response = self.http.getresponse()
        return response.status, response.read()

    def timed(self, path: str) -> float:
        started = time.perf_counter()
        status, body = self.request_json(path)
        elapsed = (time.perf_counter() - started) * 1000
        assert status == 200, (path, status, body[:300])
        return elapsed


def token_for(info: dict[str, Any]) -> str:
    settings = Settings(secret_key=SECRET, access_token_expire_minutes=120)
    token, _ = make_access_token(settings, user_id=info["trainer_id"], role="trainer",
                                 login_id=info["trainer_login_id"])
    return token


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


class Databases:
    """Where the benchmark's databases live: files in a folder, or databases on a PostgreSQL server."""

    def __init__(self, folder: Path, postgres: str | None) -> None:
        self.folder, self.postgres = folder, postgres
        self.made: list[str] = []

    def url(self, name: str) -> str:
        if self.postgres is None:
            return f"sqlite:///{self.folder / name}.db"
        database = f"elior_bench_{name}_{os.getpid()}"
        asyncio.run(self._admin(f'CREATE DATABASE "{database}"'))
        self.made.append(database)
        parts = urlsplit(self.postgres)
        return urlunsplit((parts.scheme, parts.netloc, f"/{database}", "", ""))

    async def _admin(self, statement: str) -> None:
        import asyncpg

        assert self.postgres is not None
        connection = await asyncpg.connect(self.postgres)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    def drop(self) -> None:
        for database in self.made:
            asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


def scaling(dbs: Databases, folder: Path, requests: int, big_clients: int) -> None:
    small = seed(dbs.url("small"), 2, 500, [], "small: 1,000 entries    ")
    big = seed(dbs.url("big"), big_clients, 500, [], f"big: {big_clients * 500:,} entries  ")
    # The first client of trainer 1 in each: 500 entries in both, so only the table around them differs.
    paths = {size: {"summary": f"/api/progress/summary?client_id={info['first_client_id']}",
                    "list of 20": f"/api/progress?client_id={info['first_client_id']}&limit=20"}
             for size, info in (("small", small), ("big", big))}
    names = list(paths["small"])
    times: dict[tuple[str, str], list[float]] = {(name, size): [] for name in names for size in ("small", "big")}
    with Server(small["url"], folder) as small_server, Server(big["url"], folder) as big_server:
        clients = {"small": Client(small_server.port, token_for(small)),
                   "big": Client(big_server.port, token_for(big))}
        for round_ in range(requests + 50):  # the first 50 rounds warm caches and connections, and are not counted
            for name in names:
                for size in (("small", "big") if round_ % 2 else ("big", "small")):
                    elapsed = clients[size].timed(paths[size][name])
                    if round_ >= 50:
                        times[(name, size)].append(elapsed)
    print(f"\none client's reads (500 entries, as their trainer), {requests} requests each, alternating servers; "
          f"{os.cpu_count()} CPUs")
    print(f"{'request':<12}{'database':<26}{'p50 ms':>9}{'p99 ms':>9}")
    for name in names:
        big_label = f"{big_clients * 500:,}/{big_clients:,} clients"
        for size, label in (("small", "1,000 entries/2 clients"), ("big", big_label)):
            values = times[(name, size)]
            print(f"{name:<12}{label:<26}{statistics.median(values):>9.2f}{percentile(values, 0.99):>9.2f}")
    for name in names:
        small_t, big_t = times[(name, "small")], times[(name, "big")]
        print(f"{name}: big/small p50 {statistics.median(big_t) / statistics.median(small_t):.2f}x, "
              f"p99 {percentile(big_t, 0.99) / percentile(small_t, 0.99):.2f}x (goal: within 2x)")


def export_memory(dbs: Databases, folder: Path, sizes: list[int]) -> None:
    info = seed(dbs.url("export"), 0, 0, sizes, "export clients          ")
    print("\nexport.csv, each on a fresh server warmed with one small request")
    print(f"{'entries':>9}{'bytes':>13}{'seconds':>9}{'RSS before MB':>15}{'peak RSS MB':>13}{'peak - before':>15}")
    for size in sizes:
        client_id = info["extra_client_ids"][str(size)]
        with Server(info["url"], folder) as server:
            client = Client(server.port, token_for(info))
            client.timed(f"/api/progress?client_id={client_id}&limit=20")
            before = server.memory_kb()
            started = time.perf_counter()
            status, body = client.request_json(f"/api/progress/export.csv?client_id={client_id}")
            seconds = time.perf_counter() - started
            assert status == 200 and body.count(b"\r\n") == size + 1, (status, body[:200])
            after = server.memory_kb()
        print(f"{size:>9,}{len(body):>13,}{seconds:>9.2f}{before['VmRSS'] / 1024:>15.1f}"
              f"{after['VmHWM'] / 1024:>13.1f}{(after['VmHWM'] - before['VmRSS']) / 1024:>15.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="measured requests per path and database")
    parser.add_argument("--export-sizes", type=int, nargs="+", default=[100, 10_000, 100_000])
    parser.add_argument("--big-clients", type=int, default=2000, help="clients of 500 entries in the big database")
    parser.add_argument("--postgres", help="a PostgreSQL server URL to run on instead of SQLite files")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite files and server logs")
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="elior-bench-progress-"))
    dbs = Databases(folder, arguments.postgres)
    print(f"database: {'PostgreSQL ' + urlsplit(arguments.postgres).netloc if arguments.postgres else 'SQLite'}; "
          f"files and logs in {folder}")
    try:
        scaling(dbs, folder, arguments.requests, arguments.big_clients)
        export_memory(dbs, folder, arguments.export_sizes)
    finally:
        dbs.drop()
        if not arguments.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
