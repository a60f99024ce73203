"""`python -m elior export --client ID FILE.zip` and `python -m elior export --all FILE.zip`: the admin's exports
from the shell, with a progress bar on stderr.

`--client` writes the same archive the API does (docs/data-export.md). `--all` writes the studio: one ZIP holding
`clients/<id>.zip`, each a client's archive as `--client` writes it (so `python -m elior import` takes any of them),
`studio.json` listing the clients, and `manifest.json` with every entry's SHA-256. Each client's archive is written
to a temporary file and copied in, so memory stays that of one client's export, whatever the studio's size.
"""
from __future__ import annotations

import hashlib
import sys
import time
import zipfile
from pathlib import Path
from typing import Any, TextIO

import orjson

from elior import clock
from elior.exports.tables import FORMAT_VERSION
from elior.exports.writer import ExportError, write_client
from elior.settings import Settings

CLIENT_PAGE = 200


class Bar:
    """A one-line progress bar: redrawn in place on a terminal, a line per 10 % step otherwise (logs, pipes)."""

    def __init__(self, out: TextIO, width: int = 30) -> None:
        self.out, self.width = out, width
        self.tty = out.isatty()
        self.last_draw, self.last_step = 0.0, -1

    def show(self, percent: float, label: str, final: bool = False) -> None:
        percent = max(0.0, min(100.0, percent))
        step = int(percent // 10)
        if self.tty:
            if not final and time.monotonic() - self.last_draw < 0.1:
                return
            filled = int(self.width * percent / 100)
            self.out.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {percent:5.1f}% {label}\033[K")
            if final:
                self.out.write("\n")
        elif step != self.last_step or final:
            self.out.write(f"{percent:5.1f}% {label}\n")
        self.last_draw, self.last_step = time.monotonic(), step
        self.out.flush()


async def _client_ids(db: Any) -> list[dict[str, Any]]:
    clients: list[dict[str, Any]] = []
    after = 0
    while True:
        rows = await db.fetch_all("exports.jobs.clients", after=after, limit=CLIENT_PAGE)
        clients.extend(dict(row) for row in rows)
        if len(rows) < CLIENT_PAGE:
            return clients
        after = rows[-1]["id"]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


async def export_studio(db: Any, settings: Settings, out: Path, bar: Bar) -> int:
    """The whole studio into `out`; how many clients it holds."""
    clients = await _client_ids(db)
    listed: list[dict[str, Any]] = []
    digests: dict[str, str] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for n, person in enumerate(clients):
            label = f"client {n + 1}/{len(clients)} (id {person['id']})"

            async def progress(value: int, n: int = n, label: str = label) -> None:
                bar.show((n + value / 100) * 100 / len(clients), label)

            part = out.with_name(f".{out.name}.client-{person['id']}")
            try:
                written = await write_client(db, settings, int(person["id"]), part, progress)
                entry = f"clients/{person['id']}.zip"
                archive.write(part, entry)  # the client archive is compressed already: stored as it is
                digests[entry] = _sha256(part)
            finally:
                part.unlink(missing_ok=True)
            listed.append({"client_id": person["id"], "email": person["email"], "full_name": person["full_name"],
                           "entry": entry, "rows": sum(written.counts.values()), "files": written.files})
        studio = {"schema_version": FORMAT_VERSION, "exported_at": clock.iso(clock.now()), "clients": listed}
        studio_bytes = orjson.dumps(studio, option=orjson.OPT_INDENT_2)
        archive.writestr("studio.json", studio_bytes, compress_type=zipfile.ZIP_DEFLATED)
        digests["studio.json"] = hashlib.sha256(studio_bytes).hexdigest()
        archive.writestr("manifest.json", orjson.dumps({"schema_version": FORMAT_VERSION, "files": digests},
                                                       option=orjson.OPT_INDENT_2))
    bar.show(100, f"{len(clients)} client(s)", final=True)
    return len(clients)


async def command(settings: Settings, file: str, client_id: int | None, everyone: bool) -> int:
    """The `export` subcommand; its exit status."""
    from elior.db.database import Database
    from elior.db.migrations import migrate

    out = Path(file)
    if out.exists():
        print(f"elior: {file} exists; choose a new file name", file=sys.stderr)
        return 1
    part = out.with_name(f".{out.name}.part")
    bar = Bar(sys.stderr)
    db = Database(settings.database_url)
    await db.connect()
    try:
        await migrate(db)
        if everyone:
            count = await export_studio(db, settings, part, bar)
            summary = f"{count} client(s)"
        else:
            assert client_id is not None

            async def progress(value: int) -> None:
                bar.show(value, f"client {client_id}")

            written = await write_client(db, settings, client_id, part, progress)
            bar.show(100, f"client {client_id}", final=True)
            summary = f"client {client_id}: {sum(written.counts.values())} row(s), {written.files} file(s)" + (
                f", {len(written.missing)} file(s) missing on disk" if written.missing else "")
        part.rename(out)
    except ExportError as error:
        print(f"elior: {error}", file=sys.stderr)
        return 1
    finally:
        part.unlink(missing_ok=True)
        await db.disconnect()
    print(f"export written to {file}: {summary}, {out.stat().st_size} bytes")
    return 0
