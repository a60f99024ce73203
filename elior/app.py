"""create_app(settings) -> Starlette: the route table (elior/routes.py), middleware, error handlers and lifespan."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import AsyncIterator, Awaitable

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.cors import CORSMiddleware

from elior.accounts import bootstrap
from elior.accounts.passwords import PasswordHasher
from elior.audit import access_log as audit_log  # the access log
from elior.audit.writer import AccessLog
from elior.bookings import jobs as booking_jobs
from elior.conversations import reminders as checkin_reminders
from elior.db.database import Database
from elior.db.migrations import migrate
from elior.exports import jobs as export_jobs  # export jobs run in the server
from elior.live import channels as realtime
from elior.live.events import EventBus
from elior.live.hub import Hub
from elior.mail.metrics import MailCollector
from elior.mail.sender import MailSender
from elior.notifications import digest as notification_digest  # the daily digest
from elior.notifications.inbox import Notifier
from elior.ops import metrics, shutdown
from elior.ops.housekeeping import Housekeeping
from elior.ops.tasks import TaskRunner
from elior.routes import route_table
from elior.settings import Settings
from elior.web import routing, spa  # routing: speed (issue 13), the indexed router
from elior.web.auth import Authenticator
from elior.web.errors import EXCEPTION_HANDLERS, Faults
from elior.web.middleware import Edge, GZip
from elior.web.ratelimit import RateLimit

log = logging.getLogger("elior")


SHUTDOWN_STEP_SECONDS = 10.0


async def _bounded(step: Awaitable[None], what: str) -> None:
    """Await one shutdown step for at most SHUTDOWN_STEP_SECONDS (asyncio.wait: it does not wait on a cancellation
    the step may ignore, as wait_for would)."""
    task = asyncio.ensure_future(step)
    done, _ = await asyncio.wait({task}, timeout=SHUTDOWN_STEP_SECONDS)
    if not done:
        task.cancel()
        log.error("a shutdown step did not finish in time", extra={"step": what, "seconds": SHUTDOWN_STEP_SECONDS})
    elif task.exception() is not None:
        log.error("a shutdown step failed", exc_info=task.exception(), extra={"step": what})


def create_app(settings: Settings) -> Starlette:
    db = Database(settings.database_url, pool_size=settings.pool_size, max_overflow=settings.max_overflow,
                  sqlite_readers=settings.sqlite_readers)
    authenticator = Authenticator(settings, db)
    hub = Hub(settings, db)
    tasks = TaskRunner()
    mail = MailSender(settings, db)  # the persisted mail queue's sender (elior/mail)
    access = AccessLog(settings, db)  # the access log's batch writer

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await db.connect()
        try:
            applied = await migrate(db)
            if applied:
                log.info("database migrated", extra={"versions": applied, "dialect": db.dialect})
            await bootstrap.first_start(db, settings, app.state.passwords)
            spa.current()  # build the browser app's fingerprinted assets now: broken sources fail the start
            await hub.start()  # live updates: the fan-out listener and the sockets' watchdog
            await mail.start()
            await access.start()
            await tasks.start()  # periodic work: reminders, housekeeping
            yield
        finally:
            # Each step is bounded: a stuck one is logged and left behind rather than holding the exit for ever.
            await _bounded(mail.stop(), "mail sender")
            await _bounded(tasks.stop(), "periodic tasks")
            await _bounded(access.stop(), "access log")  # the last batch
            await _bounded(hub.stop(), "live-updates hub")
            await _bounded(db.disconnect(), "database")

    middleware = [
        # The access log, security headers, the 405's Allow and the body cap, in one outer layer (~5 us saved).
        Middleware(Edge, production=settings.is_production, max_body_bytes=(settings.max_upload_mb + 1) * 1024 * 1024),
        Middleware(GZip, minimum_size=500, compresslevel=6),
        Middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_credentials=False,
                   allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                   allow_headers=["Authorization", "Content-Type"]),
        Middleware(Faults),  # a database fault inside the sign-in check still answers 503 and keeps the connection
        Middleware(AuthenticationMiddleware, backend=authenticator),
        Middleware(RateLimit, per_minute=settings.rate_limit_per_minute, burst=settings.rate_limit_burst),
    ]
    app = Starlette(routes=route_table(), middleware=middleware, exception_handlers=EXCEPTION_HANDLERS,
                    lifespan=lifespan)
    app.router = routing.indexed(app.router)  # speed (issue 13): a route found by its path's first segments
    app.state.settings = settings
    app.state.db = db
    app.state.authenticator = authenticator
    app.state.passwords = PasswordHasher.for_settings(settings)
    app.state.events = EventBus()
    app.state.hub = hub
    app.state.tasks = tasks
    app.state.mail = mail
    tasks.every(checkin_reminders.INTERVAL, "check-in reminders", lambda: checkin_reminders.sweep(app.state))
    tasks.every(booking_jobs.INTERVAL, "bookings", lambda: booking_jobs.sweep(app.state))
    tasks.every(export_jobs.INTERVAL, "exports", lambda: export_jobs.sweep(app.state))
    # the access log, and housekeeping with the domains' steps handed in
    app.state.access_log = access
    app.state.housekeeping = housekeeping = Housekeeping(settings, db)
    housekeeping.add("access_log", lambda: audit_log.prune(db, settings))
    housekeeping.add("exports", lambda: export_jobs.remove_expired(db, settings))
    # The first round waits a minute: a start (and every test's app) is not slowed by file scans and ANALYZE, and
    # statistics are not taken from the empty tables of a fresh studio.
    tasks.every(settings.housekeeping_interval, "housekeeping", housekeeping.round,
                delay=min(60.0, settings.housekeeping_interval))
    tasks.every(notification_digest.INTERVAL, "notification digests", lambda: notification_digest.sweep(app.state))
    app.state.events.subscribe(hub.on_event)
    app.state.events.subscribe(Notifier(db, hub, settings, mail).on_event)  # + mail `immediately`
    realtime.install_log_redaction()
    app.state.openapi = None
    # Operations: hooks run on SIGTERM before in-flight work is awaited; caches exported to /metrics.
    app.state.shutdown = shutdown.ShutdownHooks()
    app.state.shutdown.register(shutdown.closing_sockets(hub))
    metrics.register_cache("auth_claims", authenticator.claims)
    metrics.register_cache("auth_sessions", authenticator.sessions)
    metrics.register_cache("users", authenticator.users)  # the exercise library's registers itself (exercises.py)
    metrics.for_app(app).registry.register(MailCollector(mail))
    return app
