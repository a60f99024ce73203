"""The bookings tests' world: session types, a trainer's week, packages, and booking through the API."""
from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.testclient import TestClient

from tests.helpers import Person

UTC = dt.timezone.utc
# Monday 23 March 2026, 09:00 in Berlin (CET, UTC+1); the clocks go forward on Sunday 29 March.
START = dt.datetime(2026, 3, 23, 8, 0, tzinfo=UTC)
MONDAY = dt.date(2026, 3, 23)
WEEKDAYS_9_TO_17 = [{"weekday": day, "start": "09:00", "end": "17:00"} for day in range(7)]


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def make_type(client: TestClient, admin: Person, **fields: Any) -> dict[str, Any]:
    body = {"name": "Personal training", "duration_minutes": 60, "capacity": 1, "buffer_minutes": 0,
            "uses_credit": True, **fields}
    return ok(client.post("/api/session-types", json=body, headers=admin.headers), 201)  # type: ignore[no-any-return]


def set_week(client: TestClient, trainer: Person, weekly: list[dict[str, Any]] | None = None,
             by: Person | None = None) -> dict[str, Any]:
    response = client.put(f"/api/trainers/{trainer.id}/availability", json={"weekly": weekly or WEEKDAYS_9_TO_17},
                          headers=(by or trainer).headers)
    return ok(response)  # type: ignore[no-any-return]


def give_credits(client: TestClient, staff: Person, who: Person, kind: dict[str, Any], credits: int = 5,
                 expires_on: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"client_id": who.id, "type_id": kind["id"], "credits": credits, "note": "paid cash"}
    if expires_on:
        body["expires_on"] = expires_on
    return ok(client.post("/api/packages", json=body, headers=staff.headers), 201)  # type: ignore[no-any-return]


def book(client: TestClient, caller: Person, kind: dict[str, Any], starts_at: dt.datetime,
         client_id: int | None = None) -> Any:
    body: dict[str, Any] = {"type_id": kind["id"], "starts_at": iso(starts_at)}
    if client_id is not None:
        body["client_id"] = client_id
    return client.post("/api/appointments", json=body, headers=caller.headers)


def balance(client: TestClient, who: Person, kind: dict[str, Any], by: Person | None = None) -> int:
    query = "" if by is None else f"?client_id={who.id}"
    body = ok(client.get(f"/api/credits{query}", headers=(by or who).headers))
    return next((b["balance"] for b in body["balances"] if b["type_id"] == kind["id"]), 0)


def slots(client: TestClient, caller: Person, trainer: Person, kind: dict[str, Any], first: dt.date,
          last: dt.date | None = None) -> list[dict[str, Any]]:
    query = f"trainer_id={trainer.id}&type={kind['id']}&from={first}&to={last or first}"
    return ok(client.get(f"/api/slots?{query}", headers=caller.headers))["items"]  # type: ignore[no-any-return]
