"""Compliance and the attention queue: `GET /api/clients/attention`, the trainer's home screen.

Compliance over N days is workouts completed / workouts due, in percent, over the N days up to today: a workout is
due once its day has passed, or sooner when it is already done (so a workout planned for today counts only once
logged, and never against the client before tomorrow). None when nothing was due.

A client is flagged, with one reason each, when (thresholds: the studio settings ATTENTION_*):
- `compliance_drop`: 7-day compliance fell at least ATTENTION_DROP_POINTS below the 7 days before;
- `inactive`: no workout logged for more than ATTENTION_INACTIVE_DAYS days (or never);
- `review_waiting`: meal entries wait for the trainer's review;
- `weigh_in_missing`: no weigh-in for more than ATTENTION_WEIGH_IN_DAYS days (or never);
- `nothing_scheduled`: no planned workout in the coming 7 days.
Sorted by urgency: more reasons first, then lower 7-day compliance, longer since the last log, more reviews
waiting, then by name.

The figures are kept per client (attention_cache), each row good for its day while the client's version has not
moved: triggers in the database raise it on any change to the client's workouts, logs, meal entries or weigh-ins,
whichever process made it. So a request reads every client's kept row (one statement, three key lookups a client,
however long their history) and recomputes only the stale ones (two statements more, whatever their number): the
queue costs the same for 200 clients as for 10 once the day's figures are made, and never shows a stale figure.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

import orjson
from starlette.responses import Response

from elior import clock
from elior.settings import Settings
from elior.web.responses import JSONResponse
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, Bool, Int, Number, Schema, Str

REASONS = ("compliance_drop", "inactive", "review_waiting", "weigh_in_missing", "nothing_scheduled")
QUERY = Schema("AttentionQuery", {
    "trainer_id": Int(minimum=1, description="admins: one trainer's clients; omitted: every client of the studio"),
    "flagged": Bool(default=False, description="only the clients with at least one reason"),
    **PAGE,
})
REASON = Schema("AttentionReason", {"code": Str(enum=REASONS), "detail": Str()})
ITEM = Schema("AttentionClient", {
    "client_id": Int(), "client_name": Str(), "trainer_id": Int(nullable=True),
    **{f"compliance_{n}": Number(nullable=True, description=f"percent over {n} days") for n in (7, 30, 90)},
    "previous_compliance_7": Number(nullable=True, description="percent over the 7 days before those"),
    **{f"{kind}_{n}": Int() for n in (7, 30, 90) for kind in ("due", "completed")},
    "last_logged_at": Str(nullable=True), "days_since_last_log": Int(nullable=True),
    "pending_reviews": Int(), "last_weigh_in": Str(nullable=True), "days_since_weigh_in": Int(nullable=True),
    "upcoming_workouts": Int(description="planned from today to six days on"),
    "reasons": Array(items=REASON, max_items=len(REASONS)), "urgency": Int(description="how many reasons"),
})
PAGE_OUT = Schema("AttentionPage", {"items": Array(items=ITEM), "total": Int(), "flagged": Int(), "limit": Int(),
                                    "offset": Int(), "as_of": Str(description="today (UTC) as the figures see it")})


def percent(done: int, due: int) -> float | None:
    return None if not due else round(100 * done / due, 1)


def _days_since(value: str | None, today: dt.date) -> int | None:
    return None if value is None else (today - dt.date.fromisoformat(value[:10])).days


def windows(today: dt.date) -> dict[str, dt.date]:
    """The dates the statement compares with: each window ends today; the previous 7 days end where the 7 begin."""
    return {"today": today, "from_7": today - dt.timedelta(days=6), "previous_from": today - dt.timedelta(days=13),
            "from_30": today - dt.timedelta(days=29), "from_90": today - dt.timedelta(days=89),
            "ahead": today + dt.timedelta(days=6)}


class Limits:
    """The settings' thresholds as the dates a row's text is compared with, made once per request: sorting 200
    clients must not cost 200 full assessments (only the page's are made)."""

    def __init__(self, today: dt.date, settings: Settings) -> None:
        self.today, self.drop = today, settings.attention_drop_points
        self.inactive, self.weigh_in = settings.attention_inactive_days, settings.attention_weigh_in_days
        # More than N days since ... is: on a date before today - N.
        self.logged_after = (today - dt.timedelta(days=self.inactive)).isoformat()
        self.weighed_after = (today - dt.timedelta(days=self.weigh_in)).isoformat()


def codes(row: dict[str, Any], limits: Limits) -> list[str]:
    """The reasons a client is flagged, by code, from their row alone."""
    found = []
    now, before = percent(row["completed_7"], row["due_7"]), percent(row["completed_previous_7"],
                                                                     row["due_previous_7"])
    if now is not None and before is not None and before - now >= limits.drop:
        found.append("compliance_drop")
    if row["last_logged_at"] is None or row["last_logged_at"][:10] < limits.logged_after:
        found.append("inactive")
    if row["pending_reviews"]:
        found.append("review_waiting")
    if row["last_weigh_in"] is None or row["last_weigh_in"] < limits.weighed_after:
        found.append("weigh_in_missing")
    if not row["upcoming"]:
        found.append("nothing_scheduled")
    return found


def urgency_order(row: dict[str, Any]) -> tuple[Any, ...]:
    """More reasons (`codes`, set on the row first), lower 7-day compliance (none due: last), longer since the last
    log (never: first), more reviews waiting, then the name."""
    due = row["due_7"]
    return (-len(row["codes"]), row["completed_7"] / due if due else math.inf, row["last_logged_at"] or "",
            -row["pending_reviews"], row["client_name"].lower(), row["client_id"])


def assess(row: dict[str, Any], limits: Limits) -> dict[str, Any]:
    """One client's figures and the reasons they are flagged, as the API shows them."""
    today = limits.today
    item: dict[str, Any] = {"client_id": row["client_id"], "client_name": row["client_name"],
                            "trainer_id": row["trainer_id"]}
    for n in (7, 30, 90):
        item[f"due_{n}"], item[f"completed_{n}"] = row[f"due_{n}"], row[f"completed_{n}"]
        item[f"compliance_{n}"] = percent(row[f"completed_{n}"], row[f"due_{n}"])
    item["previous_compliance_7"] = percent(row["completed_previous_7"], row["due_previous_7"])
    item.update(last_logged_at=row["last_logged_at"], days_since_last_log=_days_since(row["last_logged_at"], today),
                pending_reviews=row["pending_reviews"], last_weigh_in=row["last_weigh_in"],
                days_since_weigh_in=_days_since(row["last_weigh_in"], today), upcoming_workouts=row["upcoming"])
    idle, weighed, pending = item["days_since_last_log"], item["days_since_weigh_in"], row["pending_reviews"]
    details = {
        "compliance_drop": f"7-day compliance {item['compliance_7']:g}%, down from {item['previous_compliance_7']:g}%"
        if item["compliance_7"] is not None and item["previous_compliance_7"] is not None else "",
        "inactive": "no workout logged yet" if idle is None else f"nothing logged for {idle} days",
        "review_waiting": f"{pending} meal entr{'y waits' if pending == 1 else 'ies wait'} for review",
        "weigh_in_missing": "no weigh-in yet" if weighed is None else f"last weigh-in {weighed} days ago",
        "nothing_scheduled": "no workout planned for the coming 7 days",
    }
    item["reasons"] = [{"code": code, "detail": details[code]} for code in row["codes"]]
    item["urgency"] = len(item["reasons"])
    return item


FIGURES = ("due_7", "completed_7", "due_previous_7", "completed_previous_7", "due_30", "completed_30", "due_90",
           "completed_90", "last_logged_at", "pending_reviews", "last_weigh_in", "upcoming")


async def _rows(call: Call, trainer_id: int | None, today: dt.date) -> list[dict[str, Any]]:
    """Every client's figures: the kept ones where they are fresh, the others computed now and kept."""
    if trainer_id is not None:
        rows = await call.db.fetch_all("programs.attention.trainer", trainer_id=trainer_id, **call.scope)
    else:
        rows = await call.db.fetch_all("programs.attention.all", **call.scope)
    stale = [row for row in rows if row["as_of"] != today.isoformat() or row["cached_version"] != row["version"]]
    if stale:
        made = await call.db.fetch_all("programs.attention.compute",
                                       ids=orjson.dumps([row["client_id"] for row in stale]).decode(),
                                       **windows(today), **call.scope)
        await call.db.execute("programs.attention.store", rows=orjson.dumps(made).decode(), as_of=today,
                              **call.scope)
        by_id = {row["client_id"]: row for row in made}
        for row in stale:
            row.update({key: by_id[row["client_id"]][key] for key in FIGURES} if row["client_id"] in by_id
                       else dict.fromkeys(FIGURES, 0) | {"last_logged_at": None, "last_weigh_in": None})
    return rows


async def attention(call: Call) -> Response:
    """Each client with their compliance and what needs the trainer, most urgent first."""
    query, today = call.query, clock.today()
    trainer_id = call.user.id if call.user.role == "trainer" else query.get("trainer_id")
    limits = Limits(today, call.settings)
    rows = await _rows(call, trainer_id, today)
    for row in rows:
        row["codes"] = codes(row, limits)
    rows.sort(key=urgency_order)
    flagged = [row for row in rows if row["codes"]]
    listed = flagged if query["flagged"] else rows
    page = [assess(row, limits) for row in listed[query["offset"]:query["offset"] + query["limit"]]]
    return JSONResponse({"items": page, "total": len(listed), "flagged": len(flagged), "limit": query["limit"],
                         "offset": query["offset"], "as_of": today.isoformat()})
