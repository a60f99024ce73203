"""create_app(settings) -> Starlette: the one route table, the middleware, the error handlers, the lifespan."""
from __future__ import annotations

import contextlib
import logging
from typing import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute

from elior import spa, system
from elior.auth import Authenticator
from elior.db import Database
from elior.errors import EXCEPTION_HANDLERS
from elior.events import EventBus
from elior.middleware import AccessLog, BodyLimit, SecurityHeaders
from elior.migrations import migrate
from elior.passwords import PasswordHasher
from elior.routing import PUBLIC, api
from elior.settings import Settings

log = logging.getLogger("elior")


def route_table() -> list[BaseRoute]:
    """Every route of the service, each declaring who may call it."""
    return [
        # --- system ---
        api("GET", "/health", system.health, access=PUBLIC, tags=("system",)),
        api("GET", "/openapi.json", system.openapi_document, access=PUBLIC, tags=("system",)),
        api("GET", "/docs", system.docs_page, access=PUBLIC, tags=("system",)),
        # --- accounts: auth, users, invites ---
        # --- training: exercises, workouts ---
        # --- nutrition and progress: meal plans, meal entries, progress ---
        # --- files ---
        # --- notifications and live updates ---
        # --- operations: metrics, system health, logs ---
        # Last: anything else outside /api/ and /ws/ is the browser app.
        api("GET", "/{path:path}", spa.serve, access=PUBLIC, tags=("spa",)),
    ]


def create_app(settings: Settings) -> Starlette:
    db = Database(settings.database_url, pool_size=settings.pool_size, max_overflow=settings.max_overflow,
                  sqlite_readers=settings.sqlite_readers)
    authenticator = Authenticator(settings, db)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await db.connect()
        try:
            applied = await migrate(db)
            if applied:
                log.info("database migrated", extra={"versions": applied, "dialect": db.dialect})
            yield
        finally:
            await db.disconnect()

    middleware = [
        Middleware(AccessLog),
        Middleware(SecurityHeaders, production=settings.is_production),
        Middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_credentials=False,
                   allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                   allow_headers=["Authorization", "Content-Type"]),
        Middleware(AuthenticationMiddleware, backend=authenticator),
        Middleware(BodyLimit, max_bytes=(settings.max_upload_mb + 1) * 1024 * 1024),
    ]
    app = Starlette(routes=route_table(), middleware=middleware, exception_handlers=EXCEPTION_HANDLERS,
                    lifespan=lifespan)
    app.state.settings = settings
    app.state.db = db
    app.state.authenticator = authenticator
    app.state.passwords = PasswordHasher(settings.bcrypt_rounds, settings.password_threads, settings.password_queue)
    app.state.events = EventBus()
    app.state.openapi = None
    return app
