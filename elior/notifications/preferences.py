"""E-mail notification preferences: per user and per notification kind, `immediately`, `daily` or `never`.

The kinds are the notification rules (elior/notifications/inbox.py RULES). With no choice made a kind is `never`:
every notification is in the app already, and a studio's members should not start getting mail they did not ask
for the day an admin sets SMTP up. `immediately` queues a mail in the very transaction that stores the notification
(elior/notifications/mailing.py, called by the Notifier), so the mail commits with the write that caused it or not
at all. `daily` is the digest job's (elior/notifications/digest.py). With mail off (SMTP_HOST or MAIL_FROM unset)
nothing is queued, and the answer's `mail_enabled` says so, so the SPA can too.
"""
from __future__ import annotations

from starlette.responses import Response

from elior import clock
from elior.mail import mail_enabled
from elior.notifications.inbox import RULES
from elior.web.responses import JSONResponse
from elior.web.routing import Call
from elior.web.schema import Bool, Object, Schema, Str

DELIVERIES = ("immediately", "daily", "never")
DEFAULT = "never"
KINDS = tuple(sorted(RULES))
DELIVERY = Str(enum=DELIVERIES)
PREFERENCES_BODY = Schema("NotificationPreferencesUpdate", {kind: DELIVERY for kind in KINDS},
                          "Only the kinds named change; a kind not listed here is a 422.")
PREFERENCES_MAP = Schema("NotificationPreferenceMap", {kind: Str(enum=DELIVERIES, required=True) for kind in KINDS})
PREFERENCES = Schema("NotificationPreferences", {
    "preferences": Object(schema_=PREFERENCES_MAP, required=True,
                          description="per notification kind: `immediately`, `daily` (the digest) or `never`"),
    "mail_enabled": Bool(required=True, description="the studio sends mail at all (SMTP_HOST and MAIL_FROM set)"),
})


async def _answer(call: Call) -> Response:
    rows = await call.db.fetch_all("notifications.preferences.list", caller_id=call.user.id)
    chosen = {row["kind"]: row["delivery"] for row in rows}
    return JSONResponse({"preferences": {kind: chosen.get(kind, DEFAULT) for kind in KINDS},
                         "mail_enabled": mail_enabled(call.settings)})


async def get_preferences(call: Call) -> Response:
    """The caller's choice for every notification kind, and whether the studio sends mail at all."""
    return await _answer(call)


async def put_preferences(call: Call) -> Response:
    """Change the kinds named in the body; the others keep their choice. Choosing `daily` starts the digest clock:
    the first digest lists what happens from now on."""
    body = call.body or {}
    now = clock.now()
    async with call.db.transaction():
        for kind, delivery in body.items():
            await call.db.execute("notifications.preferences.upsert", caller_id=call.user.id, kind=kind,
                                  delivery=delivery, now=now)
        if "daily" in body.values():
            await call.db.execute("notifications.digests.start", caller_id=call.user.id, now=now)
    return await _answer(call)
