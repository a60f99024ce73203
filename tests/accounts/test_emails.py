"""Emails are normalised (NFKC, then case-folded) wherever one comes in, so that no two accounts look alike to the
staff who pick people by their address; emails stored before that are rewritten at the next start."""
from __future__ import annotations

import logging
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior import clock
from elior.app import create_app
from elior.settings import Settings
from elior.web.fields import normalize_email
from tests.helpers import PASSWORD, Studio, assert_error, run

# Each pair is one address: the first as someone types it, the second as it is kept.
LOOKALIKES = [
    ("\uff25\uff56\uff45@Example.test", "eve@example.test"),  # full-width letters
    ("STRASSE@example.test", "strasse@example.test"),
    ("stra\u00dfe@example.test", "strasse@example.test"),  # sharp s folds to ss
    ("\ufb01ona@example.test", "fiona@example.test"),  # the "fi" ligature
    ("eve\uff20example.test", "eve@example.test"),  # a full-width at sign
    ("\u212bngstr\u00f6m@example.test", "\u00e5ngstr\u00f6m@example.test"),  # the angstrom sign is an a-ring
]


def create(client: TestClient, studio: Studio, email: str) -> Any:
    return client.post("/api/users", headers=studio.admin.headers, json={
        "email": email, "password": PASSWORD, "full_name": "Look Alike", "role": "client"})


@pytest.mark.parametrize("typed,kept", LOOKALIKES)
def test_lookalike_emails_are_one_account(client: TestClient, studio: Studio, typed: str, kept: str) -> None:
    made = create(client, studio, typed)
    assert made.status_code == 201, made.text
    assert made.json()["email"] == kept
    assert_error(create(client, studio, kept), 409)
    assert_error(create(client, studio, kept.upper()), 409)
    assert client.post("/api/auth/login", json={"email": typed, "password": PASSWORD}).status_code == 200
    assert client.post("/api/auth/login", json={"email": kept, "password": PASSWORD}).status_code == 200


def test_the_issues_example_is_a_409_on_the_second(client: TestClient, studio: Studio) -> None:
    assert create(client, studio, "\uff25\uff56\uff45@Example.test").status_code == 201
    assert_error(create(client, studio, "eve@example.test"), 409)


def test_register_and_invites_compare_normalised_emails(client: TestClient, studio: Studio) -> None:
    code = client.post("/api/invites", headers=studio.trainer_a.headers,
                       json={"role": "client", "email": "\uff25\uff56\uff45@Example.test"}).json()["code"]
    body = {"password": PASSWORD, "full_name": "Eve", "invite_code": code}
    assert client.post("/api/auth/register", json={**body, "email": "EVE@example.test"}).status_code == 201
    other = client.post("/api/invites", headers=studio.trainer_a.headers, json={"role": "client"}).json()["code"]
    assert_error(client.post("/api/auth/register", json={**body, "invite_code": other,
                                                         "email": "\uff45\uff56\uff45@example.test"}), 409)


def test_an_email_change_to_a_lookalike_is_a_409(client: TestClient, studio: Studio) -> None:
    taken = studio.client_b1.email
    lookalike = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in taken.split("@")[0]) + "@" + \
        taken.split("@")[1].upper()
    assert normalize_email(lookalike) == taken
    assert_error(client.put(f"/api/users/{studio.client_a1.id}", headers=studio.admin.headers,
                            json={"email": lookalike}), 409)


def test_failed_logins_count_for_the_address_however_it_is_spelled(client: TestClient, studio: Studio) -> None:
    email = studio.client_a1.email
    spellings = [email.upper(), email, "".join(chr(ord(c) + 0xFEE0) if c.isalpha() else c for c in email)]
    for number in range(10):
        assert_error(client.post("/api/auth/login", json={"email": spellings[number % 3], "password": "wrong one"}),
                     401)
    assert_error(client.post("/api/auth/login", json={"email": email, "password": PASSWORD}), 429)


def test_the_admin_from_the_environment_is_normalised(settings: Settings) -> None:
    configured = settings.with_overrides(admin_email="\uff22\uff4f\uff53\uff53@Example.test",
                                         admin_password="the boss password")
    with TestClient(create_app(configured)) as started:
        response = started.post("/api/auth/login", json={"email": "boss@example.test",
                                                         "password": "the boss password"})
        assert response.status_code == 200 and response.json()["user"]["email"] == "boss@example.test"


def test_an_email_that_normalises_past_254_characters_is_a_422(client: TestClient, studio: Studio) -> None:
    stretched = "a@" + "\u3392" * 84 + ".test"  # 91 characters typed; each MHz sign is three letters once normalised
    assert len(stretched) <= 254 < len(normalize_email(stretched))
    body = assert_error(create(client, studio, stretched), 422)
    assert body["detail"][0]["loc"] == ["body", "email"]


@pytest.mark.parametrize("email", ["\u13a0\u13a1@example.test", "\uab70@example.test", "\u0130stanbul@example.test"])
def test_emails_whose_folding_is_odd_are_stored_not_refused(client: TestClient, studio: Studio, email: str) -> None:
    """Cherokee folds to upper case, the dotted I to two characters: what is kept still passes the tables'
    lower-case check on both databases (a 500 before normalisation lower-cased after folding)."""
    made = create(client, studio, email)
    assert made.status_code == 201, made.text
    assert made.json()["email"] == normalize_email(email) == normalize_email(normalize_email(email))


def test_emails_stored_before_normalisation_are_rewritten_at_start(client: TestClient, studio: Studio,
                                                                    settings: Settings,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    db = client.app.state.db  # type: ignore[attr-defined]
    hashed = run(client, client.app.state.passwords.hash, PASSWORD)  # type: ignore[attr-defined]

    def old_row(email: str) -> int:
        row = run(client, db.fetch_one, "accounts.users.insert", email=email, password_hash=hashed,
                  full_name="Old Row", role="client", trainer_id=None, now=clock.now())
        return int(row["id"])

    # What an earlier version kept: lower() of what was typed, so full-width letters stayed as they were.
    alone = old_row("\uff4f\uff4c\uff44@example.test")
    twin, original = old_row("\uff54\uff57\uff49\uff4e@example.test"), old_row("twin@example.test")
    caplog.set_level(logging.WARNING)
    with TestClient(create_app(settings)) as restarted:
        again = restarted.app.state.db  # type: ignore[attr-defined]
        assert run(restarted, again.fetch_val, "accounts.users.id_by_email", email="old@example.test") == alone
        assert restarted.post("/api/auth/login", json={"email": "OLD@example.test",
                                                       "password": PASSWORD}).status_code == 200
        # Two old rows that are one address now: both kept as they were, and the log says so.
        assert run(restarted, again.fetch_val, "accounts.users.id_by_email", email="twin@example.test") == original
        assert run(restarted, again.fetch_val, "accounts.users.id_by_email",
                   email="\uff54\uff57\uff49\uff4e@example.test") == twin
    assert any("one address once normalised" in r.getMessage() for r in caplog.records)
