"""The browser app: files under static/, and index.html for every other path outside /api/ and /ws/."""
from __future__ import annotations

from pathlib import Path

from starlette.responses import FileResponse, Response

from elior.errors import ApiError
from elior.routing import Call

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


def static_file(relative: str) -> Path | None:
    """The file under static/ that `relative` names, or None; never a path outside static/, whatever it says."""
    if not relative or "\x00" in relative:
        return None
    candidate = (STATIC_DIR / relative).resolve()
    if not candidate.is_relative_to(STATIC_DIR) or not candidate.is_file():
        return None
    return candidate


async def serve(call: Call) -> Response:
    """A static file when one exists at that path, else the SPA's index.html (its router takes it from there)."""
    path: str = call.request.path_params.get("path", "")
    if path.startswith(("api/", "ws/")) or path in {"api", "ws"}:
        raise ApiError(404, f"no route for /{path}")
    found = static_file(path)
    if found is not None:
        return FileResponse(found)
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-cache"})
