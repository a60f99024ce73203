"""A client's session credits move by move in the browser (GET /api/credits/ledger, static/src/ledger.js): folded
under "History of your credits" on the client's Book page, and as "Session credits" on the trainer's client page.
Each move shows what happened in words, the change with its sign, the balance after it and what it refers to (the
session booked, the package and its payment note).

The studio (a session type that uses credits, the trainer's mornings, a package of 5 with a note) and the bookings
are seeded through the API (tests/web/test_spa_bookings.py's _studio); the fixtures are tests/web/test_spa.py's.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.spa_support import Api, Server
from tests.web import test_spa as spa
from tests.web.test_spa import DESK, PHONE, browser_only
from tests.web.test_spa_bookings import MORNINGS, _studio

browser, spa_database_url, server, owner, people = spa.browser, spa.spa_database_url, spa.server, spa.owner, \
    spa.people
GRANT = "Personal training package: paid cash, receipt 1042"  # the package _studio records, as its moves say


def _book(client: Api, type_id: int, days_ahead: int) -> dict[str, Any]:
    """The client books the first free slot `days_ahead` days from today (far from any cancel cut-off)."""
    day = (date.today() + timedelta(days=days_ahead)).isoformat()
    start = client.call("GET", "/api/slots", params={"type": type_id, "from": day, "to": day})["items"][0]
    return client.call("POST", "/api/appointments", 201, json={"type_id": type_id, "starts_at": start["starts_at"]})


def _moves(box: Any) -> list[tuple[str, str, str]]:
    """What each move of the ledger in `box` says: (what happened, the change, the balance after), newest first."""
    return [tuple(row) for row in box.locator(".ledger-move").evaluate_all(
        "rows => rows.map((r) => ['.move-what', '.move-delta', '.move-balance']"
        ".map((part) => r.querySelector(part).textContent))")]


def _abouts(box: Any) -> list[str]:
    return box.locator(".ledger-move .move-about").all_inner_texts()


@browser_only
def test_the_client_reads_every_move_of_their_credits_on_the_book_page(server: Server, owner: Api,
                                                                         people: Any) -> None:
    studio = _studio(server, owner, MORNINGS)
    client, kind = studio["client"], studio["type"]
    _book(client, kind["id"], 3)
    dropped = _book(client, kind["id"], 4)
    client.call("POST", f"/api/appointments/{dropped['id']}/cancel", json={})  # days ahead: the credit comes back

    phone = people(PHONE)
    page = phone.sign_in(studio["client_email"])
    page.get_by_role("link", name="Book", exact=True).click()
    page.wait_for_selector("h1:has-text('Book a session')")
    assert page.locator(".credit .credit-count").inner_text() == "4 left"
    history = page.locator("details.credit-history")
    assert not history.locator(".ledger-move").first.is_visible()  # folded until asked for
    history.get_by_text("History of your credits").click()
    history.locator(".ledger-move").nth(3).wait_for()
    assert _moves(history) == [
        ("Cancelled in time: credit returned", "+1", "Balance: 4"),
        ("Booked: credit held", "\u22121", "Balance: 3"),
        ("Booked: credit held", "\u22121", "Balance: 4"),
        ("Credits added", "+5", "Balance: 5"),
    ]
    returned, dropped_hold, kept_hold, granted = _abouts(history)
    assert returned == dropped_hold != kept_hold  # the return names the session that was cancelled
    assert kept_hold.startswith("Personal training, ") and granted == GRANT
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.shot("ledger-client-phone")

    # Booking on the page adds its hold at the top of the open history, with the balance it leaves.
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    free = client.call("GET", "/api/slots", params={"type": kind["id"], "from": tomorrow})["items"][0]
    page.locator(f"button.slot[data-start='{free['starts_at']}']").click()
    page.get_by_role("button", name="Book it").click()
    history.locator(".ledger-move").nth(4).wait_for()
    assert _moves(history)[0] == ("Booked: credit held", "\u22121", "Balance: 3")
    assert page.locator(".credit .credit-count").inner_text() == "3 left"


@browser_only
def test_the_trainer_reads_a_clients_credits_on_the_client_page(server: Server, owner: Api, people: Any) -> None:
    studio = _studio(server, owner, MORNINGS)
    client, kind = studio["client"], studio["type"]
    _book(client, kind["id"], 2)

    desk = people(DESK)
    page = desk.sign_in(studio["trainer_email"])
    desk.go(f"/clients/{client.user['id']}")
    credits = page.locator("section.card", has=page.get_by_role("heading", name="Session credits", exact=True))
    credits.locator(".ledger-move").nth(1).wait_for()
    assert _moves(credits) == [("Booked: credit held", "\u22121", "Balance: 4"),
                               ("Credits added", "+5", "Balance: 5")]
    held, granted = _abouts(credits)
    assert held.startswith("Personal training, ") and granted == GRANT
    desk.shot("ledger-trainer-client")


@browser_only
def test_the_credit_history_in_hebrew_is_right_to_left(server: Server, owner: Api, people: Any) -> None:
    studio = _studio(server, owner, MORNINGS)
    client, kind = studio["client"], studio["type"]
    _book(client, kind["id"], 2)

    phone = people(PHONE)
    page = phone.sign_in(studio["client_email"])
    page.evaluate("localStorage.setItem('elior.language','he')")  # this device chose Hebrew; the app boots in it
    phone.go("/book")
    page.wait_for_selector("h1:has-text('הזמנת אימון')")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    history = page.locator("details.credit-history")
    history.get_by_text("היסטוריית הקרדיטים שלך").click()
    history.locator(".ledger-move").nth(1).wait_for()
    assert _moves(history) == [("הוזמן אימון: הקרדיט שמור", "\u22121", "יתרה: 4"),
                               ("נוספו קרדיטים", "+5", "יתרה: 5")]
    assert _abouts(history)[1] == "חבילת Personal training: paid cash, receipt 1042"
    assert history.locator(".move-delta").first.get_attribute("dir") == "ltr"  # the sign stays before its figure
    phone.shot("ledger-client-he")
