"""Fuzzing: schemathesis against a real server's own /openapi.json, signed in as a trainer, a client and an admin.

Every default check of schemathesis runs (no 5xx; every status, content type, header and body as documented; invalid
input refused; 405 with a correct Allow header for undeclared methods; no access without or after auth), except two
that judge the API by what a schema cannot say:
- positive_data_acceptance: a body that fits the schema can still break a rule across fields or with the stored data
  (`from` after `to`, a date in the future, a password over 72 bytes, a file that is not the caller's): a 422 there is
  the contract, not a failure;
- ensure_resource_availability: it guesses links (a created workout -> its log, which exists only once logged).
Dates and timestamps are drawn with extra weight on the calendar's edges (0001-01-01, 9999-12-31, offsets of +-23:59),
where date arithmetic overflows, and the rate limit is raised so that no 429 hides an answer.

A failure prints schemathesis's report with a `curl` line for each case. The run is bounded (examples per operation,
a fixed seed, each role on the operations it may call) to stay within about two minutes for the three roles.
One worker: with two threads, Hypothesis's `ast.parse` of strategy descriptions tripped CPython 3.11's "AST
constructor recursion depth mismatch" race and crashed schemathesis itself (seen once on PostgreSQL), which is no
finding about the API. Everything schemathesis
writes (its cache, its config) goes to the test's temporary folder: the working tree stays as it was.
"""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import httpx2 as httpx  # the pinned client (requirements-dev.txt); the API of httpx
import pytest

from tests.conftest import _truncate
from tests.live_server import ROOT, Server, environment, signed_in_user, start

pytest.importorskip("schemathesis", reason="schemathesis is not installed (pip install -r requirements-dev.txt)")

MAX_EXAMPLES = "12"
SEED = "20261127"
# Operations that end the caller's own session: after them every other case would only see 401.
# (DELETE /api/auth/sessions/{id} may name the fuzzer's own login.)
SESSION_ENDING = ("/api/auth/logout", "/api/auth/password", "/api/auth/sessions/{id}")
# The admin's run would delete the other roles' users and itself with this one, and then see only 401 or 404.
ADMIN_EXCLUDED = ("DELETE /api/users/{id}",)
ROLES = ("trainer", "client", "admin")

HOOKS = '''
"""Dates at the calendar's edge, mixed into schemathesis's own `date` and `date-time` values."""
import datetime as dt

import schemathesis
from hypothesis import strategies as st

EDGE_DAYS = ["0001-01-01", "0001-01-02", "9999-12-30", "9999-12-31", "2000-02-29", "1970-01-01"]
EDGE_MOMENTS = ["0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-23:59",
                "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+23:59"]


def moment(day: dt.date, seconds: int, offset_minutes: int) -> str:
    sign = "+" if offset_minutes >= 0 else "-"
    hours, minutes = divmod(abs(offset_minutes), 60)
    clock = dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60).isoformat()
    return f"{day.isoformat()}T{clock}{sign}{hours:02d}:{minutes:02d}"


schemathesis.openapi.format("date", st.one_of(st.sampled_from(EDGE_DAYS), st.dates().map(dt.date.isoformat)))
schemathesis.openapi.format("date-time", st.one_of(
    st.sampled_from(EDGE_MOMENTS),
    st.builds(moment, st.dates(), st.integers(0, 86399), st.integers(-1439, 1439))))
'''


def operations_for(document: dict[str, Any], role: str) -> list[str]:
    """What a role's run covers: every operation the role may call (its `x-roles`, or none: public or any signed-in
    user); for the admin only what no other role may call. A role refused by a route only ever gets the same 403
    from elior.web.routing, after the body and query checks that the other roles' runs already make."""
    chosen = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            allowed = operation.get("x-roles")
            if (allowed == ["admin"]) if role == "admin" else (allowed is None or role in allowed):
                chosen.append(f"{method.upper()} {path}")
    return sorted(set(chosen) - set(ADMIN_EXCLUDED if role == "admin" else ()))


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, postgres_url: str | None) -> Iterator[tuple[Server, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("fuzz")
    url = postgres_url or f"sqlite:///{folder / 'elior.db'}"
    if postgres_url is not None:
        asyncio.run(_truncate(postgres_url))  # the session's database: start from no rows
    trainer_id, trainer_token = signed_in_user(url, "trainer")
    _, client_token = signed_in_user(url, "client", trainer_id=trainer_id)
    _, admin_token = signed_in_user(url, "admin")
    # Raised, not off: the limiter stays in the path of every request, as in production.
    server = start(environment(url, folder, RATE_LIMIT_PER_MINUTE="1000000", RATE_LIMIT_BURST="1000000"),
                   folder / "server.log")
    try:
        yield server, {"trainer": trainer_token, "client": client_token, "admin": admin_token}
    finally:
        server.terminate()
        if postgres_url is not None:
            asyncio.run(_truncate(postgres_url))


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_schemathesis_finds_nothing(live: tuple[Server, dict[str, str]], role: str, tmp_path: Path) -> None:
    server, tokens = live
    cache = tmp_path / "cache"
    config = tmp_path / "schemathesis.toml"
    config.write_text(f'[cache]\ndirectory = "{cache}"\n')
    hooks = tmp_path / "edge_dates.py"
    hooks.write_text(HOOKS)
    existed = (ROOT / ".schemathesis").exists()
    command = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run",
               f"{server.base_url}/openapi.json", "--header", f"Authorization: Bearer {tokens[role]}",
               "--max-examples", MAX_EXAMPLES, "--seed", SEED, "--workers", "1", "--request-timeout", "20",
               "--no-color", "--generation-database", "none", "--exclude-path", "/api/test/writes",
               "--exclude-checks", "positive_data_acceptance,ensure_resource_availability"]
    for path in SESSION_ENDING:
        command += ["--exclude-path", path]
    chosen = operations_for(httpx.get(f"{server.base_url}/openapi.json", timeout=10).json(), role)
    assert len(chosen) >= 5
    for operation in chosen:
        command += ["--include-name", operation]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "SCHEMATHESIS_HOOKS": str(hooks)})
    # Generated strings can be megabytes: cut each line, so the report keeps every failure's heading.
    report = "\n".join(line[:400] for line in result.stdout.splitlines())[-20000:] + result.stderr[-3000:]
    assert result.returncode == 0, f"schemathesis as {role} found failures:\n{report}"
    assert "Tested:" in result.stdout and server.process.poll() is None
    # Its cache (when a run has something to keep) goes where the config says; nothing lands in the working tree.
    assert not (tmp_path / ".schemathesis").exists() and (ROOT / ".schemathesis").exists() == existed
