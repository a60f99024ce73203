"""Fuzzing: schemathesis against the running server's own /openapi.json, signed in as a trainer and as a client.

Every default check of schemathesis runs: no 5xx, every status and body documented, valid input accepted, invalid
input refused, 405 with a correct Allow header for undeclared methods, and so on. A failure prints schemathesis's
report with a `curl` line for each case. The run is bounded (examples per operation, a fixed seed) to stay within a
couple of minutes for both roles.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from tests.live_server import ROOT, Server, environment, signed_in_user, start

pytest.importorskip("schemathesis", reason="schemathesis is not installed (pip install -r requirements-dev.txt)")

MAX_EXAMPLES = "12"
SEED = "20261127"
# Operations that end the caller's own session: after them every other case would only see 401.
SESSION_ENDING = ("/api/auth/logout", "/api/auth/password")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, postgres_url: str | None) -> Iterator[tuple[Server, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("fuzz")
    url = postgres_url or f"sqlite:///{folder / 'elior.db'}"
    if postgres_url is not None:
        from tests.conftest import _truncate
        import asyncio

        asyncio.run(_truncate(postgres_url))
    trainer_id, trainer_token = signed_in_user(url, "trainer")
    _, client_token = signed_in_user(url, "client", trainer_id=trainer_id)
    server = start(environment(url, folder), folder / "server.log")
    try:
        yield server, {"trainer": trainer_token, "client": client_token}
    finally:
        server.terminate()
        if postgres_url is not None:
            from tests.conftest import _truncate
            import asyncio

            asyncio.run(_truncate(postgres_url))


@pytest.mark.slow
@pytest.mark.parametrize("role", ["trainer", "client"])
def test_schemathesis_finds_nothing(live: tuple[Server, dict[str, str]], role: str, tmp_path: Path) -> None:
    server, tokens = live
    command = [sys.executable, "-m", "schemathesis.cli", "run", f"{server.base_url}/openapi.json",
               "--header", f"Authorization: Bearer {tokens[role]}", "--max-examples", MAX_EXAMPLES, "--seed", SEED,
               "--workers", "2", "--request-timeout", "20", "--no-color", "--generation-database", "none",
               "--exclude-path", "/api/test/writes"]
    for path in SESSION_ENDING:
        command += ["--exclude-path", path]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    report = result.stdout[-20000:] + result.stderr[-3000:]
    assert result.returncode == 0, f"schemathesis as {role} found failures:\n{report}"
    assert "Tested:" in result.stdout and server.process.poll() is None
