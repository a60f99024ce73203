"""GET /api/system/mail: whether the studio sends mail, and how the queue is doing. Spliced into the one route table
(elior/routes.py) as `*mail_routes.ROUTES`.

The figures are read from the queue's table, so they are the studio's, whichever server process answers. The reason
mail is off is the setting that is missing, so the SPA can tell an admin what to set.
"""
from __future__ import annotations

from starlette.responses import Response
from starlette.routing import BaseRoute

from elior.mail import queue
from elior.mail.config import MailConfig
from elior.web.responses import JSONResponse
from elior.web.routing import Call, api, roles
from elior.web.schema import Bool, DateTime, Int, Schema, Str

MAIL_STATUS = Schema("MailStatus", {
    "enabled": Bool(required=True, description="SMTP_HOST and MAIL_FROM are set: mail is queued and sent"),
    "reason": Str(required=True, nullable=True, description="why mail is off (the missing setting), or null"),
    "host": Str(required=True, nullable=True, description="SMTP_HOST"),
    "port": Int(required=True, minimum=1, maximum=65535, description="SMTP_PORT"),
    "starttls": Bool(required=True, description="SMTP_STARTTLS"),
    "sender": Str(required=True, nullable=True, description="MAIL_FROM"),
    "queued": Int(required=True, minimum=0, description="mail waiting to be sent (or to be retried)"),
    "sent": Int(required=True, minimum=0, description="mail sent in the last 30 days"),
    "failed": Int(required=True, minimum=0, description="mail given up on in the last 30 days"),
    "oldest_queued_at": DateTime(required=True, nullable=True, description="when the oldest waiting mail was queued"),
    "last_sent_at": DateTime(required=True, nullable=True),
    "last_error": Str(required=True, nullable=True, description="the SMTP server's answer to the newest failed "
                      "attempt (never the mail itself)"),
    "last_error_at": DateTime(required=True, nullable=True),
})


async def mail_status(call: Call) -> Response:
    """Whether mail is on (and if not, why), the queue's counts, and the newest error from the SMTP server."""
    config = MailConfig.from_settings(call.settings)
    return JSONResponse({
        "enabled": config.enabled, "reason": config.disabled_reason, "host": config.host or None,
        "port": config.port, "starttls": config.starttls, "sender": call.settings.mail_from,
        **await queue.counts(call.db), **await queue.last_error(call.db),
    })


ROUTES: list[BaseRoute] = [
    api("GET", "/api/system/mail", mail_status, access=roles("admin"), response=MAIL_STATUS, tags=("system",)),
]
