"""Password reset (issue 17) through a real SMTP server (aiosmtpd): the link in the mail, single use, expiry with a
clock the test moves, every other login ended; no enumeration; the request limits; who may make a hand-over link."""
from __future__ import annotations

import re
from email.message import EmailMessage
from typing import Any, Iterator

import pytest
from starlette.testclient import TestClient

from elior.accounts.reset import ACCEPTED, ADDRESS_REQUESTS, EMAIL_REQUESTS
from elior.app import create_app
from elior.settings import Settings
from elior.web.tokens import hash_token
from tests.helpers import PASSWORD, Person, Studio, assert_error, make_person, run
from tests.live.test_realtime import close_code
from tests.mail.conftest import SENDER, MovableClock
from tests.mail.smtp_server import Inbox, smtp_server

NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(r"https?://[^\s\"<>]+/reset#([A-Za-z0-9_\-]+)")


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    handler = Inbox()
    with smtp_server(handler) as port:
        handler.port = port  # type: ignore[attr-defined]
        yield handler


@pytest.fixture
def settings(settings: Settings, inbox: Inbox) -> Settings:
    """Mail on, towards the test's SMTP server; the API's token bucket off so that only the reset limits answer
    429."""
    return settings.with_overrides(smtp_host="127.0.0.1", smtp_port=inbox.port,  # type: ignore[attr-defined]
                                   smtp_starttls=False, mail_from=SENDER, smtp_timeout=10.0, rate_limit_per_minute=0)


@pytest.fixture
def moving_clock(monkeypatch: pytest.MonkeyPatch) -> MovableClock:
    return MovableClock(monkeypatch)


def sign_in(client: TestClient, email: str, password: str = PASSWORD, agent: str = "pytest") -> dict[str, Any]:
    """A real login through the API (a refresh token too), with its own user agent."""
    response = client.post("/api/auth/login", json={"email": email, "password": password},
                           headers={"User-Agent": agent})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def ask(client: TestClient, email: str) -> Any:
    return client.post("/api/auth/password-reset", json={"email": email})


def confirm(client: TestClient, token: str, password: str = NEW_PASSWORD) -> Any:
    return client.post("/api/auth/password-reset/confirm", json={"token": token, "password": password})


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None, "a reset mail has a plain-text and an HTML part"
    return text.get_content(), html.get_content()


def token_of(message: EmailMessage) -> str:
    text, html = parts(message)
    [token] = set(LINK.findall(text))
    assert token in set(LINK.findall(html))
    return token


def test_a_mailed_link_sets_the_password_once_and_ends_every_login(client: TestClient, studio: Studio,
                                                                   inbox: Inbox) -> None:
    person = studio.client_a1
    phone, laptop = sign_in(client, person.email, agent="phone"), sign_in(client, person.email, agent="laptop")
    answer = ask(client, person.email)
    assert answer.status_code == 202 and answer.json() == {"detail": ACCEPTED, "mail": True}
    [message] = inbox.wait_for(1)
    assert message["To"] == person.email and "password" in message["Subject"].lower()
    token = token_of(message)

    assert confirm(client, token).status_code == 204
    for tokens in (phone, laptop):
        assert_error(client.get("/api/auth/me", headers=bearer(tokens)), 401)
        assert_error(client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]}), 401)
    assert_error(client.get("/api/auth/me", headers=person.headers), 401)
    assert_error(client.post("/api/auth/login", json={"email": person.email, "password": PASSWORD}), 401)
    assert sign_in(client, person.email, NEW_PASSWORD)["user"]["id"] == person.id
    assert_error(confirm(client, token, "yet another passphrase"), 410)  # single use
    assert sign_in(client, person.email, NEW_PASSWORD)  # the refused second use changed nothing


def test_only_the_tokens_hash_is_stored(client: TestClient, studio: Studio, inbox: Inbox) -> None:
    ask(client, studio.client_a1.email)
    token = token_of(inbox.wait_for(1)[0])
    db = client.app.state.db  # type: ignore[attr-defined]
    assert run(client, db.fetch_one, "accounts.reset.lookup", token_hash=hash_token(token)) is not None
    assert run(client, db.fetch_one, "accounts.reset.lookup", token_hash=token) is None


def test_a_link_expires_after_password_reset_minutes(client: TestClient, studio: Studio, inbox: Inbox,
                                                     moving_clock: MovableClock) -> None:
    ask(client, studio.client_a1.email)
    ask(client, studio.client_a2.email)
    tokens = {message["To"]: token_of(message) for message in inbox.wait_for(2)}
    first, second = tokens[studio.client_a1.email], tokens[studio.client_a2.email]
    moving_clock.move(minutes=29, seconds=59)
    assert confirm(client, first).status_code == 204
    moving_clock.move(seconds=1)  # 30 minutes after it was made
    assert_error(confirm(client, second), 410)
    assert sign_in(client, studio.client_a2.email)  # the old password still works


def test_a_new_password_spends_every_other_link_of_the_account(client: TestClient, studio: Studio,
                                                               inbox: Inbox) -> None:
    ask(client, studio.client_a1.email)
    ask(client, studio.client_a1.email)
    first, second = (token_of(message) for message in inbox.wait_for(2))
    assert confirm(client, second).status_code == 204
    assert_error(confirm(client, first, "a third passphrase"), 410)


def test_an_unknown_token_is_404_and_a_weak_password_422_changing_nothing(client: TestClient, studio: Studio,
                                                                          inbox: Inbox) -> None:
    assert_error(confirm(client, "not-a-token-this-server-made"), 404)
    ask(client, studio.client_a1.email)
    token = token_of(inbox.wait_for(1)[0])
    body = assert_error(confirm(client, token, "short"), 422)
    assert body["detail"][0]["loc"] == ["body", "password"]
    assert_error(client.post("/api/auth/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD,
                                                                       "role": "admin"}), 422)
    assert sign_in(client, studio.client_a1.email)  # nothing changed
    assert confirm(client, token).status_code == 204  # and the link still works


def test_known_unknown_and_deactivated_addresses_get_the_same_answer(client: TestClient, studio: Studio,
                                                                     inbox: Inbox) -> None:
    gone = make_person(client, "client", trainer=studio.trainer_a)
    assert client.put(f"/api/users/{gone.id}", headers=studio.admin.headers,
                      json={"is_active": False}).status_code == 200
    answers = [ask(client, email) for email in (studio.client_a1.email, "nobody@example.test", gone.email)]
    assert {a.status_code for a in answers} == {202}
    assert len({a.text for a in answers}) == 1
    assert len({tuple(sorted((k, v) for k, v in a.headers.items() if k not in ("date", "x-request-id")))
                for a in answers}) == 1
    assert [m["To"] for m in inbox.wait_for(1)] == [studio.client_a1.email]
    with pytest.raises(AssertionError):
        inbox.wait_for(2, bound=1.0)  # neither the unknown nor the deactivated address gets mail


def test_requests_are_limited_per_email_known_or_not(client: TestClient, studio: Studio,
                                                     moving_clock: MovableClock) -> None:
    for email in (studio.client_a1.email, "nobody@example.test"):
        for _ in range(EMAIL_REQUESTS):
            assert ask(client, email).status_code == 202
        refused = ask(client, email)
        assert_error(refused, 429)
        assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    moving_clock.move(hours=1, seconds=1)
    assert ask(client, studio.client_a1.email).status_code == 202


def test_requests_are_limited_per_address(client: TestClient, studio: Studio) -> None:
    for number in range(ADDRESS_REQUESTS):
        assert ask(client, f"someone{number}@example.test").status_code == 202
    assert_error(ask(client, studio.client_a1.email), 429)
    assert "Retry-After" in ask(client, "another@example.test").headers


def test_with_mail_off_the_request_says_so_and_queues_nothing(settings: Settings) -> None:
    with TestClient(create_app(settings.with_overrides(smtp_host=None))) as client:
        person = make_person(client, "client")
        assert client.get("/api/auth/password-reset").json() == {"mail": False, "valid_minutes": 30}
        answer = ask(client, person.email)
        assert answer.status_code == 202 and answer.json()["mail"] is False
        db = client.app.state.db  # type: ignore[attr-defined]
        assert run(client, db.fetch_one, "mail.queue.counts")["queued"] == 0
        assert run(client, db.fetch_one, "accounts.reset.account", email=person.email) is not None


def test_the_options_say_mail_is_on(client: TestClient) -> None:
    assert client.get("/api/auth/password-reset").json() == {"mail": True, "valid_minutes": 30}


def handover(client: TestClient, caller: Person | None, target_id: int) -> Any:
    return client.post(f"/api/users/{target_id}/password-reset", headers=caller.headers if caller else {})


@pytest.mark.parametrize(("caller", "target", "status"), [
    ("admin", "client_a1", 201), ("admin", "trainer_b", 201), ("admin", "admin", 201),
    ("trainer_a", "client_a1", 201), ("trainer_a", "client_a2", 201),
    ("trainer_a", "client_b1", 404), ("trainer_a", "trainer_b", 404), ("trainer_a", "admin", 404),
    ("trainer_a", "trainer_a", 403),
    ("client_a1", "client_a1", 403), ("client_a1", "client_a2", 403), ("client_a1", "trainer_a", 403),
    (None, "client_a1", 401),
])
def test_who_may_make_a_handover_link(client: TestClient, studio: Studio, caller: str | None, target: str,
                                      status: int) -> None:
    people = studio.everyone()
    answer = handover(client, people[caller] if caller else None, people[target].id)
    if status != 201:
        assert_error(answer, status)
        return
    assert answer.status_code == 201, answer.text
    assert set(answer.json()) == {"url", "expires_at"} and answer.headers["cache-control"] == "no-store"


def test_a_handover_link_works_once_and_leaves_logins_until_used(client: TestClient, studio: Studio) -> None:
    person = studio.client_a1
    answer = handover(client, studio.trainer_a, person.id).json()
    [token] = LINK.findall(answer["url"])
    assert client.get("/api/auth/me", headers=person.headers).status_code == 200  # nothing ended yet
    assert confirm(client, token).status_code == 204
    assert_error(client.get("/api/auth/me", headers=person.headers), 401)
    assert sign_in(client, person.email, NEW_PASSWORD)
    assert_error(confirm(client, token), 410)


def test_handover_links_for_missing_or_deactivated_accounts(client: TestClient, studio: Studio) -> None:
    assert_error(handover(client, studio.admin, 10 ** 9), 404)
    assert client.put(f"/api/users/{studio.client_a2.id}", headers=studio.admin.headers,
                      json={"is_active": False}).status_code == 200
    assert_error(handover(client, studio.admin, studio.client_a2.id), 409)


def test_a_link_of_an_account_deactivated_since_is_gone(client: TestClient, studio: Studio) -> None:
    [token] = LINK.findall(handover(client, studio.admin, studio.client_a1.id).json()["url"])
    assert client.put(f"/api/users/{studio.client_a1.id}", headers=studio.admin.headers,
                      json={"is_active": False}).status_code == 200
    assert_error(confirm(client, token), 410)


def test_a_reset_closes_the_accounts_open_sockets(client: TestClient, studio: Studio) -> None:
    person = studio.client_a1
    [token] = LINK.findall(handover(client, studio.trainer_a, person.id).json()["url"])
    with client.websocket_connect(f"/ws/notifications?token={person.token}") as ws:
        assert confirm(client, token).status_code == 204
        assert close_code(ws, timeout=6) == 4401  # the hub's watchdog, within its CHECK_INTERVAL
