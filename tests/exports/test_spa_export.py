""""Download my data" in the browser (issue 18): a client asks on their progress page, sees the progress, and saves
the ZIP; their trainer does the same from the client's page. Driven in Debian's chromium against a real
`python -m elior serve` (the fixtures of tests/web/test_spa.py; any console error fails the test)."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from tests.spa_support import Api, Server, register_by_invite
from tests.web import test_spa as spa
from tests.web.test_spa import DESK, PHONE, browser_only

browser, spa_database_url, server, owner, people = spa.browser, spa.spa_database_url, spa.server, spa.owner, \
    spa.people


def save(page: Any, tmp_path: Path, name: str) -> zipfile.ZipFile:
    page.wait_for_selector("a:has-text('Save the ZIP')", timeout=60_000)
    with page.expect_download() as started:
        page.get_by_role("link", name="Save the ZIP").click()
    path = tmp_path / name
    started.value.save_as(path)
    return zipfile.ZipFile(path)


@browser_only
def test_client_and_trainer_download_the_clients_data(server: Server, owner: Api, people: Any,
                                                      tmp_path: Path) -> None:
    trainer_email, trainer = register_by_invite(server, owner, "trainer", "Tess Trainer")
    client_email, client = register_by_invite(server, trainer, "client", "Cleo Client")
    client_id = client.user["id"]
    trainer.call("POST", "/api/progress", 201, json={"client_id": client_id, "date": "2026-03-01", "weight_kg": 70})

    phone = people(PHONE)
    page = phone.sign_in(client_email)
    phone.go("/progress")
    page.get_by_role("button", name="Download my data").click()
    archive = save(page, tmp_path, "mine.zip")
    data = json.loads(archive.read("data.json"))
    assert data["client_id"] == client_id and [e["weight_kg"] for e in data["tables"]["progress_entries"]] == [70]
    assert page.locator("[role=status]:has-text('Ready')").count() == 1
    phone.shot("export-client")
    phone.go("/progress")  # a visit back finds the export ready
    page.wait_for_selector("a:has-text('Save the ZIP')")

    desk = people(DESK)
    page = desk.sign_in(trainer_email)
    desk.go(f"/clients/{client_id}")
    page.get_by_role("button", name="Download this client's data").click()
    archive = save(page, tmp_path, "theirs.zip")
    assert json.loads(archive.read("data.json"))["client"]["full_name"] == "Cleo Client"
    desk.shot("export-trainer")
