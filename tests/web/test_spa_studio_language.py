"""The studio's language in the browser: the owner sets it on the Studio page, and it is what a device that has made
no choice of its own shows (the sign-in page of a new phone) and what a user who never chose a language sees once
signed in; a user's own choice still wins. Then a Hebrew pass over the client's booking page and calendar: right to
left, the catalogue's Hebrew, weekday and month names from Intl in he-IL.

Driven in Debian's chromium against a real `python -m elior serve` (the fixtures of tests/web/test_spa.py: a fresh
database per test; any console error, which a missing catalogue key logs, fails the test). Expected Hebrew comes from
static/src/lang_he.js itself, so a test never holds a second copy of a translation.
"""
from __future__ import annotations

import json
import re
from typing import Any

from tests.spa_support import PASSWORD, ROOT, Api, Server, register_by_invite
from tests.web import test_spa as spa
from tests.web import test_spa_bookings as bookings
from tests.web.test_spa import DESK, PHONE, browser_only

browser, spa_database_url, server, owner, people = spa.browser, spa.spa_database_url, spa.server, spa.owner, \
    spa.people
HEBREW = re.compile(r"[\u05d0-\u05ea]")


def _catalogue(code: str) -> dict[str, Any]:
    """static/src/lang_<code>.js as a dict (one `"key": value,` line per entry, values written as JSON)."""
    text = (ROOT / "static" / "src" / f"lang_{code}.js").read_text()
    body = text[text.index("export default {") + len("export default {"):text.rindex("};")]
    return json.loads("{" + body.strip().rstrip(",") + "}")


HE = _catalogue("he")


def _plural(key: str, count: int) -> str:
    """A Hebrew plural entry as i18n.js picks it (Intl.PluralRules("he-IL"): one, two, other)."""
    forms = HE[key]
    return forms["one" if count == 1 else "two" if count == 2 else "other"].replace("{count}", str(count))


def _wait_for_language(page: Any, code: str, direction: str) -> None:
    # A function, not an expression: the app's CSP forbids eval, which Playwright uses to poll an expression.
    page.wait_for_function("([code, direction]) => document.documentElement.lang === code "
                           "&& document.documentElement.dir === direction", arg=[code, direction])


def _sign_in_by_form(page: Any, email: str) -> None:
    """The sign-in form in whatever language it shows: found by its fields, not by their (translated) labels."""
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_selector("header.top")


def _studio_to_hebrew(owner_person: Any, owner: Api) -> Any:
    page = owner_person.sign_in(spa.ADMIN_EMAIL, spa.ADMIN_PASSWORD)
    page.get_by_role("link", name="Studio", exact=True).click()
    page.wait_for_selector("h1:has-text('Studio')")
    select = page.get_by_label("Studio language")
    assert select.input_value() == "en"
    assert [o.strip() for o in select.locator("option").all_inner_texts()] == ["English", "עברית"]
    assert "the sign-in page on a new device" in page.locator(".studio-language-form .hint").inner_text()
    select.select_option("he")
    page.get_by_role("button", name="Save language").click()
    page.locator(".toast", has_text="The studio's language is now עברית.").wait_for()
    assert owner.call("GET", "/api/studio") == {"language": "he"}
    # The owner's own screen stays as it is: the studio's language is for those who have not chosen.
    assert page.evaluate("document.documentElement.dir") == "ltr"
    return page


@browser_only
def test_spa_the_studio_language_greets_new_devices_and_users_who_never_chose(server: Server, owner: Api,
                                                                             people: Any) -> None:
    english_email, chose_english = register_by_invite(server, owner, "client", "Eli English")
    chose_english.call("PUT", f"/api/users/{chose_english.user['id']}", json={"language": "en"})
    desk = people(DESK)
    page = _studio_to_hebrew(desk, owner)

    # A new phone, nothing in its storage: the sign-in page is Hebrew, right to left.
    phone = people(PHONE)
    fresh = phone.go("/signin")
    _wait_for_language(fresh, "he", "rtl")
    assert phone.page.evaluate("localStorage.getItem('elior.language')") is None  # shown, not chosen
    assert HEBREW.search(fresh.locator("h1").inner_text())
    assert fresh.locator("select.language-switch").get_attribute("aria-label") == HE["lang.switch"]
    assert fresh.locator("select.language-switch").input_value() == "he"
    # A client who chose English gets English once signed in, on this Hebrew device too.
    _sign_in_by_form(fresh, english_email)
    _wait_for_language(fresh, "en", "ltr")
    assert fresh.locator("header.top select.language-switch").input_value() == "en"
    # The client's first page is drawn after the language changed: wait for its heading, then read it.
    fresh.wait_for_function("() => { const h1 = document.querySelector('main h1');"
                            " return document.querySelector('main[aria-busy]') === null && h1"
                            " && !/[\\u05d0-\\u05ea]/.test(h1.innerText); }")
    assert not HEBREW.search(fresh.locator("h1").inner_text())

    # The owner never chose a language either: the next load of the page is the studio's, Hebrew.
    page.reload()
    _wait_for_language(page, "he", "rtl")
    page.locator("h1", has_text=HE["studio.title"]).wait_for()
    assert page.get_by_label(HE["studio.language_label"]).input_value() == "he"
    assert HE["studio.language_hint"] in page.locator(".studio-language-form .hint").inner_text()


@browser_only
def test_spa_a_client_books_and_reads_the_calendar_in_hebrew(server: Server, owner: Api, people: Any) -> None:
    studio = bookings._studio(server, owner, bookings.MORNINGS)
    owner.call("PUT", "/api/studio", json={"language": "he"})
    phone = people(PHONE)
    page = phone.go("/signin")
    _wait_for_language(page, "he", "rtl")
    _sign_in_by_form(page, studio["client_email"])  # the client never chose: Hebrew, the studio's
    assert page.evaluate("document.documentElement.dir") == "rtl"

    # The booking page: headings, the credit count as a Hebrew plural, days named by Intl in he-IL.
    page.locator("a[href='/book']").first.click()
    page.locator("h1", has_text=HE["booking.title"]).wait_for()
    for key in ("booking.credits_title", "booking.upcoming_title", "booking.free_title"):
        assert page.locator("section.card h2", has_text=HE[key]).count() == 1, key
    assert page.locator(".credit .credit-count").inner_text() == _plural("booking.credits_left", 5)
    assert HE["booking.nothing_booked"] in page.locator(".upcoming-box").inner_text()
    slot = page.locator("button.slot").first
    slot.wait_for()
    start = slot.get_attribute("data-start")
    day = page.evaluate("(iso) => new Date(iso).toLocaleDateString('he-IL', { weekday: 'short', day: 'numeric', "
                        "month: 'short' })", start)
    assert HEBREW.search(day)
    assert page.locator(".slot-day h3").first.inner_text() == day
    slot.click()
    confirm = page.locator(".book-confirm")
    confirm.get_by_role("button", name=HE["booking.book_it"]).wait_for()
    assert "(מנצל קרדיט אחד)" in confirm.inner_text() and day in confirm.inner_text()
    confirm.get_by_role("button", name=HE["booking.book_it"]).click()
    page.locator(".toast", has_text="הוזמן:").wait_for()
    page.locator(".appointment").wait_for()
    # The count is read again after the booking: wait for it rather than read it while it is on its way.
    page.locator(".credit .credit-count", has_text=_plural("booking.credits_left", 4)).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.shot("studio-language-booking-he")

    # The calendar: its month named and its weekdays headed by Intl in he-IL, Monday first.
    page.locator("a[href='/calendar']").first.click()
    page.locator("h1", has_text=HE["calendar.own_title"]).wait_for()
    assert page.locator(".cal-day.today .today-mark").inner_text() == HE["calendar.today"]
    assert page.locator("section.card h2", has_text=HE["calendar_feed.title"]).count() == 1
    page.get_by_role("button", name=HE["calendar.month"], exact=True).click()
    page.locator(".cal-weekdays").wait_for()
    weekdays = page.evaluate("""() => {
        const format = new Intl.DateTimeFormat("he-IL", { weekday: "short" });
        return [...Array(7)].map((_, i) => format.format(new Date(2024, 0, 1 + i)));  // 1 January 2024: a Monday
    }""")
    assert page.locator(".cal-weekdays span").all_text_contents() == weekdays
    assert all(HEBREW.search(name) for name in weekdays)
    month = page.evaluate("new Date().toLocaleDateString('he-IL', { month: 'long', year: 'numeric' })")
    assert page.locator(".cal-range").inner_text() == month
    assert page.get_by_role("button", name=HE["calendar.next_month"]).count() == 1
    phone.shot("studio-language-calendar-he")
