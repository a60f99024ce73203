"""A client's profile edited from the client's page (static/src/client_profile.js): the trainer edits what the server
lets a trainer set on their client (the profile: phone, height, goals...), an admin also the name and email; a taken
email is shown at the email field and changes nothing; the client's page in Hebrew.

What each caller may set is the server's (elior/accounts/users.py allowed_fields): a trainer may not rename their
client (PUT with full_name is a 403), so the rename is an admin's, and the trainer's form has no name field.

Driven in Debian's chromium against a real `python -m elior serve` (the fixtures of tests/web/test_spa.py: a fresh
database per test; any console error, uncaught exception or unexpected 4xx fails the test). The scene is seeded
through the API. Screenshots land in tests/screenshots/trainer-profile-*.png.
"""
from __future__ import annotations

import re
from typing import Any

from tests.spa_support import ADMIN_EMAIL, ADMIN_PASSWORD, Api, Server, register_by_invite
from tests.web import test_spa as spa
from tests.web.test_spa import DESK, PHONE, browser_only

browser, spa_database_url, server, owner, people = spa.browser, spa.spa_database_url, spa.server, spa.owner, spa.people


def _trainer_and_client(server: Server, owner: Api) -> dict[str, Any]:
    trainer_email, trainer = register_by_invite(server, owner, "trainer", "Tess Trainer")
    client_email, client = register_by_invite(server, trainer, "client", "Cleo Client")
    return {"trainer_email": trainer_email, "trainer": trainer, "client_email": client_email, "client": client,
            "id": client.user["id"]}


def _open_editor(page: Any) -> Any:
    """Unfold the profile editor on the client's page; the form it holds."""
    page.get_by_text("Edit the profile").click()
    form = page.get_by_role("form", name=re.compile("^Profile of "))
    form.wait_for()
    return form


@browser_only
def test_a_trainer_edits_their_clients_profile_from_the_client_page(server: Server, owner: Api, people: Any) -> None:
    scene = _trainer_and_client(server, owner)
    desk = people(DESK)
    page = desk.sign_in(scene["trainer_email"])
    desk.go(f"/clients/{scene['id']}")
    page.wait_for_selector("h1:has-text('Cleo Client')")
    form = _open_editor(page)
    # A trainer may set the profile only: no name or email field to fill in and be refused.
    assert form.get_by_label("Full name").count() == 0 and form.get_by_label("Email").count() == 0
    form.get_by_label("Phone").fill("+972 50 123 4567")
    form.get_by_label("Height (cm)").fill("172.5")
    form.get_by_label("Goals").fill("Run 10 km by spring")
    form.get_by_label("Medical notes").fill("Old knee injury, left")
    desk.shot("trainer-profile-form")
    form.get_by_role("button", name="Save the profile").click()
    page.wait_for_selector(".toast:has-text('Profile of Cleo Client saved.')")

    # The page shows it at once, and it is what the server keeps.
    page.locator(".client-summary p", has_text="Goals: Run 10 km by spring").wait_for()
    assert "+972 50 123 4567" in page.locator(".client-summary").inner_text()
    assert page.locator(".client-summary .notice").inner_text() == "Medical notes: Old knee injury, left"
    stored = owner.call("GET", f"/api/users/{scene['id']}")
    assert stored["profile"]["goals"] == "Run 10 km by spring"
    assert stored["profile"]["phone"] == "+972 50 123 4567"
    assert stored["profile"]["height_cm"] == 172.5
    assert stored["profile"]["medical_notes"] == "Old knee injury, left"
    assert stored["full_name"] == "Cleo Client"
    assert "null" not in page.locator("main").inner_text()  # (a client with no meal plan once showed "null")

    # The form keeps the saved values after a reload; clearing a field clears it on the server.
    desk.go(f"/clients/{scene['id']}")
    form = _open_editor(page)
    assert form.get_by_label("Goals").input_value() == "Run 10 km by spring"
    assert form.get_by_label("Height (cm)").input_value() == "172.5"
    form.get_by_label("Medical notes").fill("")
    form.get_by_role("button", name="Save the profile").click()
    page.locator(".client-summary .notice").wait_for(state="detached")
    assert owner.call("GET", f"/api/users/{scene['id']}")["profile"]["medical_notes"] is None


@browser_only
def test_an_admin_renames_a_client_and_the_trainers_list_shows_the_new_name(server: Server, owner: Api,
                                                                            people: Any) -> None:
    scene = _trainer_and_client(server, owner)
    desk = people(DESK)
    page = desk.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    desk.go(f"/clients/{scene['id']}")
    page.wait_for_selector("h1:has-text('Cleo Client')")
    form = _open_editor(page)
    assert form.get_by_label("Email").input_value() == scene["client_email"]
    form.get_by_label("Full name").fill("Cleo Renamed")
    form.get_by_role("button", name="Save the profile").click()
    page.wait_for_selector(".toast:has-text('Profile of Cleo Renamed saved.')")
    page.wait_for_selector("h1:has-text('Cleo Renamed')")
    assert owner.call("GET", f"/api/users/{scene['id']}")["full_name"] == "Cleo Renamed"
    assert scene["trainer"].call("GET", f"/api/users/{scene['id']}")["full_name"] == "Cleo Renamed"

    page.get_by_role("link", name="Clients", exact=True).click()
    page.locator("table.clients").get_by_role("link", name="Cleo Renamed").wait_for()

    phone = people(PHONE)
    theirs = phone.sign_in(scene["trainer_email"])
    phone.go("/clients")
    theirs.locator("table.clients").get_by_role("link", name="Cleo Renamed").wait_for()
    assert theirs.locator("table.clients").get_by_text("Cleo Client").count() == 0
    phone.shot("trainer-profile-renamed-list")


@browser_only
def test_a_taken_email_is_shown_at_the_field_and_changes_nothing(server: Server, owner: Api, people: Any) -> None:
    scene = _trainer_and_client(server, owner)
    desk = people(DESK)
    page = desk.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    desk.go(f"/clients/{scene['id']}")
    form = _open_editor(page)
    form.get_by_label("Full name").fill("Cleo Elsewhere")
    email = form.get_by_label("Email")
    email.fill(scene["trainer_email"])  # the trainer's address: taken
    desk.expected_statuses.add(409)
    form.get_by_role("button", name="Save the profile").click()
    error = form.locator(".field-error:visible")
    error.wait_for()
    assert error.inner_text() == f"{scene['trainer_email']} is already the email of another account."
    assert email.get_attribute("aria-invalid") == "true"
    # The message is the email field's own (aria-describedby), not the form's general alert.
    assert error.get_attribute("id") in (email.get_attribute("aria-describedby") or "").split()
    assert form.locator(".form-alert").is_hidden()
    desk.shot("trainer-profile-email-taken")

    stored = owner.call("GET", f"/api/users/{scene['id']}")
    assert stored["email"] == scene["client_email"] and stored["full_name"] == "Cleo Client"
    assert page.locator("h1").inner_text() == "Cleo Client"
    assert page.locator(".toast").count() == 0


@browser_only
def test_the_trainers_client_page_in_hebrew(server: Server, owner: Api, people: Any) -> None:
    scene = _trainer_and_client(server, owner)
    scene["trainer"].call("PUT", f"/api/users/{scene['id']}", json={"profile": {"goals": "ריצת 10 ק״מ"}})
    desk = people(PHONE)
    page = desk.sign_in(scene["trainer_email"])
    page.evaluate("localStorage.setItem('elior.language','he')")  # this device's choice; the trainer made none
    desk.go(f"/clients/{scene['id']}")
    page.wait_for_selector("h1:has-text('Cleo Client')")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "he"
    page.get_by_role("heading", name="אימונים קרובים").wait_for()
    page.get_by_role("link", name="אימון חדש").wait_for()
    assert page.locator(".client-summary").get_by_text("מטרות:").is_visible()
    page.get_by_text("עריכת הפרופיל").click()
    form = page.get_by_role("form", name="הפרופיל של Cleo Client")
    form.get_by_label("מטרות").fill("ריצת 21 ק״מ")
    form.get_by_role("button", name="שמירת הפרופיל").click()
    page.wait_for_selector(".toast:has-text('הפרופיל של Cleo Client נשמר.')")
    desk.shot("trainer-profile-hebrew")
    assert owner.call("GET", f"/api/users/{scene['id']}")["profile"]["goals"] == "ריצת 21 ק״מ"


@browser_only
def test_the_owner_switches_a_client_to_pounds_and_the_client_reads_pounds(server: Server, owner: Api,
                                                                          people: Any) -> None:
    scene = _trainer_and_client(server, owner)
    scene["client"].call("POST", "/api/progress", 201, json={"date": "2026-01-05", "weight_kg": 80})
    desk = people(DESK)
    page = desk.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    desk.go(f"/clients/{scene['id']}")
    form = _open_editor(page)
    assert form.get_by_label("Weights in").input_value() == "kg"
    form.get_by_label("Weights in").select_option("lb")
    form.get_by_label("Lengths in").select_option("in")
    form.get_by_role("button", name="Save the profile").click()
    page.wait_for_selector(".toast:has-text('Profile of Cleo Client saved.')")
    stored = owner.call("GET", f"/api/users/{scene['id']}")
    assert (stored["units_weight"], stored["units_length"]) == ("lb", "in")
    assert owner.call("GET", "/api/progress", params={"client_id": scene["id"]})["items"][0]["weight_kg"] == 80

    # The trainer is not offered the client's units: they are the owner's or the client's to set.
    coach = people(DESK)
    theirs = coach.sign_in(scene["trainer_email"])
    coach.go(f"/clients/{scene['id']}")
    assert _open_editor(theirs).get_by_label("Weights in").count() == 0

    phone = people(PHONE)
    mine = phone.sign_in(scene["client_email"])
    phone.go("/progress")
    mine.get_by_label("Weight (lb)").wait_for()
    mine.get_by_text("176.4 lb").first.wait_for()  # the 80 kg entry, in pounds
