"""The real app for tests that need a real uvicorn process, plus one write endpoint of the tests' own.

`POST /api/test/writes` writes one row (a login of the caller) inside a transaction that lasts ~`hold_ms`, through
the same database layer as every endpoint, and answers 201 with its id only after the commit: an id the test holds
is an acknowledged write. Run as `python -m tests.live_app --port N`, it serves the way `python -m elior serve` does
(elior.ops.shutdown.serve), so SIGTERM gets the production shutdown path.
"""
from __future__ import annotations

import argparse
import asyncio

from starlette.applications import Starlette
from starlette.responses import Response

from elior import clock
from elior import settings as settings_module
from elior.app import create_app
from elior.ops import logs
from elior.ops.shutdown import serve
from elior.web.responses import created
from elior.web.routing import SIGNED_IN, Call, api

HOLD_SECONDS = 0.02


async def write(call: Call) -> Response:
    async with call.db.transaction():
        login_id = await call.db.fetch_val("accounts.auth.create_login", user_id=call.user.id, now=clock.now(),
                                           user_agent="load", address="127.0.0.1")
        await asyncio.sleep(HOLD_SECONDS)  # keep requests in flight, so a shutdown always meets some
    return created({"id": login_id})


def create() -> Starlette:
    loaded = settings_module.load()
    logs.configure(loaded.log_level)
    app = create_app(loaded)
    app.router.routes.insert(0, api("POST", "/api/test/writes", write, access=SIGNED_IN, status=201))
    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    serve(create(), "127.0.0.1", parser.parse_args().port)
