"""Packages and credits: staff record a package a client paid for outside Elior (N credits of a session type, an
expiry date, a note on the payment); the client and staff read the balance and every movement of the ledger.

The movements themselves are elior.bookings.ledger's; this module only adds packages and reads. A package's credits
cover sessions on local days up to its `expires_on` (none: no end); what is left after that day is written off by
the expiry sweep (elior.bookings.jobs).
"""
from __future__ import annotations

from typing import Any

from starlette.responses import Response

from elior import clock
from elior.audit import access_log  # who read or changed a client's records
from elior.bookings import ledger, schedule, slots
from elior.bookings.session_types import fetch_type
from elior.web.errors import ApiError, invalid, not_found
from elior.web.responses import JSONResponse, created
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, Date, DateTime, Int, Schema, Str

MOVES = ("grant", "hold", "release", "spend", "expire")
PACKAGE = Schema("PackageCreate", {
    "client_id": Int(required=True, minimum=1),
    "type_id": Int(required=True, minimum=1, description="a session type that uses credits"),
    "credits": Int(required=True, minimum=1, maximum=1000, example=10),
    "expires_on": Date(nullable=True, description="the last local day a credit of it may be booked for"),
    "note": Str(max_length=1000, nullable=True, description="how it was paid (outside Elior)",
                example="paid cash, receipt 1042"),
})
PACKAGE_OUT = Schema("Package", {
    "id": Int(), "client_id": Int(), "type_id": Int(), "type_name": Str(), "credits": Int(),
    "remaining": Int(description="credits neither held, spent nor expired"), "expires_on": Date(nullable=True),
    "note": Str(nullable=True), "created_by": Int(nullable=True), "created_at": DateTime(),
})
PACKAGE_PAGE = Schema("PackagePage", {
    "items": Array(items=PACKAGE_OUT), "total": Int(), "limit": Int(), "offset": Int(),
})
BALANCE = Schema("CreditBalance", {
    "type_id": Int(), "type_name": Str(),
    "balance": Int(description="credits that can be booked with: the sum of the ledger"),
    "held": Int(description="credits held by sessions booked and not yet attended (not in the balance)"),
})
BALANCES = Schema("CreditBalances", {"client_id": Int(), "balances": Array(items=BALANCE)})
MOVE = Schema("CreditMove", {
    "id": Int(), "client_id": Int(), "package_id": Int(), "type_id": Int(), "appointment_id": Int(nullable=True),
    "kind": Str(enum=MOVES), "delta": Int(), "balance_after": Int(description="the type's balance after it"),
    "created_by": Int(nullable=True), "created_at": DateTime(),
})
LEDGER_PAGE = Schema("CreditLedgerPage", {
    "items": Array(items=MOVE), "total": Int(), "limit": Int(), "offset": Int(),
})
CLIENT_QUERY = Schema("CreditQuery", {
    "client_id": Int(minimum=1, description="required for staff; a client reads their own"),
})
PAGE_QUERY = Schema("PackageQuery", {"client_id": CLIENT_QUERY.fields["client_id"], **PAGE})
LEDGER_QUERY = Schema("CreditLedgerQuery", {
    "client_id": CLIENT_QUERY.fields["client_id"], "type_id": Int(minimum=1, description="one session type's"),
    **PAGE,
})


def package_shape(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "remaining": int(row["remaining"] or 0),
            "expires_on": None if row["expires_on"] is None else str(row["expires_on"])[:10]}


async def client_of_query(call: Call) -> int:
    """The client a read is about: a client's own, or the `client_id` staff name, when the caller may see them."""
    client_id = call.query.get("client_id")
    if client_id is None:
        if call.user.role != "client":
            raise invalid(("query", "client_id"), "is required for staff", "value_error.missing")
        client_id = call.user.id
    if await call.db.fetch_val("bookings.appointments.visible_client", client_id=client_id, **call.scope) is None:
        raise not_found("client", client_id)
    await access_log.note(call, client_id, "credits.read")  # every caller of this reads the client's credits
    return int(client_id)


async def create_package(call: Call) -> Response:
    """Record a package of credits for a client (their trainer, an admin)."""
    body = call.body or {}
    today = slots.local_day(clock.now(), schedule.studio_zone(call.settings))
    if body.get("expires_on") is not None and body["expires_on"] < today:
        raise invalid(("body", "expires_on"), "must not be in the past", "value_error.date.past")
    try:
        kind = await fetch_type(call, body["type_id"])
    except ApiError:
        raise invalid(("body", "type_id"), "is not a session type", "value_error.type") from None
    if not kind["uses_credit"] or not kind["is_active"]:
        raise invalid(("body", "type_id"), "is retired or does not use credits", "value_error.type")
    async with call.db.transaction():
        package_id = await call.db.fetch_val(
            "bookings.credits.insert_package", client_id=body["client_id"], type_id=kind["id"],
            credits=body["credits"], expires_on=body.get("expires_on"), note=body.get("note"), now=clock.now(),
            **call.scope)
        if package_id is None:
            raise not_found("client", body["client_id"])
        await ledger.grant(call.db, client_id=body["client_id"], package_id=package_id, type_id=kind["id"],
                           credits=body["credits"], by=call.user.id)
    await access_log.note(call, body["client_id"], "credits.change")
    row = await call.db.fetch_one("bookings.credits.package", id=package_id, **call.scope)
    assert row is not None
    return created(package_shape(row))


async def list_packages(call: Call) -> Response:
    """A client's packages, newest first, with what is left of each."""
    client_id = await client_of_query(call)
    rows = await call.db.fetch_all("bookings.credits.packages_page", client_id=client_id, limit=call.query["limit"],
                                   offset=call.query["offset"], **call.scope)
    total = await call.db.fetch_val("bookings.credits.packages_count", client_id=client_id, **call.scope)
    return JSONResponse({"items": [package_shape(row) for row in rows], "total": int(total),
                         "limit": call.query["limit"], "offset": call.query["offset"]})


async def balances(call: Call) -> Response:
    """A client's credit balance per session type."""
    client_id = await client_of_query(call)
    rows = await call.db.fetch_all("bookings.credits.balances", client_id=client_id, **call.scope)
    return JSONResponse({"client_id": client_id, "balances": [
        {"type_id": row["type_id"], "type_name": row["type_name"], "balance": int(row["balance"]),
         "held": int(row["held"])} for row in rows]})


async def list_ledger(call: Call) -> Response:
    """Every movement of a client's credits, newest first."""
    client_id = await client_of_query(call)
    values = {"client_id": client_id, "type_id": call.query.get("type_id") or 0, **call.scope}
    rows = await call.db.fetch_all("bookings.credits.ledger_page", **values, limit=call.query["limit"],
                                   offset=call.query["offset"])
    total = await call.db.fetch_val("bookings.credits.ledger_count", **values)
    return JSONResponse({"items": [{**row, "balance_after": int(row["balance_after"])} for row in rows],
                         "total": int(total), "limit": call.query["limit"], "offset": call.query["offset"]})
