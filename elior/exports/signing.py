"""The download link of a finished export: `/api/exports/{id}/download?sig=...`, signed and expiring.

The signature (itsdangerous, keyed by SECRET_KEY with a salt of its own, so no other signed value of the app can pass
for it) covers the export's id and the link's expiry; the link is the permission, like the signed file URLs, so a
browser can follow it without a bearer token. It lasts FILE_URL_EXPIRE_MINUTES, never past the export's own expiry:
GET /api/exports/{id} hands out a fresh one.
"""
from __future__ import annotations

import datetime as dt

from itsdangerous import BadSignature, URLSafeSerializer

from elior import clock
from elior.settings import Settings

SALT = "elior.exports.download"


def _serializer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.secret_key, salt=SALT)


def download_url(settings: Settings, export_id: int, export_expires: dt.datetime) -> str:
    until = min(clock.now() + dt.timedelta(minutes=settings.file_url_expire_minutes), export_expires)
    sig = _serializer(settings).dumps([export_id, int(until.timestamp())])
    return f"/api/exports/{export_id}/download?sig={sig}"


def valid(settings: Settings, export_id: int, sig: str) -> bool:
    """Whether `sig` is this server's signature for this export, and not expired (by elior.clock)."""
    try:
        signed_id, until = _serializer(settings).loads(sig)
    except (BadSignature, ValueError, TypeError):
        return False
    return signed_id == export_id and isinstance(until, int) and until > clock.now().timestamp()
