"""The System page's Mail and Import sections in the browser (static/src/system_extras.js): with mail off the page
says how password resets go instead; with mail on (a real SMTP server, aiosmtpd, refusing one recipient) it shows the
queue's figures and the SMTP server's last error as GET /api/system/mail gives them; an admin imports a client's
export ZIP made by another studio (a second server) and follows the link to the new client, and a file that is not
a ZIP, or a second import of the same client, is refused with the server's reason; the sections in Hebrew.

Driven in Debian's chromium against real `python -m elior serve` processes (the fixtures of tests/web/test_spa.py;
any console error, uncaught exception or CSP violation fails the test).
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.mail.smtp_server import Inbox, smtp_server
from tests.spa_support import ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD, Api, Server, mail_to, register_by_invite
from tests.web import test_spa as spa
from tests.web.test_spa import DESK, browser_only

browser, spa_database_url, server, owner, people = spa.browser, spa.spa_database_url, spa.server, spa.owner, spa.people
REFUSED = "nobody-here@studio.test"


def _system(person: Any) -> Any:
    page = person.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    person.go("/admin/system")
    page.wait_for_selector("h1:has-text('System')")
    return page


def _mail_section(page: Any) -> Any:
    return page.locator("section", has=page.get_by_role("heading", name="Mail", exact=True))


def _import_section(page: Any) -> Any:
    return page.locator("section", has=page.locator("h2", has_text="Import a client"))


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    handler = Inbox(refuse=frozenset({REFUSED}))
    with smtp_server(handler) as port:
        handler.port = port  # type: ignore[attr-defined]
        yield handler


@pytest.fixture
def mail_server(spa_database_url: str, inbox: Inbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """A server with mail on towards the test's SMTP server (as tests/web/test_spa_account.py's)."""
    mail_to(monkeypatch, inbox.port)  # type: ignore[attr-defined]
    running = Server(database_url=spa_database_url).start()
    yield running
    running.stop()


@browser_only
def test_with_mail_off_the_system_page_says_resets_are_handed_over(monkeypatch: pytest.MonkeyPatch, browser: Any,
                                                                   spa_database_url: str) -> None:
    monkeypatch.delenv("SMTP_HOST", raising=False)
    quiet = Server(database_url=spa_database_url).start()
    try:
        assert Api(quiet, ADMIN_EMAIL, ADMIN_PASSWORD).call("GET", "/api/system/mail")["enabled"] is False
        person = spa.Person(browser, quiet, DESK)
        mail = _mail_section(_system(person))
        mail.locator(".mail-off", has_text="Mail is off: password resets are handed over as links.").wait_for()
        assert "Why: SMTP_HOST is not set." in mail.inner_text()
        assert mail.locator("dl").count() == 0  # no queue figures for a queue that never fills
        person.shot("system-mail-off")
        person.close()
    finally:
        quiet.stop()


@browser_only
def test_with_mail_on_the_system_page_shows_the_queue_and_the_last_error(browser: Any, mail_server: Server,
                                                                         inbox: Inbox) -> None:
    admin = Api(mail_server, ADMIN_EMAIL, ADMIN_PASSWORD)
    for email in ("cleo@studio.test", REFUSED):
        admin.call("POST", "/api/users", 201, json={"email": email, "password": PASSWORD, "full_name": "Cleo Client",
                                                     "role": "client"})
        admin.call("POST", "/api/auth/password-reset", 202, json={"email": email})
    inbox.wait_for(1)
    deadline = time.monotonic() + 30
    while (status := admin.call("GET", "/api/system/mail"))["failed"] < 1 or status["sent"] < 1:
        assert time.monotonic() < deadline, status
        time.sleep(0.2)
    assert (status["queued"], status["sent"], status["failed"]) == (0, 1, 1) and "550" in status["last_error"]

    person = spa.Person(browser, mail_server, DESK)
    mail = _mail_section(_system(person))
    mail.locator(".mail-on", has_text="Mail is on: the studio sends mail from Elior Studio <studio@example.test>."
                 ).wait_for()
    figures = dict(zip(mail.locator("dt").all_inner_texts(), mail.locator("dd").all_inner_texts()))
    assert figures["SMTP server"] == f"127.0.0.1:{inbox.port}, without STARTTLS"  # type: ignore[attr-defined]
    assert (figures["Waiting to be sent"], figures["Sent in the last 30 days"],
            figures["Given up in the last 30 days"]) == ("0", "1", "1")
    assert figures["Last sent"] != "–"
    assert status["last_error"] in figures["Last error"]
    assert mail.locator(".mail-off").count() == 0

    admin.call("POST", "/api/auth/password-reset", 202, json={"email": "cleo@studio.test"})
    inbox.wait_for(2)
    deadline = time.monotonic() + 30
    while admin.call("GET", "/api/system/mail")["sent"] < 2:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    mail.get_by_role("button", name="Check the mail queue again").click()
    # The new mail counted, without reloading the page.
    mail.locator("dt:text-is('Sent in the last 30 days') + dd:text-is('2')").wait_for()
    person.shot("system-mail-on")
    person.close()


def _exported_client(tmp_path: Path) -> Path:
    """A client with a workout and a weigh-in on another studio, exported through its API and saved as a ZIP."""
    other = Server().start()
    try:
        studio = Api(other, ADMIN_EMAIL, ADMIN_PASSWORD)
        _, trainer = register_by_invite(other, studio, "trainer", "Tess Trainer")
        _, client = register_by_invite(other, trainer, "client", "Cleo Client")
        client_id = client.user["id"]
        trainer.call("POST", "/api/progress", 201, json={"client_id": client_id, "date": "2026-03-01",
                                                          "weight_kg": 70})
        trainer.call("POST", "/api/workouts", 201, json={"client_id": client_id, "title": "Legs day",
                                                          "scheduled_for": "2026-03-02", "exercises": []})
        job = trainer.call("POST", "/api/exports", 202, json={"client_id": client_id})
        deadline = time.monotonic() + 60
        while job["status"] != "done":
            assert job["status"] in ("queued", "running") and time.monotonic() < deadline, job
            time.sleep(0.2)
            job = trainer.call("GET", f"/api/exports/{job['id']}")
        answer = trainer.http.get(job["download_url"])
        assert answer.status_code == 200 and answer.content[:2] == b"PK", answer.status_code
        path = tmp_path / "cleo.zip"
        path.write_bytes(answer.content)
        return path
    finally:
        other.stop()


@browser_only
def test_an_admin_imports_a_client_exported_by_another_studio(server: Server, owner: Api, people: Any,
                                                             tmp_path: Path) -> None:
    archive = _exported_client(tmp_path)
    _, rita = register_by_invite(server, owner, "trainer", "Rita Trainer")
    me = people(DESK)
    page = _system(me)
    section = _import_section(page)

    section.get_by_role("button", name="Import").click()  # no file chosen: said next to the field, nothing sent
    section.locator(".field-error", has_text="Choose the export's ZIP file.").wait_for()

    section.get_by_label("Export ZIP").set_input_files({"name": "notes.txt", "mimeType": "text/plain",
                                                        "buffer": b"these are not the droids"})
    me.expected_statuses.update({409, 422})
    section.get_by_role("button", name="Import").click()
    section.locator(".form-alert", has_text="the file is not a ZIP archive").wait_for()
    # Each look at the clients asks a question not asked before: the server keeps user lists for 5 s, and an import
    # (rows written by elior/exports/importer.py, not insert_user) does not clear them.
    assert owner.call("GET", "/api/users", params={"role": "client", "q": "Cleo"})["total"] == 0

    section.get_by_label("Export ZIP").set_input_files(str(archive))
    section.get_by_label("Give the client to").select_option(label="Rita Trainer")
    section.get_by_role("button", name="Import").click()
    section.locator("[role=status]", has_text="Cleo Client is imported, with").wait_for(timeout=30_000)
    assert section.locator(".import-busy").is_hidden()  # the progress bar went with the upload
    opened = section.get_by_role("link", name="Open Cleo Client's page")
    [client] = owner.call("GET", "/api/users", params={"role": "client"})["items"]
    assert (client["full_name"], client["trainer_id"]) == ("Cleo Client", rita.user["id"])
    assert opened.get_attribute("href") == f"/clients/{client['id']}"
    assert owner.call("GET", "/api/progress", params={"client_id": client["id"]})["items"][0]["weight_kg"] == 70
    me.shot("system-import-done")
    opened.click()
    page.wait_for_url(f"**/clients/{client['id']}")
    page.locator("main h1", has_text="Cleo Client").wait_for()

    # The same client again: the server's 409 says why, and nothing is shown as imported.
    page.go_back()
    section = _import_section(page)
    section.get_by_label("Export ZIP").set_input_files(str(archive))
    section.get_by_role("button", name="Import").click()
    section.locator(".form-alert", has_text="exists already").wait_for()
    assert section.locator("[role=status]", has_text="is imported").count() == 0
    assert owner.call("GET", "/api/users", params={"role": "client", "q": "Client"})["total"] == 1


@browser_only
def test_the_mail_and_import_sections_in_hebrew(server: Server, owner: Api, people: Any) -> None:
    me = people(DESK)
    me.go("/signin")
    me.page.evaluate("localStorage.setItem('elior.language','he')")
    page = me.go("/signin")
    page.wait_for_function("() => document.documentElement.dir === 'rtl'")
    page.locator("input[type=email]").fill(ADMIN_EMAIL)
    page.locator("input[type=password]").fill(ADMIN_PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_selector("header.top")
    me.go("/admin/system")
    page.get_by_role("heading", name="דואר", exact=True).wait_for()
    assert page.evaluate("document.documentElement.dir") == "rtl"
    main = page.inner_text("main")
    assert "שליחת הדואר כבויה: קישורים לאיפוס סיסמה נמסרים ביד." in main
    section = page.locator("section", has=page.locator("h2", has_text="ייבוא לקוח/ה"))
    section.get_by_role("button", name="ייבוא").click()
    section.locator(".field-error", has_text="בחרו את קובץ ה-ZIP של הייצוא.").wait_for()
    assert section.get_by_label("שיוך למאמן/ת").locator("option").first.inner_text() == "ללא מאמן/ת"
    me.shot("system-extras-he")
