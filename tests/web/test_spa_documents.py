"""A user's photo (avatar) and a client's documents (PDFs) in the browser: a client sets, replaces and removes their
photo on the Account page; a document the trainer uploads for a client is listed on the client's Account page,
downloads as the PDF it is, and is deleted after a confirmation; the client uploads one of their own and a photo
passed off as a document is refused with the server's reason; the Account page in Hebrew is right-to-left.

Driven in Debian's chromium against a real `python -m elior serve` (the fixtures of tests/web/test_spa.py; any
console error, uncaught exception or CSP violation fails the test). Screenshots land in tests/screenshots/documents-*.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from tests import samples
from tests.spa_support import Api, Server, register_by_invite
from tests.web import test_spa as spa
from tests.web.test_spa import DESK, PHONE, browser_only

browser, spa_database_url, owner, people, server = spa.browser, spa.spa_database_url, spa.owner, spa.people, spa.server


def _trainer_and_client(server: Server, owner: Api) -> tuple[Api, str, Api]:
    _, trainer = register_by_invite(server, owner, "trainer", "Tess Trainer")
    client_email, client = register_by_invite(server, trainer, "client", "Cleo Client")
    return trainer, client_email, client


def _files(api: Api, client_id: int, purpose: str) -> list[dict[str, Any]]:
    return api.call("GET", "/api/files", params={"client_id": client_id, "purpose": purpose})["items"]


def _loaded(image: Any) -> int:
    """The width of the picture an <img> shows (0 while it has none): the bytes arrived and decoded."""
    image.wait_for()
    image.page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    return int(image.evaluate("img => img.naturalWidth"))


@browser_only
def test_a_client_sets_replaces_and_removes_their_photo(server: Server, owner: Api, people: Any) -> None:
    _, email, client = _trainer_and_client(server, owner)
    me = people(PHONE)
    page = me.sign_in(email)
    me.go("/account")
    page.wait_for_selector("text=No photo yet.")

    page.get_by_label("New photo").set_input_files(
        {"name": "me.png", "mimeType": "image/png", "buffer": samples.png(48, 48)})
    page.get_by_role("button", name="Upload photo").click()
    page.wait_for_selector(".toast:has-text('Photo saved.')")
    assert _loaded(page.locator("img.avatar")) > 0
    [first] = _files(client, client.user["id"], "avatar")
    me.shot("documents-avatar")

    page.get_by_label("New photo").set_input_files(
        {"name": "me-again.png", "mimeType": "image/png", "buffer": samples.png(40, 40)})
    page.get_by_role("button", name="Upload photo").click()
    page.locator(f"img.avatar[data-file='{first['filename']}']").wait_for(state="detached")
    [second] = _files(client, client.user["id"], "avatar")  # the older one is gone: one photo, the newest
    assert second["filename"] != first["filename"]

    me.go("/account")  # kept by the server, not only by the page
    page.locator(f"img.avatar[data-file='{second['filename']}']").wait_for()
    assert page.locator("img.avatar").count() == 1
    assert _loaded(page.locator("img.avatar")) > 0
    assert page.get_by_role("button", name="Your photo: open full size").is_visible()

    page.get_by_role("button", name="Remove photo").click()
    page.get_by_text("Remove your photo?").wait_for()
    page.get_by_role("button", name="Yes, delete").click()
    page.wait_for_selector("text=No photo yet.")
    assert page.locator("img.avatar").count() == 0
    assert _files(client, client.user["id"], "avatar") == []


@browser_only
def test_a_clients_documents_are_listed_downloaded_uploaded_and_deleted(server: Server, owner: Api, people: Any,
                                                                        tmp_path: Path) -> None:
    trainer, email, client = _trainer_and_client(server, owner)
    plan = samples.pdf(b"Cleo's training plan")
    sent = trainer.call("POST", "/api/files/upload", 201, data={"purpose": "document",
                                                                "client_id": str(client.user["id"])},
                        files={"file": ("plan.pdf", plan, "application/pdf")})
    me = people(DESK)
    page = me.sign_in(email)
    me.go("/account")
    section = page.locator("section", has=page.get_by_role("heading", name="My documents"))
    rows = section.locator("li.document-row")
    rows.first.wait_for()
    assert rows.count() == 1
    assert rows.first.get_attribute("data-file") == sent["filename"]
    assert "PDF" in rows.first.inner_text()

    with page.expect_download() as download:
        rows.first.get_by_role("link", name="Download").click()
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == plan  # the very PDF the trainer sent

    me.expected_statuses.add(415)
    section.get_by_label("PDF file").set_input_files(
        {"name": "not-a.pdf", "mimeType": "application/pdf", "buffer": samples.png()})
    section.get_by_role("button", name="Upload PDF").click()
    section.locator(".form-alert:has-text('must be a PDF')").wait_for()
    assert rows.count() == 1

    section.get_by_label("PDF file").set_input_files(
        {"name": "mine.pdf", "mimeType": "application/pdf", "buffer": samples.pdf(b"My own notes")})
    section.get_by_role("button", name="Upload PDF").click()
    page.wait_for_selector(".toast:has-text('Document uploaded.')")
    page.wait_for_function("() => document.querySelectorAll('li.document-row').length === 2")
    mine = [f for f in _files(trainer, client.user["id"], "document") if f["filename"] != sent["filename"]]
    assert len(mine) == 1
    me.shot("documents-list")

    row = section.locator(f"li[data-file='{sent['filename']}']")
    row.get_by_role("button", name="Delete").click()
    row.get_by_text("Delete the document of").wait_for()
    assert [f["filename"] for f in _files(trainer, client.user["id"], "document")].count(sent["filename"]) == 1
    row.get_by_role("button", name="Yes, delete").click()
    page.wait_for_selector(".toast:has-text('Document deleted.')")
    section.locator(f"li[data-file='{sent['filename']}']").wait_for(state="detached")
    assert rows.count() == 1
    assert [f["filename"] for f in _files(trainer, client.user["id"], "document")] == [mine[0]["filename"]]


@browser_only
def test_the_account_page_in_hebrew_is_right_to_left(server: Server, owner: Api, people: Any) -> None:
    _, email, _ = _trainer_and_client(server, owner)
    me = people(PHONE)
    page = me.sign_in(email)
    page.evaluate("localStorage.setItem('elior.language', 'he')")
    me.go("/account")
    page.wait_for_selector("h1:has-text('חשבון')")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.get_by_role("heading", name="המסמכים שלי").is_visible()
    assert page.get_by_role("heading", name="תמונה").is_visible()
    assert page.get_by_text("עדיין אין תמונה.").is_visible()
    assert page.get_by_role("button", name="העלאת PDF").is_visible()
    me.shot("documents-account-he")


@browser_only
def test_a_trainers_photo_is_their_own_not_a_clients(server: Server, owner: Api, people: Any) -> None:
    trainer, _, client = _trainer_and_client(server, owner)
    theirs = client.call("POST", "/api/files/upload", 201, data={"purpose": "avatar"},
                         files={"file": ("cleo.png", samples.png(32, 32), "image/png")})
    me = people(DESK)
    page = me.sign_in(trainer.user["email"])
    me.go("/account")
    page.wait_for_selector("text=No photo yet.")  # the client's avatar, which the trainer may see, is not theirs
    page.get_by_label("New photo").set_input_files(
        {"name": "tess.png", "mimeType": "image/png", "buffer": samples.png(36, 36)})
    page.get_by_role("button", name="Upload photo").click()
    page.wait_for_selector(".toast:has-text('Photo saved.')")
    me.go("/account")
    shown = page.locator("img.avatar")
    assert _loaded(shown) > 0 and shown.count() == 1 and shown.get_attribute("data-file") != theirs["filename"]
    assert [f["filename"] for f in _files(client, client.user["id"], "avatar")] == [theirs["filename"]]  # kept


@browser_only
def test_a_trainer_uploads_a_document_on_the_client_page_and_the_client_sees_it(server: Server, owner: Api,
                                                                                people: Any) -> None:
    trainer, client_email, client = _trainer_and_client(server, owner)
    coach = people(DESK)
    page = coach.sign_in(trainer.user["email"])
    coach.go(f"/clients/{client.user['id']}")
    documents = page.locator("section", has=page.get_by_role("heading", name="Documents", exact=True))
    documents.get_by_text("No documents yet.").wait_for()
    documents.get_by_label("PDF file").set_input_files(
        {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": samples.pdf()})
    documents.get_by_role("button", name="Upload PDF").click()
    page.wait_for_selector(".toast:has-text('Document uploaded.')")
    documents.locator("li.document-row").wait_for()
    [sent] = _files(client, client.user["id"], "document")  # the client's own view of their files holds it

    me = people(PHONE)
    mine = me.sign_in(client_email)
    me.go("/account")
    mine.locator(f"li.document-row[data-file='{sent['filename']}']").wait_for()
