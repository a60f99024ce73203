"""GET /api/system/mail: the admin sees whether mail is on (and if not, what to set), the queue and the last error."""
from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest
from starlette.testclient import TestClient

from elior.app import create_app
from elior.mail import enqueue
from elior.mail.routes import ROUTES
from elior.mail.sender import MailSender
from elior.settings import Settings
from tests.helpers import assert_error, make_person, run
from tests.live_server import free_port


def serve(settings: Settings) -> TestClient:
    """The app, with the mail routes spliced in before the SPA's catch-all if the route table lacks them yet."""
    app = create_app(settings)
    if not any(getattr(route, "name", "") == "GET /api/system/mail" for route in app.router.routes):
        app.router.routes[-1:-1] = ROUTES
    return TestClient(app, base_url="http://testserver", raise_server_exceptions=False)


@pytest.fixture
def mail_client(mail_settings: Callable[..., Settings]) -> Iterator[TestClient]:
    with serve(mail_settings(free_port())) as client:  # nothing listens on that port: every attempt fails
        yield client


def test_status_with_mail_off_names_the_missing_setting(settings: Settings) -> None:
    with serve(settings) as client:
        admin = make_person(client, "admin")
        body = client.get("/api/system/mail", headers=admin.headers).json()
    assert body["enabled"] is False and body["reason"] == "SMTP_HOST is not set"
    assert body["queued"] == 0 and body["last_error"] is None


def test_status_counts_the_queue_and_shows_the_last_smtp_error(mail_client: TestClient) -> None:
    admin = make_person(mail_client, "admin")
    app: Any = mail_client.app
    db = app.state.db

    async def queue_two_and_try_once() -> None:
        async with db.transaction():
            await enqueue(db, "dana@example.test", "One", "text")
            await enqueue(db, "eve@example.test", "Two", "text")
        await MailSender(app.state.settings, db).run_once()

    run(mail_client, queue_two_and_try_once)
    body = mail_client.get("/api/system/mail", headers=admin.headers).json()
    assert body["enabled"] is True and body["reason"] is None
    assert body["host"] == "127.0.0.1" and body["sender"] == "Elior Studio <studio@example.test>"
    assert (body["queued"], body["sent"], body["failed"]) == (2, 0, 0)
    assert body["last_error"].startswith("ConnectionRefusedError") and body["last_error_at"].endswith("Z")
    assert body["oldest_queued_at"].endswith("Z") and body["last_sent_at"] is None
    assert "password" not in str(body).lower()


@pytest.mark.parametrize("role", ["trainer", "client"])
def test_status_is_for_admins_only(mail_client: TestClient, role: str) -> None:
    trainer = make_person(mail_client, "trainer")
    person = trainer if role == "trainer" else make_person(mail_client, "client", trainer=trainer)
    assert_error(mail_client.get("/api/system/mail", headers=person.headers), 403)
    assert_error(mail_client.get("/api/system/mail"), 401)
