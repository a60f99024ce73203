"""Two-factor and e-mail notification preferences in the browser (issue 17): a trainer turns two-factor on from the
Security page (the server's QR code, a code from the secret, the ten recovery codes) and then signs in with a code
step; a studio that requires two-factor walks a trainer through enrolment at sign-in; a user picks which
notifications come by mail, and is told when the studio sends none.

Driven in Debian's chromium against a real `python -m elior serve` (the fixtures of tests/web/test_spa.py; any
console error, uncaught exception or CSP violation fails the test). Screenshots land in tests/screenshots/security-*.
"""
from __future__ import annotations

import time
import uuid
from typing import Any, Iterator

import pyotp
import pytest

from tests.spa_support import PASSWORD, Api, Server, register_by_invite
from tests.web import test_spa as spa
from tests.web.test_spa import DESK, PHONE, browser_only

browser, spa_database_url, owner, people, server = spa.browser, spa.spa_database_url, spa.owner, spa.people, spa.server


def fresh_code(secret: str) -> str:
    """A code with at least 5 seconds of its step left, so it is still current when the server checks it."""
    while 30 - time.time() % 30 < 5:
        time.sleep(0.5)
    return pyotp.TOTP(secret).now()


def enrol_in_page(page: Any) -> list[str]:
    """On an enrolment panel: start, scan (read the secret), confirm a code; the recovery codes shown."""
    page.get_by_role("button", name="Set up two-factor").click()
    page.wait_for_selector(".qr svg path")
    page.get_by_text("Cannot scan? Type this key instead").click()
    secret = page.locator("code.secret").inner_text().strip()
    page.locator("form[aria-label='Confirm two-factor'] [name=code]").fill(fresh_code(secret))
    page.get_by_role("button", name="Turn on two-factor").click()
    page.wait_for_selector("ol.codes li")
    codes = [c.strip() for c in page.locator("ol.codes li").all_inner_texts()]
    assert len(codes) == 10 and len(set(codes)) == 10
    return codes


@browser_only
def test_a_trainer_turns_on_two_factor_and_signs_in_with_a_code(server: Server, owner: Api, people: Any) -> None:
    email, _ = register_by_invite(server, owner, "trainer", "Tess Trainer")
    desk = people(DESK)
    desk.sign_in(email)
    page = desk.go("/security")
    page.wait_for_selector("text=Two-factor is off")
    codes = enrol_in_page(page)
    desk.shot("security-recovery-codes")
    page.get_by_role("button", name="I have saved them").click()
    page.wait_for_selector("text=Two-factor is on")
    page.wait_for_selector("text=10 of 10 recovery codes left.")
    desk.shot("security-two-factor-on")

    phone = people(PHONE)
    phone.expected_statuses = {401}
    page = phone.go("/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("text=Enter the 6-digit code from your authenticator app.")
    page.get_by_label("Code", exact=True).fill("000000")  # a wrong code (1 in a million: the right one)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("text=That code did not work.")
    phone.shot("security-sign-in-code")
    page.get_by_label("Code", exact=True).fill("")
    page.get_by_label("Or a recovery code").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("header.top")


@pytest.fixture
def required_server(spa_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    monkeypatch.setenv("REQUIRE_TWO_FACTOR", "trainer")
    running = Server(database_url=spa_database_url).start()
    yield running
    running.stop()


@browser_only
def test_a_required_trainer_enrols_at_sign_in(required_server: Server, browser: Any) -> None:
    owner_api = Api(required_server, spa.ADMIN_EMAIL, spa.ADMIN_PASSWORD)
    email, _ = _trainer_without_login(required_server, owner_api)
    person = spa.Person(browser, required_server, PHONE)
    person.expected_statuses = {403}
    try:
        page = person.go("/signin")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_selector("text=The studio asks your role to sign in with a code")
        person.shot("security-enrol-at-sign-in")
        enrol_in_page(page)
        page.get_by_role("button", name="I have saved them").click()
        page.wait_for_selector("header.top")
        page = person.go("/security")
        page.wait_for_selector("text=Two-factor is on")
        page.wait_for_selector("text=it stays on")
    finally:
        person.close()


def _trainer_without_login(server: Server, owner_api: Api) -> tuple[str, dict[str, Any]]:
    """A trainer made by the owner (register_by_invite would sign in, which the requirement refuses)."""
    email = f"trainer-{uuid.uuid4().hex[:8]}@studio.test"
    user = owner_api.call("POST", "/api/users", 201, json={"email": email, "password": PASSWORD,
                                                            "full_name": "Tara Trainer", "role": "trainer"})
    return email, user


@browser_only
def test_notification_preferences_are_saved_and_mail_off_is_said(server: Server, owner: Api, people: Any) -> None:
    email, member = register_by_invite(server, owner, "client", "Cleo Client")
    desk = people(DESK)
    desk.sign_in(email)
    page = desk.go("/security")
    page.wait_for_selector("text=This studio does not send e-mail")
    page.get_by_label("A new workout for me").select_option("daily")
    page.get_by_role("button", name="Save e-mail preferences").click()
    page.wait_for_selector("text=E-mail preferences saved.")
    desk.shot("security-notification-preferences")
    assert member.call("GET", "/api/notification-preferences")["preferences"]["workout.created"] == "daily"
    page.reload()
    page.wait_for_selector("form.notify-prefs")
    assert page.get_by_label("A new workout for me").input_value() == "daily"
