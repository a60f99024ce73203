"""The browser app: its fingerprinted assets at /assets/, other files under static/, and the app's page (index.html)
for every other path outside /api/ and /ws/.

The assets and the page are built in memory from static/src/ (elior/web/assets.py): nothing generated is on disk.
Caching, so a returning browser asks for almost nothing:
- fingerprinted assets (`app.1a2b3c4d5e.js`: the name changes whenever the content does) are cached for a year,
  `immutable`, and sent gzipped as built (compressed once, not per request) to browsers that accept gzip;
- everything else, the page included, is `no-cache` with an ETag: the browser revalidates and gets a 304. Plain files
  are compressed on the fly by the gzip middleware.
"""
from __future__ import annotations

from pathlib import Path

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Match, Route
from starlette.types import Scope

from elior.paths import STATIC_DIR
from elior.web.assets import Asset, Build, Bundle, media_type
from elior.web.errors import ApiError
from elior.web.routing import PUBLIC

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
ASSETS_PREFIX = "assets/"

BUNDLE = Bundle()


def current() -> Build:
    """The build of static/src/ now (built on first use, rebuilt when a source changes)."""
    return BUNDLE.get(STATIC_DIR / "src")


def static_file(relative: str, root: Path | None = None) -> Path | None:
    """The file under static/ that `relative` names, or None; never a path outside static/, whatever it says."""
    if not relative or "\x00" in relative:
        return None
    root = (root or STATIC_DIR).resolve()
    try:
        candidate = (root / relative).resolve()
    except (OSError, ValueError):
        return None
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def _not_modified(request_headers: Headers, etag: str) -> bool:
    """If-None-Match, compared weakly as RFC 9110 asks for GET."""
    wanted = request_headers.get("if-none-match")
    if not wanted:
        return False
    if wanted.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in wanted.split(","))


def _accepts_gzip(request_headers: Headers) -> bool:
    for part in request_headers.get("accept-encoding", "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in {"gzip", "*"}:
            return params.replace(" ", "").lower() not in {"q=0", "q=0.0", "q=0.00", "q=0.000"}
    return False


def asset_response(asset: Asset, request_headers: Headers) -> Response:
    """One fingerprinted asset: immutable, its ETag (and 304), gzipped as built when the browser takes gzip."""
    headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding", "ETag": asset.etag}
    if _not_modified(request_headers, asset.etag):
        return Response(status_code=304, headers=headers)
    if _accepts_gzip(request_headers):
        # The Content-Encoding set here makes the gzip middleware pass the body through untouched.
        return Response(asset.gzipped, media_type=asset.media_type, headers={**headers, "Content-Encoding": "gzip"})
    return Response(asset.body, media_type=asset.media_type, headers=headers)


def file_response(path: Path, request_headers: Headers) -> Response:
    """One file from static/ (the API reference page and its files): revalidated, with its ETag (and 304)."""
    stat = path.stat()
    etag = f'W/"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    headers = {"Cache-Control": REVALIDATE, "Vary": "Accept-Encoding", "ETag": etag}
    if _not_modified(request_headers, etag):
        return Response(status_code=304, headers=headers)
    return FileResponse(path, media_type=media_type(path.name), headers=headers)


def index_response(request_headers: Headers) -> Response:
    build = current()
    headers = {"Cache-Control": REVALIDATE, "ETag": build.index_etag}
    if _not_modified(request_headers, build.index_etag):
        return Response(status_code=304, headers=headers)
    return Response(build.index, media_type="text/html; charset=utf-8", headers=headers)


async def serve(request: Request) -> Response:
    """An asset, else a static file when one exists at that path, else the app's page (its router takes it from there).

    A plain route, not `api()`: the app's own pages take query strings (`/setup?token=...`) no schema describes,
    and the browser app is not part of the API document.
    """
    path: str = request.path_params.get("path", "")
    if path.startswith(("api/", "ws/")) or path in {"api", "ws"}:
        raise ApiError(404, f"no route for /{path}")
    if path.startswith(ASSETS_PREFIX):
        # Only the current build: a name from an older one is a 404 (never the page as JavaScript), and the app
        # reloads itself once to pick up the new page. Files on disk under static/assets/ are never served.
        asset = current().assets.get(path.removeprefix(ASSETS_PREFIX))
        if asset is None:
            raise ApiError(404, f"no asset /{path}: the app has changed since this page was loaded")
        return asset_response(asset, request.headers)
    found = static_file(path)
    if found is not None:
        return file_response(found, request.headers)
    return index_response(request.headers)


class AppRoute(Route):
    """The catch-all that never claims /api/ or /ws/: there an unmatched path is a 404 from the router, not a 405
    from this GET-only route (`PUT /api/workouts/-1`, whose id the `int` converter refuses, is "no such route")."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        if path.startswith(("/api/", "/ws/")) or path in {"/api", "/ws"}:
            return Match.NONE, {}
        return super().matches(scope)


def route() -> Route:
    """The catch-all, last in the route table. It declares its access like every other route."""
    catch_all = AppRoute("/{path:path}", serve, methods=["GET"], name="spa")
    catch_all.access = PUBLIC  # type: ignore[attr-defined]
    return catch_all
