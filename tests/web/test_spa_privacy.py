"""A client's privacy in the browser (issue 18, docs/privacy.md): the Account page's "Who has seen your data" lists
their trainer reading their profile, by name; a client asks for their account to be deleted (a confirmation first);
the admin's Deletion requests page lists the requests, open ones first, rejects one (the account stays) and confirms
another (the account is gone and its login no longer works); and the same screens in Hebrew, right-to-left.

Driven in Debian's chromium against a real `python -m elior serve` (the fixtures of tests/web/test_spa.py; any
console error, uncaught exception or unexpected 4xx fails the test). Screenshots land in tests/screenshots/privacy-*.
"""
from __future__ import annotations

import time
from typing import Any

import httpx2 as httpx

from tests.spa_support import ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD, Api, Server, register_by_invite
from tests.web import test_spa as spa
from tests.web.i18n_sources import catalogue
from tests.web.test_spa import DESK, PHONE, browser_only

browser, spa_database_url, server, owner, people = spa.browser, spa.spa_database_url, spa.server, spa.owner, \
    spa.people


def _trainer_reads_the_profile(server: Server, owner: Api) -> tuple[str, Api, Api]:
    """A trainer with a client whose profile the trainer has read; waits until the access log holds that read (the
    log is written in batches about once a second). The client polls: their own reads are not recorded."""
    _, trainer = register_by_invite(server, owner, "trainer", "Tess Trainer")
    client_email, client = register_by_invite(server, trainer, "client", "Cleo Client")
    trainer.call("GET", f"/api/users/{client.user['id']}")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        log = client.call("GET", f"/api/clients/{client.user['id']}/access-log")
        if log["total"]:
            break
        time.sleep(0.2)
    assert [(e["actor_name"], e["kind"]) for e in log["items"]] == [("Tess Trainer", "profile.read")]
    return client_email, trainer, client


def _pending(owner: Api) -> list[dict[str, Any]]:
    return owner.call("GET", "/api/deletion-requests", params={"status": "pending"})["items"]


@browser_only
def test_a_client_sees_their_trainer_reading_their_profile(server: Server, owner: Api, people: Any) -> None:
    client_email, _, _ = _trainer_reads_the_profile(server, owner)
    phone = people(PHONE)
    page = phone.sign_in(client_email)
    page.get_by_role("link", name="Account").first.click()
    log = page.locator("section:has(h2:has-text('Who has seen your data'))")
    row = log.locator("li.access-row")
    row.first.wait_for()
    assert row.count() == 1
    assert row.locator(".access-who").inner_text().split() == ["Tess", "Trainer", "·", "trainer"]
    assert row.locator(".access-what").inner_text() == "Read your profile"
    assert row.locator("time").inner_text().strip() != ""
    phone.shot("privacy-access-log")


@browser_only
def test_a_client_asks_for_deletion_and_the_admin_rejects_one_request_and_confirms_another(
        server: Server, owner: Api, people: Any) -> None:
    _, trainer = register_by_invite(server, owner, "trainer", "Tess Trainer")
    cleo_email, cleo_api = register_by_invite(server, trainer, "client", "Cleo Client")
    carl_email, carl_api = register_by_invite(server, trainer, "client", "Carl Client")
    cleo, carl = cleo_api.user["id"], carl_api.user["id"]

    phone = people(PHONE)
    page = phone.sign_in(cleo_email)
    phone.go("/account")
    page.wait_for_selector("section:has-text('Who has seen your data') .empty:has-text('Nobody else')")
    page.get_by_role("button", name="Ask to delete my account").click()
    page.wait_for_selector(".confirm-question:has-text('Once an admin confirms, everything of yours is deleted')")
    assert _pending(owner) == []  # asked first: nothing sent yet
    page.get_by_role("button", name="Yes, delete").click()
    page.wait_for_selector(".deletion-state:has-text('Waiting for an admin')")
    assert page.get_by_role("button", name="Ask to delete my account").is_hidden()
    assert [r["client_id"] for r in _pending(owner)] == [cleo]
    phone.shot("privacy-deletion-asked")
    phone.close()  # Cleo's tab goes before her account does (its session then ends)

    carl_api.call("POST", "/api/account/deletion", 202)

    desk = people(DESK)
    page = desk.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    page.get_by_role("link", name="Deletions", exact=True).click()
    page.wait_for_selector("h1:has-text('Deletion requests')")
    rows = page.locator("li.deletion-row")
    rows.nth(1).wait_for()
    assert [rows.nth(i).locator("strong").inner_text() for i in range(2)] == ["Carl Client", "Cleo Client"]
    assert rows.locator(".pill").all_inner_texts() == ["Waiting", "Waiting"]
    desk.shot("privacy-deletion-requests")

    page.get_by_role("button", name="Reject the request of Carl Client").click()
    page.wait_for_selector(".toast:has-text('The request of Carl Client was rejected')")
    page.wait_for_selector("li.deletion-row.rejected:has-text('Carl Client')")
    # Open requests first: Cleo's, still open, now comes before Carl's, decided.
    assert [rows.nth(i).locator("strong").inner_text() for i in range(2)] == ["Cleo Client", "Carl Client"]
    assert owner.call("GET", f"/api/users/{carl}")["full_name"] == "Carl Client"

    cleo_row = page.locator("li.deletion-row", has_text="Cleo Client")
    cleo_row.get_by_role("button", name="Confirm deletion of Cleo Client").click()
    page.wait_for_selector(".confirm-question:has-text('all their data')")
    assert owner.call("GET", f"/api/users/{cleo}")["id"] == cleo  # asked first: nothing deleted yet
    cleo_row.get_by_role("button", name="Yes, delete").click()
    page.wait_for_selector(".toast:has-text(\"Cleo Client's account and data were deleted\")")
    page.wait_for_selector("li.deletion-row.done:has-text('A deleted account')")
    assert page.locator("li.deletion-row.done .pill").inner_text() == "Deleted"
    assert page.locator("li.deletion-row button").count() == 0  # both decided: nothing left to press
    desk.shot("privacy-deletion-decided")

    owner.call("GET", f"/api/users/{cleo}", 404)
    answer = httpx.post(f"{server.url}/api/auth/login", json={"email": cleo_email, "password": PASSWORD})
    assert answer.status_code == 401
    Api(server, carl_email, PASSWORD)  # the rejected one still signs in


def _sign_in_in_hebrew(person: Any, email: str, password: str) -> Any:
    """Hebrew chosen on the device before the app boots, then the sign-in form (found by its fields' names)."""
    page = person.go("/signin")
    page.evaluate("localStorage.setItem('elior.language', 'he')")
    person.go("/signin")
    page.wait_for_function("() => document.documentElement.dir === 'rtl'")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_selector("header.top")
    return page


@browser_only
def test_the_privacy_screens_in_hebrew(server: Server, owner: Api, people: Any) -> None:
    he = catalogue("he")
    client_email, _, client = _trainer_reads_the_profile(server, owner)
    client.call("POST", "/api/account/deletion", 202)
    phone = people(PHONE)
    page = _sign_in_in_hebrew(phone, client_email, PASSWORD)
    phone.go("/account")
    page.wait_for_selector(f"h2:has-text('{he['privacy.log_title']}')")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    row = page.locator("li.access-row")
    assert row.locator(".access-what").inner_text() == he["privacy.kind_profile_read"]
    assert he["privacy.role_trainer"] in row.locator(".access-who").inner_text()
    assert page.get_by_role("button", name=he["privacy.delete_ask"]).is_visible()
    phone.shot("privacy-he-account")

    desk = people(DESK)
    page = _sign_in_in_hebrew(desk, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.get_by_role("link", name=he["app.nav_deletions"], exact=True).click()
    page.wait_for_selector(f"h1:has-text('{he['deletions.title']}')")
    assert page.locator("li.deletion-row .pill").inner_text() == he["deletions.status_pending"]
    buttons = page.locator("li.deletion-row button").all_inner_texts()
    assert buttons == [he["deletions.confirm"], he["deletions.reject"]]
    desk.shot("privacy-he-deletions")
