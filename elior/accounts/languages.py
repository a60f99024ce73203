"""Languages: the browser app speaks English and Hebrew (static/src/i18n.js holds the words, one catalogue per
language). The server keeps two choices, and translates nothing itself:

- a user's own `language` on their User (null: the studio's), set by the user or an admin with `PUT /api/users/{id}`;
- the studio's language, `GET /api/studio` (public: the sign-in page asks before anyone has signed in) and
  `PUT /api/studio` (admins), which a device that has made no choice of its own shows.

The API's own messages (`detail` of an error) stay English: they are for scripts and logs as much as for people.
"""
from __future__ import annotations

from starlette.responses import Response

from elior.web.responses import JSONResponse
from elior.web.routing import Call
from elior.web.schema import Schema, Str

LANGUAGES = ("en", "he")
DEFAULT_LANGUAGE = "en"

STUDIO = Schema("Studio", {
    "language": Str(required=True, enum=LANGUAGES,
                    description="the language the browser app shows to a device that has not chosen one"),
})
STUDIO_UPDATE = Schema("StudioUpdate", {"language": Str(required=True, enum=LANGUAGES)})


async def studio(call: Call) -> Response:
    """The studio's settings as the browser app needs them before sign-in."""
    row = await call.db.fetch_one("accounts.studio.get")
    return JSONResponse({"language": (row or {}).get("language") or DEFAULT_LANGUAGE})


async def update_studio(call: Call) -> Response:
    """Admins: the studio's language."""
    language = (call.body or {})["language"]
    async with call.db.transaction():
        await call.db.execute("accounts.studio.set_language", language=language)
    return JSONResponse({"language": language})
