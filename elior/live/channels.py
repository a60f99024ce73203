"""WebSocket channels: /ws/notifications, /ws/progress and /ws/workouts.

A socket is authenticated by `?token=<access token>` (read by elior.web.auth's middleware, as for HTTP) or, when the URL
carries none, by a first message `{"type": "auth", "token": "..."}` within `hub.auth_timeout` (5 s). A bad, missing
or late token: the handshake is accepted and the socket closed with 4401 before any data, so a browser sees why.
A browser page from a foreign origin is closed with 4403 first (cross-site WebSocket hijacking); no `Origin` header
means a non-browser client. Messages are JSON `{"type", "data", "at"}`; `{"type": "ping"}` gets `{"type": "pong"}`.
Close codes: 4401 signed out or token expired, 4403 origin, 4429 the account's oldest socket past WS_MAX_PER_USER,
1008 too many messages, 1009 message too large, 1003 binary frames, 1013 too slow to read (a reader that takes no
bytes at all gets a reset instead, since no close frame can reach it), 1001 server shutting down.
"""
from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import Any, ClassVar
from urllib.parse import urlsplit

import orjson
from starlette.endpoints import WebSocketEndpoint
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketState

from elior import clock
from elior.live.hub import Connection, Hub
from elior.settings import Settings
from elior.web.auth import Caller, bearer_token
from elior.web.routing import SIGNED_IN

log = logging.getLogger("elior.realtime")

MAX_CLIENT_MESSAGE_BYTES = 4096  # what a client sends is tiny (auth, ping); uvicorn's ws_max_size caps frames
RATE_WINDOW_SECONDS = 10.0
RATE_MAX_MESSAGES = 100
CLOSE_TIMEOUT = 2.0
PONG = orjson.dumps({"type": "pong"}).decode()


def _message(kind: str, data: dict[str, Any]) -> str:
    return orjson.dumps({"type": kind, "data": data, "at": clock.iso(clock.now())}).decode()


def origin_allowed(websocket: WebSocket, settings: Settings) -> bool:
    """A browser's page may open a socket only from this server's own origin or one in CORS_ORIGINS."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser: nothing ambient to hijack, the token decides
    origin = origin.strip().rstrip("/").lower()
    allowed = {o.strip().rstrip("/").lower() for o in settings.cors_origins}
    if origin in allowed or "*" in allowed:
        return True
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False  # "null" (sandboxed frames, file://) and anything stranger
    return parts.netloc == websocket.headers.get("host", "").lower() or parts.netloc == settings.domain.lower()


class LiveChannel(WebSocketEndpoint):
    """One channel; subclasses name it. `dispatch` runs a reader and a writer side by side until either ends."""

    channel: ClassVar[str] = ""

    async def dispatch(self) -> None:
        websocket = WebSocket(self.scope, receive=self.receive, send=self.send)
        state = websocket.app.state
        hub: Hub = state.hub
        if not origin_allowed(websocket, state.settings):
            await websocket.accept()
            await _close(websocket, 4403, "this origin may not open live updates")
            return
        caller = websocket.user if websocket.user.is_authenticated else None
        acknowledge = False
        if caller is None:
            await websocket.accept()
            if bearer_token(websocket) is not None:
                await _close(websocket, 4401, "invalid or expired token")
                return
            caller = await self._authenticate_by_message(websocket, hub, state.authenticator)
            if caller is None:
                return
            acknowledge = True
        conn = Connection(websocket, caller, self.channel)
        hub.register(conn)  # before accept: whatever happens once the client sees the socket open reaches it
        try:
            if websocket.application_state == WebSocketState.CONNECTING:
                await websocket.accept()
            if acknowledge:
                conn.push(_message("authenticated", {"user_id": caller.id, "channel": self.channel}))
            await self._serve(conn, state.authenticator)
        finally:
            hub.unregister(conn)

    async def _authenticate_by_message(self, websocket: WebSocket, hub: Hub, authenticator: Any) -> Caller | None:
        try:
            message = await asyncio.wait_for(websocket.receive(), hub.auth_timeout)
        except asyncio.TimeoutError:
            await _close(websocket, 4401, "send {\"type\": \"auth\", \"token\": ...} first, within 5 seconds")
            return None
        if message["type"] == "websocket.disconnect":
            return None
        caller = await _caller_from(message, authenticator)
        if caller is None:
            await _close(websocket, 4401, "invalid or expired token")
        return caller

    async def _serve(self, conn: Connection, authenticator: Any) -> None:
        reader = asyncio.create_task(self._read_loop(conn, authenticator))
        writer = asyncio.create_task(conn.write_loop())
        closing = asyncio.create_task(conn.closing.wait())
        try:
            done, pending = await asyncio.wait({reader, writer, closing}, return_when=asyncio.FIRST_COMPLETED)
        finally:  # also when this task itself is cancelled (server shutdown): never leave the helpers behind
            for task in (reader, writer, closing):
                task.cancel()
        if pending:  # wait, not gather: a cancellation of this task must surface as itself, not as a child's
            await asyncio.wait(pending)
        client_left = False
        for task in done:
            error = None if task.cancelled() else task.exception()
            if task is writer and error is not None:
                client_left = True  # sending failed: the peer is gone
            elif task is reader and error is not None:
                log.error("live updates: reading a socket failed", exc_info=error)
                conn.close(1011, "the server met an unexpected error")
            elif task is reader and task.result():
                client_left = True
        if not client_left:
            await _close(conn.websocket, conn.close_code or 1000, conn.close_reason)

    async def _read_loop(self, conn: Connection, authenticator: Any) -> bool:
        """Handle what the client sends. Returns True when the client went away, False when it must be closed."""
        websocket = conn.websocket
        window_start, count = time.monotonic(), 0
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return True
            text = message.get("text")
            if text is None:
                conn.close(1003, "send JSON as text frames")
                return False
            if len(text) > MAX_CLIENT_MESSAGE_BYTES or len(text.encode()) > MAX_CLIENT_MESSAGE_BYTES:
                conn.close(1009, f"messages are limited to {MAX_CLIENT_MESSAGE_BYTES} bytes")
                return False
            count += 1
            if time.monotonic() - window_start > RATE_WINDOW_SECONDS:
                window_start, count = time.monotonic(), 1
            if count > RATE_MAX_MESSAGES:
                conn.close(1008, "too many messages")
                return False
            try:
                data = orjson.loads(text)
            except orjson.JSONDecodeError:
                data = None
            kind = data.get("type") if isinstance(data, dict) else None
            if kind == "ping":
                conn.push(PONG)
            elif kind == "pong":
                pass
            elif kind == "auth":  # a fresh token before the old one expires keeps the socket open
                caller = await _caller_from(message, authenticator)
                if caller is None or caller.id != conn.user_id or caller.role != conn.role:  # a new role: reconnect
                    conn.close(4401, "invalid or expired token")
                    return False
                conn.reauthenticate(caller)
                conn.push(_message("authenticated", {"user_id": caller.id, "channel": conn.channel}))
            else:
                conn.push(_message("error", {"detail": "send a JSON object with type ping, pong or auth"}))


async def _caller_from(message: dict[str, Any], authenticator: Any) -> Caller | None:
    text = message.get("text")
    if text is None or len(text) > MAX_CLIENT_MESSAGE_BYTES:
        return None
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict) or data.get("type") != "auth" or not isinstance(data.get("token"), str):
        return None
    caller: Caller | None = await authenticator.caller_for(data["token"])
    return caller


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    """Close, never waiting on a peer that stopped reading for longer than CLOSE_TIMEOUT."""
    if websocket.application_state == WebSocketState.DISCONNECTED:
        return
    try:
        await asyncio.wait_for(websocket.close(code, reason[:120]), CLOSE_TIMEOUT)
    except Exception:  # already gone, or too slow to take even the close frame: the server lets go either way
        log.debug("socket closed without a closing handshake", extra={"code": code})


class NotificationsChannel(LiveChannel):
    channel = "notifications"


class ProgressChannel(LiveChannel):
    channel = "progress"


class WorkoutsChannel(LiveChannel):
    channel = "workouts"


def routes() -> list[WebSocketRoute]:
    """The three channels, each declaring its access like every HTTP route (anonymous sockets get 4401)."""
    table = []
    for path, endpoint in (("/ws/notifications", NotificationsChannel), ("/ws/progress", ProgressChannel),
                           ("/ws/workouts", WorkoutsChannel)):
        route = WebSocketRoute(path, endpoint, name=f"WS {path}")
        route.access = SIGNED_IN  # type: ignore[attr-defined]
        table.append(route)
    return table


# Uvicorn logs each WebSocket handshake with its path and query string, which would write `?token=` to the logs.
_TOKEN_IN_URL = re.compile(r"([?&](?:access_)?token=)[^&\s\"']+", re.IGNORECASE)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:
            return True
        redacted = _TOKEN_IN_URL.sub(r"\1[redacted]", text)
        if redacted != text:
            record.msg, record.args = redacted, ()
        return True


def install_log_redaction() -> None:
    """Idempotent: the filter sits on the loggers uvicorn (and its websockets protocol) write handshakes to."""
    for name in ("uvicorn.error", "uvicorn.access", "uvicorn", "websockets.server"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
