"""The import tests' world: a client with data in every domain, built through the API; a second, empty Elior to
import into; the real export of a client (elior/exports/writer.py); and the round trip's comparison, which maps the
second archive's ids back through the import's id map. No tests here: tests/exports/test_import*.py use these."""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import uuid
import zipfile
from pathlib import Path
from typing import Any, Iterator

import orjson
from starlette.testclient import TestClient

from elior import clock
from elior.app import create_app
from elior.exports import writer
from elior.exports.importer import Result
from elior.exports.tables import TABLES
from elior.notifications.preferences import KINDS
from elior.settings import Settings
from tests import samples
from tests.bookings.world import book, give_credits, make_type, set_week
from tests.conversations.test_checkins import QUESTIONS
from tests.conversations.world import send
from tests.helpers import Person, Studio, make_person, run
from tests.nutrition.test_meal_plans import plan_body
from tests.programs.world import assign, make_program
from tests.training_world import a1_workout, log_body

KEY = "11" * 32  # FILE_ENCRYPTION_KEY of the source; the target gets another, so every file is sealed anew


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def upload(client: TestClient, who: Person, data: bytes, purpose: str, client_id: int | None = None) -> str:
    fields = {"purpose": purpose, **({"client_id": str(client_id)} if client_id is not None else {})}
    response = client.post("/api/files/upload", headers=who.headers, data=fields,
                           files={"file": ("photo.png", data, "image/png")})
    return ok(response, 201)["filename"]  # type: ignore[no-any-return]


def build_client(client: TestClient, studio: Studio) -> Person:
    """Client A1 of trainer A, with rows in every table an export writes (test_round_trip checks that it is so)."""
    a1, trainer, admin = studio.client_a1, studio.trainer_a, studio.admin
    today = clock.now().date()
    ok(client.put(f"/api/users/{a1.id}", json={"profile": {"phone": "+49 30 1234", "goals": "=SUM(A1) run 10k",
                                                        "height_cm": 180.5, "date_of_birth": "1990-05-01"}},
                  headers=trainer.headers))
    squat, workout = a1_workout(client, studio)
    ok(client.post(f"/api/workouts/{workout['id']}/log", json=log_body(squat["id"], (5, 100), (5, 102.5), rating=4),
                   headers=a1.headers), 201)
    ok(client.post(f"/api/workouts/{workout['id']}/comments", json={"body": "Strong sets"}, headers=trainer.headers),
       201)
    plan = ok(client.post("/api/meal-plans", json=plan_body(a1.id), headers=trainer.headers), 201)
    meal_photo = upload(client, a1, samples.png(width=6, height=5), "meal_photo")
    ok(client.post(f"/api/meal-plans/{plan['id']}/entries", headers=a1.headers,
                   json={"date": today.isoformat(), "meal_name": "Lunch", "photo_file": meal_photo, "kcal": 640}), 201)
    photos = [upload(client, a1, samples.png(width=4 + n, height=4), "progress_photo") for n in range(2)]
    ok(client.post("/api/progress", json={"date": today.isoformat(), "weight_kg": 81.2, "photo_files": photos,
                                          "notes": "@home"}, headers=a1.headers), 201)
    attached = upload(client, trainer, samples.jpeg(), "progress_photo", client_id=a1.id)
    upload(client, trainer, samples.pdf(), "document", client_id=a1.id)
    send(client, a1, a1.id, "Hello coach")
    reply = send(client, trainer, a1.id, "See the photo", attachments=[attached])
    for reader in (a1, trainer):
        ok(client.post(f"/api/conversations/{a1.id}/read", json={"message_id": reply["id"]}, headers=reader.headers),
           204)
    habit = ok(client.post("/api/habits", json={"client_id": a1.id, "title": "Walk"}, headers=trainer.headers), 201)
    ok(client.put(f"/api/habits/{habit['id']}/ticks/{today.isoformat()}", json={}, headers=a1.headers))
    template = ok(client.post("/api/check-in-templates", json={"title": "Weekly", "questions": QUESTIONS},
                              headers=trainer.headers), 201)
    ok(client.put(f"/api/check-ins/schedules/{a1.id}", json={"template_id": template["id"], "cadence": "every_n_days",
                                                             "every_days": 1}, headers=trainer.headers))
    check_photo = upload(client, a1, samples.png(width=7, height=7), "progress_photo")
    by_kind = {q["kind"]: q["id"] for q in template["questions"]}
    answers = [{"question_id": by_kind["scale"], "value": 7}, {"question_id": by_kind["number"], "value": 81.5},
               {"question_id": by_kind["text"], "value": "+ slept well"}, {"question_id": by_kind["yes_no"],
                                                                          "value": True},
               {"question_id": by_kind["photo"], "value": check_photo}]
    ok(client.post("/api/check-ins", json={"answers": answers}, headers=a1.headers), 201)
    program = make_program(client, trainer)
    assign(client, trainer, program["id"], [a1.id], start=today + dt.timedelta(days=7))
    ok(client.put("/api/notifications/settings", json={"muted": ["habit"]}, headers=a1.headers))
    ok(client.put("/api/notification-preferences", json={KINDS[0]: "daily"}, headers=a1.headers))
    kind = make_type(client, admin)
    set_week(client, trainer, [{"weekday": day, "start": "00:00", "end": "23:59"} for day in range(7)])
    give_credits(client, trainer, a1, kind)
    starts = dt.datetime.combine(today + dt.timedelta(days=3), dt.time(10, 0), tzinfo=dt.timezone.utc)
    ok(book(client, a1, kind, starts), 201)
    return a1


async def export_to(db: Any, settings: Settings, client_id: int, out: Path) -> Path:
    await writer.write_client(db, settings, client_id, out)
    return out


def export(client: TestClient, client_id: int, out: Path) -> Path:
    app: Any = client.app
    return run(client, export_to, app.state.db, app.state.settings, client_id, out)  # type: ignore[no-any-return]


@contextlib.contextmanager
def elior(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url="http://testserver", raise_server_exceptions=False) as started:
        yield started


def target_settings(base: Settings, root: Path, database_url: str | None = None, key: str | None = "22" * 32
                    ) -> Settings:
    """A second Elior: its own data folder, database (SQLite unless given) and encryption key."""
    root.mkdir(parents=True, exist_ok=True)
    return base.with_overrides(database_url=database_url or f"sqlite:///{root / 'elior.db'}", data_dir=root,
                               upload_dir=root / "uploads", file_encryption_key=key)


def counts(client: TestClient) -> dict[str, int]:
    """Rows in every table of the database, and files in the upload folder: what a refused import must not change."""
    app: Any = client.app
    db = app.state.db

    async def count() -> dict[str, int]:
        query = ("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                 if db.dialect == "sqlite" else "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'")
        names = [row["name"] for row in await db.raw.fetch_all(query)]
        return {name: (await db.raw.fetch_one(f"SELECT COUNT(*) AS n FROM {name}"))["n"] for name in names}

    found = run(client, count)
    uploads = app.state.settings.upload_dir
    found["(upload files)"] = sum(1 for p in uploads.rglob("*") if p.is_file()) if uploads.exists() else 0
    return found  # type: ignore[no-any-return]


def read(archive: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """data.json, and the SHA-256 of each file's bytes by the file's original id."""
    with zipfile.ZipFile(archive) as opened:
        data = orjson.loads(opened.read("data.json"))
        shas = {int(name.split("/")[1].split("-")[0]): hashlib.sha256(opened.read(name)).hexdigest()
                for name in opened.namelist() if name.startswith("files/")}
    return data, shas


def normalised(data: dict[str, Any], result: Result | None = None) -> dict[str, list[dict[str, Any]]]:
    """An archive's tables, rows sorted; with `result`, every id and filename mapped through that import's id map,
    so the first archive reads as the second should: a reference to a user the import did not map becomes NULL."""
    out: dict[str, list[dict[str, Any]]] = {}
    for table in TABLES:
        rows = []
        for row in data["tables"].get(table.name, []):
            row = dict(row)
            if result is not None:
                if table.generated:
                    row["id"] = result.ids[table.name][row["id"]]
                if table.name == "files":
                    row["filename"] = result.ids["files.filename"][row["filename"]]
                for column, target in {**table.foreign, **table.loose}.items():
                    if row.get(column) is not None:
                        row[column] = result.ids[target].get(row[column])
            rows.append(row)
        out[table.name] = sorted(rows, key=lambda r: orjson.dumps(r, option=orjson.OPT_SORT_KEYS))
    return out


def new_email() -> str:
    return f"moved-{uuid.uuid4().hex[:8]}@example.test"


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in entries.items():
            out.writestr(name, data)
    return buffer.getvalue()


def entries_of(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as opened:
        return {name: opened.read(name) for name in opened.namelist()}


def with_manifest(entries: dict[str, bytes]) -> dict[str, bytes]:
    """The entries with a manifest.json that matches them (what a careful forger would write)."""
    files = {name: hashlib.sha256(data).hexdigest() for name, data in entries.items() if name != "manifest.json"}
    return {**entries, "manifest.json": orjson.dumps({"schema_version": 1, "files": files})}


def make_trainer(client: TestClient) -> Person:
    return make_person(client, "trainer", full_name="New Trainer")
