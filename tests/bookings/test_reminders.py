"""Reminders REMINDER_HOURS (24) before a session: sent once, again after a move, never for a cancelled place, with
a mail when mail is on; and once across two server processes sweeping the same database at the same moment. Also
the expiry sweep: what is left of a package past its date leaves the balance once."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

from starlette.testclient import TestClient

from elior.bookings import jobs
from elior.settings import Settings
from tests.bookings.world import UTC, balance, book, give_credits, iso, make_type, ok, set_week
from tests.helpers import Studio, make_person, run
from tests.live_server import ROOT, environment

TUESDAY_10 = dt.datetime(2026, 3, 24, 9, 0, tzinfo=UTC)
ALL_WEEK = [{"weekday": d, "start": "00:00", "end": "24:00"} for d in range(7)]


def sweep(client: TestClient, at: dt.datetime) -> list[int]:
    return run(client, jobs.send_reminders, client.app.state, at)  # type: ignore[attr-defined,no-any-return]


def reminded_at(client: TestClient, studio: Studio, appointment: dict[str, Any]) -> str | None:
    return ok(client.get(f"/api/appointments/{appointment['id']}", headers=studio.admin.headers))["reminded_at"]


def test_a_session_is_reminded_once_a_day_before(client: TestClient, studio: Studio,
                                                  now: Callable[[dt.datetime], None]) -> None:
    kind = make_type(client, studio.admin, uses_credit=False)
    set_week(client, studio.trainer_a)
    first = ok(book(client, studio.client_a1, kind, TUESDAY_10), 201)
    later = ok(book(client, studio.client_a1, kind, TUESDAY_10 + dt.timedelta(days=2)), 201)
    cancelled = ok(book(client, studio.client_a2, kind, TUESDAY_10 + dt.timedelta(hours=2)), 201)
    ok(client.post(f"/api/appointments/{cancelled['id']}/cancel", headers=studio.client_a2.headers))
    assert sweep(client, TUESDAY_10 - dt.timedelta(hours=25)) == []  # not yet
    assert sweep(client, TUESDAY_10 - dt.timedelta(hours=23)) == [first["id"]]
    assert sweep(client, TUESDAY_10 - dt.timedelta(hours=22)) == []  # once
    assert reminded_at(client, studio, first) == iso(TUESDAY_10 - dt.timedelta(hours=23))
    assert reminded_at(client, studio, later) is None
    now(TUESDAY_10 - dt.timedelta(hours=30))
    move = {"starts_at": iso(TUESDAY_10 + dt.timedelta(hours=5))}
    moved = ok(client.post(f"/api/appointments/{first['id']}/reschedule", json=move, headers=studio.trainer_a.headers))
    assert moved["reminded_at"] is None  # a new time is a new reminder
    assert sweep(client, TUESDAY_10) == [first["id"]]
    assert sweep(client, TUESDAY_10 + dt.timedelta(hours=2, minutes=1)) == []  # the cancelled one never


def test_a_reminder_is_mailed_when_mail_is_on(client: TestClient, studio: Studio, settings: Settings,
                                              now: Callable[[dt.datetime], None]) -> None:
    kind = make_type(client, studio.admin, uses_credit=False, name="Mobility")
    set_week(client, studio.trainer_a)
    booked = ok(book(client, studio.client_a1, kind, TUESDAY_10), 201)
    state = client.app.state  # type: ignore[attr-defined]
    state.settings = settings.with_overrides(smtp_host="127.0.0.1", smtp_port=9, mail_from="studio@example.test")
    assert sweep(client, TUESDAY_10 - dt.timedelta(hours=1)) == [booked["id"]]
    mails = run(client, state.db.raw.fetch_all, "SELECT recipient, subject, text_body FROM mail_queue")
    assert [(m["recipient"], m["subject"]) for m in mails] == [(studio.client_a1.email, "Reminder: Mobility")]
    assert "Tue 24 Mar 2026, 10:00 (Europe/Berlin)" in mails[0]["text_body"]


def test_a_reminder_notifies_the_client(client: TestClient, studio: Studio,
                                        now: Callable[[dt.datetime], None]) -> None:
    kind = make_type(client, studio.admin, uses_credit=False)
    set_week(client, studio.trainer_a)
    ok(book(client, studio.client_a1, kind, TUESDAY_10), 201)
    sweep(client, TUESDAY_10 - dt.timedelta(hours=1))
    notes = ok(client.get("/api/notifications", headers=studio.client_a1.headers))["items"]
    assert [n["type"] for n in notes] == ["appointment.reminder"]


def test_two_processes_remind_each_session_once(client: TestClient, studio: Studio, database_url: str,
                                                tmp_path: Path) -> None:
    """Forty places starting within the day; two real processes (the whole app each) claim at the same moment, one
    place per transaction. Each place is reminded by exactly one of them, and mailed exactly once."""
    kind = make_type(client, studio.admin, name="Circuit", duration_minutes=30, capacity=10, uses_credit=False)
    set_week(client, studio.trainer_a, ALL_WEEK)
    people = [make_person(client, "client", trainer=studio.trainer_a) for _ in range(10)]
    soon = dt.datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=2)
    booked = {ok(book(client, person, kind, soon + dt.timedelta(hours=hour)), 201)["id"]
              for hour in range(4) for person in people}
    at = time.time() + 8  # both processes are up by then
    env = environment(database_url, tmp_path)
    workers = [subprocess.Popen([sys.executable, "-m", "tests.bookings.reminder_worker", "--database-url",
                                 database_url, "--data-dir", str(tmp_path / f"w{n}"), "--at", str(at)],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for n in range(2)]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), [err.decode()[-2000:] for _, err in outputs]
    claims = [set(json.loads(out.decode().strip().splitlines()[-1])) for out, _ in outputs]
    assert claims[0].isdisjoint(claims[1])
    assert claims[0] | claims[1] <= booked
    db = client.app.state.db  # type: ignore[attr-defined]
    mails = run(client, db.raw.fetch_all, "SELECT recipient FROM mail_queue WHERE subject = 'Reminder: Circuit'")
    assert len(mails) == len(booked) == 40
    assert sorted(m["recipient"] for m in mails) == sorted(p.email for p in people for _ in range(4))
    listed = ok(client.get(f"/api/appointments?trainer_id={studio.trainer_a.id}&limit=100",
                           headers=studio.admin.headers))["items"]
    assert all(a["reminded_at"] is not None for a in listed)
    print(f"reminders claimed per process: {len(claims[0])} and {len(claims[1])}")


def test_what_is_left_of_an_expired_package_is_written_off_once(client: TestClient, studio: Studio,
                                                                now: Callable[[dt.datetime], None]) -> None:
    kind = make_type(client, studio.admin)
    set_week(client, studio.trainer_a)
    give_credits(client, studio.trainer_a, studio.client_a1, kind, credits=3, expires_on="2026-03-25")
    give_credits(client, studio.trainer_a, studio.client_a1, kind, credits=2)
    ok(book(client, studio.client_a1, kind, TUESDAY_10), 201)  # from the package that expires first
    state = client.app.state  # type: ignore[attr-defined]
    assert run(client, jobs.expire_packages, state, dt.date(2026, 3, 25)) == 0  # valid through its last day
    assert run(client, jobs.expire_packages, state, dt.date(2026, 3, 26)) == 2
    assert run(client, jobs.expire_packages, state, dt.date(2026, 3, 27)) == 0
    assert balance(client, studio.client_a1, kind) == 2
    kinds = [m["kind"] for m in ok(client.get("/api/credits/ledger", headers=studio.client_a1.headers))["items"]]
    assert kinds == ["expire", "hold", "grant", "grant"]
