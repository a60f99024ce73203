"""What every benchmark script here shares: a free loopback port, a small JSON client, a process's CPU time."""
from __future__ import annotations

import http.client
import json
import os
import socket
from typing import Any


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now (benchmarks only ever bind loopback)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Client:
    """One keep-alive connection to the server under test, JSON in and out (for seeding, not for load)."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method: str, path: str, body: Any = None, token: str | None = None,
             expect: int | None = None) -> Any:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.connection.request(method, path, None if body is None else json.dumps(body), headers)
        response = self.connection.getresponse()
        content = response.read()
        if expect is not None and response.status != expect:
            raise SystemExit(f"{method} {path}: expected {expect}, got {response.status}: {content[:300]!r}")
        return json.loads(content) if content else None

    def close(self) -> None:
        self.connection.close()


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process (all its threads) so far, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as handle:
        # The command name (field 2) may hold spaces; utime and stime are fields 14 and 15, counted after it.
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_ticks() -> tuple[int, int]:
    """(ticks stolen by the hypervisor, all ticks) of every CPU so far, from /proc/stat's first line: on a shared
    virtual machine a run whose steal is high waited for the host, whatever the server did (`steal_share`)."""
    with open("/proc/stat") as handle:
        values = [int(x) for x in handle.readline().split()[1:9]]  # user nice system idle iowait irq softirq steal
    return values[7], sum(values)


def steal_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    """The share of the machine's CPU time stolen between two `cpu_ticks` readings."""
    return (after[0] - before[0]) / max(after[1] - before[1], 1)
