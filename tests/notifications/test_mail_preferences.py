"""E-mail notification preferences (issue 17) through a real SMTP server (aiosmtpd): `immediately` mails with the
write, `daily` in one digest a day (claimed once, with a clock the test moves), `never` and mail off send nothing."""
from __future__ import annotations

import asyncio
from typing import Any, Iterator

import pytest
from starlette.testclient import TestClient

from elior.app import create_app
from elior.notifications import digest
from elior.notifications.preferences import KINDS
from elior.settings import Settings
from tests.helpers import Studio, assert_error, make_person, run
from tests.mail.conftest import SENDER, MovableClock
from tests.mail.smtp_server import Inbox, smtp_server
from tests.training_world import make_workout

PREFERENCES = "/api/notification-preferences"


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    handler = Inbox()
    with smtp_server(handler) as port:
        handler.port = port  # type: ignore[attr-defined]
        yield handler


@pytest.fixture
def settings(settings: Settings, inbox: Inbox) -> Settings:
    return settings.with_overrides(smtp_host="127.0.0.1", smtp_port=inbox.port,  # type: ignore[attr-defined]
                                   smtp_starttls=False, mail_from=SENDER, smtp_timeout=10.0, rate_limit_per_minute=0,
                                   mail_poll_seconds=0.2)


@pytest.fixture
def moving_clock(monkeypatch: pytest.MonkeyPatch) -> MovableClock:
    return MovableClock(monkeypatch)


def queued(client: TestClient) -> int:
    counts = run(client, client.app.state.db.fetch_one, "mail.queue.counts")  # type: ignore[attr-defined]
    return int(counts["queued"]) + int(counts["sent"]) + int(counts["failed"])


def test_every_kind_defaults_to_never(client: TestClient, studio: Studio) -> None:
    response = client.get(PREFERENCES, headers=studio.client_a1.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["mail_enabled"] is True
    assert body["preferences"] == {kind: "never" for kind in KINDS}
    assert "workout.created" in KINDS and "progress.created" in KINDS


def test_put_changes_only_the_kinds_named(client: TestClient, studio: Studio) -> None:
    headers = studio.client_a1.headers
    response = client.put(PREFERENCES, headers=headers, json={"workout.created": "immediately",
                                                              "workout.updated": "daily"})
    assert response.status_code == 200, response.text
    again = client.put(PREFERENCES, headers=headers, json={"workout.updated": "never"}).json()["preferences"]
    assert again["workout.created"] == "immediately" and again["workout.updated"] == "never"
    # Another user's preferences are their own.
    other = client.get(PREFERENCES, headers=studio.client_a2.headers).json()["preferences"]
    assert other["workout.created"] == "never"


@pytest.mark.parametrize("body", [{"workout.exploded": "daily"}, {"workout.created": "hourly"},
                                  {"workout.created": None}, {"workout.created": 3}])
def test_bad_preferences_are_a_422_and_change_nothing(client: TestClient, studio: Studio,
                                                      body: dict[str, Any]) -> None:
    headers = studio.client_a1.headers
    client.put(PREFERENCES, headers=headers, json={"workout.created": "daily"})
    assert_error(client.put(PREFERENCES, headers=headers, json={**body, "workout.updated": "daily"}), 422)
    prefs = client.get(PREFERENCES, headers=headers).json()["preferences"]
    assert prefs["workout.created"] == "daily" and prefs["workout.updated"] == "never"


def test_immediately_mails_the_notification_with_its_write(client: TestClient, studio: Studio,
                                                           inbox: Inbox) -> None:
    client.put(PREFERENCES, headers=studio.client_a1.headers, json={"workout.created": "immediately"})
    make_workout(client, studio.trainer_a, studio.client_a1.id, title="Hill sprints")
    [message] = inbox.wait_for(1)
    assert message["To"] == studio.client_a1.email
    assert "New workout: Hill sprints" in message["Subject"]
    assert "Hill sprints" in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    # Client A2 chose nothing: their workout mails nobody.
    make_workout(client, studio.trainer_a, studio.client_a2.id, title="Rowing")
    assert queued(client) == 1


def test_never_queues_nothing(client: TestClient, studio: Studio) -> None:
    client.put(PREFERENCES, headers=studio.client_a1.headers, json={"workout.created": "never"})
    make_workout(client, studio.trainer_a, studio.client_a1.id)
    assert queued(client) == 0


def test_with_mail_off_immediately_queues_nothing(settings: Settings) -> None:
    with TestClient(create_app(settings.with_overrides(smtp_host=None))) as client:
        trainer = make_person(client, "trainer")
        member = make_person(client, "client", trainer=trainer)
        response = client.put(PREFERENCES, headers=member.headers, json={"workout.created": "immediately"})
        assert response.status_code == 200 and response.json()["mail_enabled"] is False
        make_workout(client, trainer, member.id)
        assert queued(client) == 0


def test_the_daily_digest_lists_what_happened_since_the_last_one(client: TestClient, studio: Studio, inbox: Inbox,
                                                                 moving_clock: MovableClock) -> None:
    app: Any = client.app
    client.put(PREFERENCES, headers=studio.client_a1.headers, json={"workout.created": "daily"})
    moving_clock.move(seconds=5)
    make_workout(client, studio.trainer_a, studio.client_a1.id, title="Monday squats")
    make_workout(client, studio.trainer_a, studio.client_a1.id, title="Tuesday pulls")
    assert run(client, digest.sweep, app.state) == 0  # not a day yet
    moving_clock.move(hours=24)
    assert run(client, digest.sweep, app.state) == 1
    [message] = inbox.wait_for(1)
    assert message["To"] == studio.client_a1.email and "2 notifications" in message["Subject"]
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Monday squats" in text and "Tuesday pulls" in text
    # The next digest is a day later, and lists only what came after this one.
    assert run(client, digest.sweep, app.state) == 0
    moving_clock.move(hours=25)
    assert run(client, digest.sweep, app.state) == 0  # nothing new: no mail
    assert queued(client) == 1


def test_two_sweeps_at_once_send_one_digest(client: TestClient, studio: Studio, moving_clock: MovableClock) -> None:
    app: Any = client.app
    client.put(PREFERENCES, headers=studio.client_a1.headers, json={"workout.created": "daily"})
    moving_clock.move(seconds=5)
    make_workout(client, studio.trainer_a, studio.client_a1.id)
    moving_clock.move(hours=24, seconds=1)

    async def both() -> list[int]:
        return list(await asyncio.gather(digest.sweep(app.state), digest.sweep(app.state)))

    assert sorted(run(client, both)) == [0, 1]
    assert queued(client) == 1


def test_the_digest_waits_while_mail_is_off(client: TestClient, studio: Studio, moving_clock: MovableClock) -> None:
    app: Any = client.app
    client.put(PREFERENCES, headers=studio.client_a1.headers, json={"workout.created": "daily"})
    moving_clock.move(seconds=5)
    make_workout(client, studio.trainer_a, studio.client_a1.id)
    moving_clock.move(hours=25)
    mail_on = app.state.settings
    app.state.settings = mail_on.with_overrides(smtp_host=None)
    assert run(client, digest.sweep, app.state) == 0
    app.state.settings = mail_on
    assert run(client, digest.sweep, app.state) == 1
