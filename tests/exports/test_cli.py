"""`python -m elior export --client ID FILE.zip` and `--all FILE.zip`, run as the studio owner runs them: the same
archive as the API's, a progress bar on stderr, the studio's ZIP of client ZIPs with checksums, no overwriting."""
from __future__ import annotations

import asyncio
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

from bench.export import seed
from elior.db.database import Database
from elior.db.migrations import migrate
from elior.settings import Settings
from tests.live_server import ROOT, environment

KEY = "42" * 32


async def _seed(url: str, data_dir: Path) -> list[int]:
    db = Database(url)
    await db.connect()
    try:
        await migrate(db)
        settings = Settings(database_url=url, data_dir=data_dir, upload_dir=data_dir / "uploads",
                            file_encryption_key=KEY)
        return [await seed(db, settings, workouts=30, photos=3, photo_kb=20) for _ in range(2)]
    finally:
        await db.disconnect()


def elior(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "elior", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_export_one_client_and_the_whole_studio(database_url: str, tmp_path: Path) -> None:
    first, second = asyncio.run(_seed(database_url, tmp_path))
    env = environment(database_url, tmp_path, FILE_ENCRYPTION_KEY=KEY)
    out = tmp_path / "one.zip"
    done = elior(env, "export", "--client", str(first), str(out))
    assert done.returncode == 0, done.stderr
    assert "100.0% client" in done.stderr and f"export written to {out}" in done.stdout
    with zipfile.ZipFile(out) as archive:
        data = json.loads(archive.read("data.json"))
        assert data["client_id"] == first and len(data["tables"]["workouts"]) == 30
        assert len([n for n in archive.namelist() if n.startswith("files/")]) == 3
    again = elior(env, "export", "--client", str(first), str(out))
    assert again.returncode == 1 and "exists" in again.stderr
    assert elior(env, "export", "--client", "999999", str(tmp_path / "none.zip")).returncode == 1
    assert not (tmp_path / "none.zip").exists()

    studio = tmp_path / "studio.zip"
    done = elior(env, "export", "--all", str(studio))
    assert done.returncode == 0, done.stderr
    assert "100.0% 2 client(s)" in done.stderr
    with zipfile.ZipFile(studio) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        listed = json.loads(archive.read("studio.json"))
        assert [c["client_id"] for c in listed["clients"]] == [first, second]
        assert set(manifest["files"]) == set(archive.namelist()) - {"manifest.json"}
        for name, digest in manifest["files"].items():
            assert hashlib.sha256(archive.read(name)).hexdigest() == digest
        inner = zipfile.ZipFile(io.BytesIO(archive.read(f"clients/{second}.zip")))
        assert json.loads(inner.read("data.json"))["client_id"] == second
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary file left
