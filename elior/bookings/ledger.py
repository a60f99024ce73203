"""The credit ledger's movements: the only writer of `credit_ledger`, always inside its caller's transaction.

The ledger is append-only (a trigger refuses any UPDATE) and the sum of `delta` is the balance a client can book
with, per session type:

    grant   +N  a package recorded                      hold     -1  a booking takes a credit out of the balance
    release +1  an early cancel gives it back           spend     0  attended, no-show or a late cancel: used up
    expire  -N  what was left of a package past its date

Each hold names its package and appointment; an appointment holds at most once and settles at most once (unique
indexes), so a credit can neither be returned twice nor be both returned and spent. A hold is taken only from a
package with a credit left, under the client's row lock (sql/bookings/appointments/lock.postgresql.sql; SQLite's
one writer), so no package, and no balance, ever goes below zero.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from elior import clock
from elior.db.database import Database


async def _move(db: Database, *, client_id: int, package_id: int, type_id: int, kind: str, delta: int,
                by: int | None, appointment_id: int | None = None) -> None:
    await db.fetch_val("bookings.credits.move", client_id=client_id, package_id=package_id, type_id=type_id,
                       appointment_id=appointment_id, kind=kind, delta=delta, created_by=by, now=clock.now())


async def grant(db: Database, *, client_id: int, package_id: int, type_id: int, credits: int, by: int) -> None:
    await _move(db, client_id=client_id, package_id=package_id, type_id=type_id, kind="grant", delta=credits, by=by)


async def hold(db: Database, *, appointment_id: int, client_id: int, type_id: int, day: dt.date,
               by: int | None) -> bool:
    """Hold one credit of the type for the appointment on local day `day`; False when the client has none valid
    then. The caller holds the client's lock."""
    package = await db.fetch_one("bookings.credits.usable_package", client_id=client_id, type_id=type_id, day=day)
    if package is None:
        return False
    await _move(db, client_id=client_id, package_id=package["id"], type_id=type_id, kind="hold", delta=-1, by=by,
                appointment_id=appointment_id)
    return True


async def held(db: Database, appointment_id: int) -> dict[str, Any] | None:
    """The appointment's hold (package, type, the package's expiry) and how it was settled, or None."""
    return await db.fetch_one("bookings.credits.hold_of", appointment_id=appointment_id)


async def settle(db: Database, appointment_id: int, kind: str, by: int | None) -> str | None:
    """Return (`release`) or use up (`spend`) the appointment's held credit; the kind written, or None when it held
    none or was settled already."""
    assert kind in ("release", "spend")
    hold_row = await held(db, appointment_id)
    if hold_row is None or hold_row["settled"] is not None:
        return None
    await _move(db, client_id=hold_row["client_id"], package_id=hold_row["package_id"], type_id=hold_row["type_id"],
                kind=kind, delta=1 if kind == "release" else 0, by=by, appointment_id=appointment_id)
    return kind


async def expire(db: Database, *, package_id: int, client_id: int, type_id: int) -> int:
    """Write off what is left of an expired package; how many credits. The caller holds the client's lock."""
    remaining = int(await db.fetch_val("bookings.credits.package_remaining", package_id=package_id) or 0)
    if remaining > 0:
        await _move(db, client_id=client_id, package_id=package_id, type_id=type_id, kind="expire",
                    delta=-remaining, by=None)
    return max(remaining, 0)
