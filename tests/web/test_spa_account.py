"""Forgotten passwords and the Account page in the browser (issue 17): a client who forgot the password asks from
the sign-in page, gets the mail (a real SMTP server, aiosmtpd), opens the link, sets a new one and signs in again, and
the device signed in before is signed out; with mail off the page says to ask the trainer; a trainer makes a hand-over
link; the Account page lists sessions, ends one, changes the password and edits the profile.

Driven in Debian's chromium against a real `python -m elior serve` (the fixtures of tests/web/test_spa.py; any
console error, uncaught exception or CSP violation fails the test). Screenshots land in tests/screenshots/account-*.
"""
from __future__ import annotations

import re
import uuid
from typing import Any, Iterator

import httpx2 as httpx
import pytest

from tests.mail.smtp_server import Inbox, smtp_server
from tests.spa_support import PASSWORD, Api, Server, mail_to, register_by_invite
from tests.web import test_spa as spa
from tests.web.test_spa import DESK, PHONE, browser_only

browser, spa_database_url, owner, people = spa.browser, spa.spa_database_url, spa.owner, spa.people
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    handler = Inbox()
    with smtp_server(handler) as port:
        handler.port = port  # type: ignore[attr-defined]
        yield handler


@pytest.fixture
def server(spa_database_url: str, inbox: Inbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """The shared server, with mail on towards the test's SMTP server."""
    mail_to(monkeypatch, inbox.port)  # type: ignore[attr-defined]
    running = Server(database_url=spa_database_url).start()
    yield running
    running.stop()


def _client(owner: Api, name: str = "Cleo Client") -> tuple[str, dict[str, Any]]:
    email = f"client-{uuid.uuid4().hex[:8]}@studio.test"
    user = owner.call("POST", "/api/users", 201, json={"email": email, "password": PASSWORD, "full_name": name,
                                                        "role": "client"})
    return email, user


@browser_only
def test_a_client_who_forgot_the_password_gets_a_mail_and_signs_in_again(server: Server, owner: Api, people: Any,
                                                                         inbox: Inbox) -> None:
    email, _ = _client(owner)
    laptop = Api(server, email, PASSWORD)  # signed in elsewhere before the reset
    phone = people(PHONE)
    page = phone.go("/signin")
    page.get_by_role("link", name="Forgot password?").click()
    page.wait_for_selector("h1:has-text('Forgot your password?')")
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Mail me a link").click()
    page.wait_for_selector(".reset-sent:has-text('on its way')")
    phone.shot("account-forgot-sent")

    [message] = inbox.wait_for(1)
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    found = re.search(r"(http://\S+/reset#\S+)", text)
    assert found and found.group(1).startswith(f"{server.url}/reset#"), text
    page.goto(found.group(1))
    page.get_by_label(re.compile("^New password")).fill(NEW_PASSWORD)
    page.get_by_label("The same again").fill("not the same")
    page.get_by_role("button", name="Set the new password").click()
    page.wait_for_selector("text=The two passwords differ.")
    page.get_by_label("The same again").fill(NEW_PASSWORD)
    phone.shot("account-reset-form")
    page.get_by_role("button", name="Set the new password").click()
    page.wait_for_url(f"{server.url}/signin")
    assert "#" not in page.url
    phone.sign_in(email, NEW_PASSWORD)
    assert laptop.http.get("/api/auth/me").status_code == 401  # every other login ended

    page.goto(found.group(1))  # the link again: spent
    page.get_by_label(re.compile("^New password")).fill("yet another passphrase")
    page.get_by_label("The same again").fill("yet another passphrase")
    phone.expected_statuses.add(410)
    page.get_by_role("button", name="Set the new password").click()
    page.wait_for_selector(".form-alert:has-text('already used or has expired')")


@browser_only
def test_with_mail_off_the_forgot_page_says_to_ask_the_trainer(browser: Any, spa_database_url: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMTP_HOST", raising=False)
    quiet = Server(database_url=spa_database_url).start()
    try:
        person = spa.Person(browser, quiet, PHONE)
        page = person.go("/forgot")
        page.wait_for_selector(".mail-off:has-text('does not send e-mail')")
        assert page.get_by_role("button", name="Mail me a link").count() == 0
        person.shot("account-forgot-mail-off")
        person.close()
    finally:
        quiet.stop()


@browser_only
def test_a_trainer_makes_a_handover_link_that_sets_the_clients_password(server: Server, owner: Api,
                                                                        people: Any) -> None:
    trainer_email, trainer = register_by_invite(server, owner, "trainer", "Tess Trainer")
    client_email, client = register_by_invite(server, trainer, "client", "Cleo Client")
    desk = people(DESK)
    page = desk.sign_in(trainer_email)
    desk.go(f"/people/{client.user['id']}/password-reset")
    page.get_by_role("button", name="Make a password reset link").click()
    url = page.get_by_label("Password reset link for Cleo Client").input_value()
    assert url.startswith(f"{server.url}/reset#")
    desk.shot("account-handover")
    token = url.split("#", 1)[1]
    answer = httpx.post(f"{server.url}/api/auth/password-reset/confirm", json={"token": token,
                                                                                 "password": NEW_PASSWORD})
    assert answer.status_code == 204
    assert client.http.get("/api/auth/me").status_code == 401
    Api(server, client_email, NEW_PASSWORD)

    other = people(PHONE)
    other.sign_in(client_email, NEW_PASSWORD)
    other.go(f"/people/{trainer.user['id']}/password-reset")
    other.page.wait_for_selector("h1:has-text('Not for your account')")


@browser_only
def test_the_account_page_lists_and_ends_sessions_and_changes_password_and_profile(server: Server, owner: Api,
                                                                                   people: Any) -> None:
    email, user = _client(owner, "Cleo Client")
    elsewhere = Api(server, email, PASSWORD)
    desk = people(PHONE)
    page = desk.sign_in(email)
    page.get_by_role("link", name="Account").first.click()
    page.wait_for_selector("h1:has-text('Account')")
    sessions = page.locator(".sessions-list li")
    sessions.first.wait_for()
    assert sessions.count() == 2
    assert page.locator(".sessions-list li.current").count() == 1
    desk.shot("account-page")

    page.locator(".sessions-list li:not(.current) button").click()
    page.locator(".sessions-list li:not(.current)").wait_for(state="detached")  # (no eval: the CSP forbids it)
    assert sessions.count() == 1
    assert elsewhere.http.get("/api/auth/me").status_code == 401
    assert page.get_by_role("button", name="Sign out everywhere else").is_hidden()

    desk.expected_statuses.add(403)
    page.get_by_label("Current password").fill("not my password")
    page.get_by_label(re.compile("^New password")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.wait_for_selector("text=That is not your current password.")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label(re.compile("^New password")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.wait_for_selector(".toast:has-text('Password changed')")
    Api(server, email, NEW_PASSWORD)

    page.get_by_label("Full name").fill("Cleo Renamed")
    page.get_by_label("Goals").fill("Run 10 km")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_selector(".toast:has-text('Profile saved')")
    me = owner.call("GET", f"/api/users/{user['id']}")
    assert me["full_name"] == "Cleo Renamed" and me["profile"]["goals"] == "Run 10 km"
