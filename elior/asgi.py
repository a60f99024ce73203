"""For ASGI servers started by a host (the Procfile, a Dockerfile): `uvicorn --factory elior.asgi:create`."""
from __future__ import annotations

from starlette.applications import Starlette

from elior import settings
from elior.app import create_app
from elior.ops import logs


def create() -> Starlette:
    loaded = settings.load()
    logs.configure(loaded.log_level)
    return create_app(loaded)
