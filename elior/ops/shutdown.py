"""Graceful shutdown: on SIGTERM stop accepting, close live sockets with 1001, finish what is in flight.

uvicorn alone, on SIGTERM, closes its listening sockets, closes every WebSocket with 1012 and waits for HTTP requests
in flight, then runs the lifespan's shutdown (where the database is closed, after the last request). We add one
step between "stop accepting" and "wait": the hooks registered here run first, so the live-updates hub can close its
sockets with 1001 ("going away") and tell clients to reconnect elsewhere rather than treat it as a crash.

    app.state.shutdown.register(hub.close_all)    # an async callable, run once, before in-flight work is awaited

A write answered with 2xx was committed before its answer was sent (WAL, synchronous=NORMAL survives the process
ending), and requests in flight are finished before the database is closed, so no acknowledged write is lost.
"""
from __future__ import annotations

import asyncio
import logging
import socket
from typing import Awaitable, Callable

import uvicorn
from starlette.applications import Starlette

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
    """uvicorn's server, with the app's shutdown hooks run right after it stops accepting connections."""

    def __init__(self, config: uvicorn.Config, hooks: ShutdownHooks) -> None:
        super().__init__(config)
        self.hooks = hooks

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()  # stop accepting first; uvicorn's own shutdown closes them again, harmlessly
        log.info("shutting down: closing live connections, finishing requests in flight")
        await self.hooks.run()
        await super().shutdown(sockets)


def serve(app: Starlette, host: str, port: int, **options: object) -> None:
    """Run `app` under uvicorn with the graceful shutdown above (`python -m elior serve` and the Procfile)."""
    config = uvicorn.Config(app, host=host, port=port, log_config=None, proxy_headers=True, server_header=False,
                            timeout_graceful_shutdown=10, **options)  # type: ignore[arg-type]
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
