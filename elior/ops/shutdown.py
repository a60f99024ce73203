"""Graceful shutdown: on SIGTERM stop accepting, close live sockets with 1001, finish what is in flight.

uvicorn alone, on SIGTERM, closes its listening sockets, closes every WebSocket with 1012 and waits for HTTP requests
in flight, then runs the lifespan's shutdown (where the database is closed, after the last request). We add one
step between "stop accepting" and "wait": the hooks registered here run first, so the live-updates hub can close its
sockets with 1001 ("going away") and tell clients to reconnect elsewhere rather than treat it as a crash.

    app.state.shutdown.register(hub.close_all)    # an async callable, run once, before in-flight work is awaited

A write answered with 2xx was committed before its answer was sent (WAL, synchronous=NORMAL survives the process
ending), and requests in flight are finished before the database is closed, so no acknowledged write is lost.
The process then exits 0: SIGTERM is the orderly stop (uvicorn would re-raise it, a death by signal, status 143).

`serve` also applies the connection limits of the settings (elior/ops/http_guard.py for HTTP, elior/live/transport.py
for WebSockets).
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from typing import Any, Awaitable, Callable, Generator

import uvicorn
from starlette.applications import Starlette

from elior.live import transport
from elior.ops import http_guard
from elior.settings import Settings

log = logging.getLogger("elior.shutdown")

Hook = Callable[[], Awaitable[None]]
HOOK_TIMEOUT_SECONDS = 5.0


class ShutdownHooks:
    def __init__(self) -> None:
        self.hooks: list[Hook] = []
        self.started = False

    def register(self, hook: Hook) -> None:
        self.hooks.append(hook)

    async def run(self) -> None:
        """Run every hook once, each bounded in time; a failing hook must not stop the others or the shutdown."""
        if self.started:
            return
        self.started = True
        for hook in self.hooks:
            try:
                await asyncio.wait_for(hook(), HOOK_TIMEOUT_SECONDS)
            except Exception:
                log.exception("shutdown hook failed", extra={"hook": getattr(hook, "__qualname__", repr(hook))})


class Server(uvicorn.Server):
    """uvicorn's server, with the app's shutdown hooks run right after it stops accepting connections, and exit
    status 0 after a graceful shutdown on SIGTERM."""

    def __init__(self, config: uvicorn.Config, hooks: ShutdownHooks) -> None:
        super().__init__(config)
        self.hooks = hooks

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()  # stop accepting first; uvicorn's own shutdown closes them again, harmlessly
        log.info("shutting down: closing live connections, finishing requests in flight")
        await self.hooks.run()
        await super().shutdown(sockets)

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        """uvicorn re-raises the signal it caught once it has shut down, so the process dies of SIGTERM (status
        143 to Docker and systemd, read as a failure). SIGTERM is the orderly stop here: once handled, exit 0.
        SIGINT is still re-raised, so Ctrl+C ends a shell pipeline as one expects."""
        with super().capture_signals():
            try:
                yield
            finally:
                self._captured_signals = [sig for sig in self._captured_signals if sig != signal.SIGTERM]


def limits(settings: Settings) -> dict[str, Any]:
    """uvicorn's options for the connection limits of `settings` (elior/ops/http_guard.py, elior/live/transport.py).
    uvicorn's own `limit_concurrency` is not used: the protocol refuses past MAX_CONNECTIONS at accept, in the
    envelope, and a connection runs one request at a time, so that bounds the tasks too."""
    http = http_guard.protocol_for(http_guard.HttpLimits(
        max_connections=settings.max_connections, max_header_bytes=settings.max_header_bytes,
        max_headers=settings.max_headers, header_timeout=settings.header_timeout, body_timeout=settings.body_timeout))
    return {"http": http, "ws": transport.protocol_for(settings.ws_send_buffer_bytes),
            "timeout_keep_alive": settings.keep_alive_timeout}


def serve(app: Starlette, host: str, port: int, **options: Any) -> None:
    """Run `app` under uvicorn with the graceful shutdown above (`python -m elior serve` and the Procfile), and the
    connection limits of the app's settings."""
    config = uvicorn.Config(app, host=host, port=port, log_config=None, proxy_headers=True, server_header=False,
                            timeout_graceful_shutdown=10, **{**limits(app.state.settings), **options})
    Server(config, app.state.shutdown).run()


def closing_sockets(hub: object, wait_seconds: float = 3.0) -> Hook:
    """A hook for the live-updates hub: ask every socket to close with 1001, then wait (bounded) until they have."""

    async def close_sockets() -> None:
        for conn in hub.connections():  # type: ignore[attr-defined]
            conn.close(1001, "the server is shutting down")
        deadline = asyncio.get_running_loop().time() + wait_seconds
        while hub.open_sockets and asyncio.get_running_loop().time() < deadline:  # type: ignore[attr-defined]
            await asyncio.sleep(0.02)

    return close_sockets
