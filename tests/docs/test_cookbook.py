"""docs/cookbook.md runs as written: every ```sh block, in order, in one bash session, against a fresh server.

The server is started with the page's own command (its ```console block), on a free port, an empty data folder and
an empty database (SQLite, or a database of its own on ELIOR_TEST_DATABASE_URL's PostgreSQL). The blocks run under
`set -euo pipefail` with `BASE` exported, so a block whose curl fails (`--fail-with-body`) or whose pipe breaks stops
the session there. What each block prints is compared with the ```text block shown under it on the page, where
`...` stands for what changes from run to run.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import httpx2 as httpx
import pytest

from tests.live_server import free_port, stop_process

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "cookbook.md"
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
# What the page must show, as (why, a pattern over the text of its sh blocks).
REQUIRED = [
    ("login", r'"\$BASE/api/auth/login"'), ("form login", r"--data-urlencode username="),
    ("me", r'"\$BASE/api/auth/me"'), ("invites", r'"\$BASE/api/invites"'),
    ("register", r'"\$BASE/api/auth/register"'), ("exercise", r'"\$BASE/api/exercises"'),
    ("workout", r'"\$BASE/api/workouts"'), ("log", r"/api/workouts/\$MONDAY/log"),
    ("history", r"/history\?client_id="), ("meal plan", r'"\$BASE/api/meal-plans"'),
    ("meal entry", r"/api/meal-plans/\$PLAN/entries\""), ("review", r"/entries/\$ENTRY/review"),
    ("adherence", r"/adherence"), ("progress", r'"\$BASE/api/progress"'), ("summary", r"/api/progress/summary"),
    ("CSV export", r"/api/progress/export\.csv"), ("upload", r"/api/files/upload"),
    ("signed download", r'"\$BASE\$URL"'),
    ("notifications", r"/api/notifications"), ("refresh", r'"\$BASE/api/auth/refresh"'),
    ("logout", r'"\$BASE/api/auth/logout"'), ("a 422", r"invalid\.json"), ("a 404", r"/api/workouts/999"),
]


@dataclass
class Block:
    language: str
    code: str
    output: str | None  # the ```text block right under it, if any


def blocks(text: str) -> list[Block]:
    """The page's fenced blocks in order; a ```text block right after another block is that block's output."""
    found: list[Block] = []
    end = 0
    for match in FENCE.finditer(text):
        language = match.group(1).strip().split(" ")[0]
        follows = text[end:match.start()].strip() == ""
        if language == "text" and follows and found and found[-1].output is None:
            found[-1].output = match.group(2)
        else:
            found.append(Block(language, match.group(2), None))
        end = match.end()
    return found


def shell_blocks() -> list[Block]:
    return [block for block in blocks(PAGE.read_text()) if block.language == "sh"]


def server_command() -> tuple[dict[str, str], list[str]]:
    """The environment and the command of the page's server start (`$ NAME=value ... python3 -m elior`)."""
    lines = [line[2:] for block in blocks(PAGE.read_text()) if block.language == "console"
             for line in block.code.splitlines() if line.startswith("$ ") and "-m elior" in line]
    assert len(lines) == 1, f"docs/cookbook.md must start its server with one `$ ... python3 -m elior` line: {lines}"
    words = shlex.split(lines[0])
    env = {}
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    return env, words


def normalise(text: str) -> str:
    """Trailing spaces and blank edges dropped; `80.0` read as `80` (jq 1.6 prints the one, jq 1.7 the other)."""
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    return re.sub(r"(?<![\d.])(-?\d+)\.0(?![\d.])", r"\1", "\n".join(lines).strip("\n"))


def matches(expected: str, actual: str) -> bool:
    pattern = ".*?".join(re.escape(part) for part in normalise(expected).split("..."))
    return re.fullmatch(pattern, normalise(actual), re.DOTALL) is not None


def test_cookbook_covers_the_studio_day() -> None:
    code = "\n".join(block.code for block in shell_blocks())
    missing = [why for why, pattern in REQUIRED if not re.search(pattern, code)]
    assert missing == [], f"docs/cookbook.md shows no example of: {missing}"


def test_cookbook_curl_calls_show_their_failures() -> None:
    """Each curl either fails the session on an HTTP error (--fail-with-body) or prints the status it got."""
    for block in shell_blocks():
        for line in re.sub(r"\\\n", " ", block.code).splitlines():  # one logical line per command
            if re.search(r"\bcurl\s", line) and not line.lstrip().startswith("#"):
                assert "--fail-with-body" in line or "%{http_code}" in line, f"a curl that hides failures: {line}"
        code = block.code.replace("BASE=${BASE:-http://127.0.0.1:8000}", "")
        assert "http://" not in code and "https://" not in code, f"use $BASE, not a fixed address:\n{block.code}"


@pytest.fixture
def cookbook_server(empty_database_url: str, tmp_path: Path) -> Iterator[str]:
    for tool in ("bash", "curl", "jq"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is missing (CI installs it: .ci/run)")
    page_env, command = server_command()
    assert command[:3] == ["python3", "-m", "elior"], command
    port = free_port()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("ELIOR_", "DATABASE_URL", "UPLOAD_DIR", "SECRET_KEY", "RATE_LIMIT"))}
    # The page's environment, with this test's data folder, database and port; bcrypt at cost 4 (the same code).
    env.update(page_env, ELIOR_DATA_DIR=str(tmp_path / "data"), DATABASE_URL=empty_database_url, PORT=str(port),
               BCRYPT_ROUNDS="4", PYTHONPATH=str(ROOT))
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, *command[1:]], cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"the server exited:\n{log_path.read_text()[-3000:]}"
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not answer /health within 30 s"
            time.sleep(0.1)
        yield base
    finally:
        stop_process(process)


def test_cookbook_runs_as_written(cookbook_server: str, tmp_path: Path) -> None:
    steps = shell_blocks()
    assert len(steps) > 10, "docs/cookbook.md has lost its examples"
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "tmp").mkdir()
    script = ["set -euo pipefail", f"export BASE={shlex.quote(cookbook_server)}"]
    for number, step in enumerate(steps):
        # A brace group, not a subshell: variables and `cd` carry over to the next block, as in a reader's shell.
        script += [f"{{\n{step.code}\n}} > {out}/{number}.out 2> {out}/{number}.err", f"echo 'block {number} ok'"]
    (tmp_path / "cookbook.sh").write_text("\n".join(script) + "\n")
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}  # the page's `mktemp -d` lands in this test's folder
    run = subprocess.run(["bash", str(tmp_path / "cookbook.sh")], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=240)
    finished = len(re.findall(r"^block \d+ ok$", run.stdout, re.MULTILINE))
    if finished < len(steps):
        printed = (out / f"{finished}.out").read_text() if (out / f"{finished}.out").exists() else ""
        errors = (out / f"{finished}.err").read_text() if (out / f"{finished}.err").exists() else ""
        pytest.fail(f"cookbook block {finished + 1} of {len(steps)} exited with {run.returncode}:\n"
                    f"{steps[finished].code}\n--- it printed:\n{printed}\n--- stderr:\n{errors}{run.stderr}")
    assert run.returncode == 0, run.stderr
    wrong = []
    for number, step in enumerate(steps):
        printed = (out / f"{number}.out").read_text()
        if step.output is not None and not matches(step.output, printed):
            wrong.append(f"block {number + 1}:\n{step.code}\n--- the page shows:\n{step.output}--- it printed:\n"
                         f"{printed}")
    assert wrong == [], "\n\n".join(wrong)


def test_matches_treats_dots_as_a_wildcard_and_nothing_else() -> None:
    assert matches('{"a":"...","b":80.0}', '{"a":"2025-03-03T00:00:00Z","b":80}')
    assert matches("one\n...\nfour", "one\ntwo\nthree\nfour")
    assert not matches('{"a":1}', '{"a":12}')
    assert not matches("204", "404")
