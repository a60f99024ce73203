"""The in-process hub: which sockets each user holds, who an event reaches, and one bounded queue per socket.

Every write reaches the hub through `app.state.events` (elior/live/events.py). The hub derives the recipients
from SQL, with the REST API's ownership rules (the client, the client's current trainer, and admins for the data
channels) and hands the result to the fan-out (elior/live/fanout.py): in memory on
SQLite, through PostgreSQL LISTEN/NOTIFY otherwise, so every process delivers to the sockets it holds. An event
recorded inside its write's transaction goes there through the notification outbox (elior/live/outbox.py), pushed
after the commit and swept again if a fault came between.

A socket never makes the server buffer without bound: its queue holds `SEND_QUEUE_SIZE` messages and at most
WS_MAX_QUEUED_BYTES, one send may wait WS_STALL_SECONDS on its reader, and a reader too slow for any of these is
disconnected (1013) instead (with the kernel's share kept small by elior/live/transport.py). An account holds at most
WS_MAX_PER_USER sockets: one more closes its oldest (4429). A watchdog re-checks every socket's login every
`CHECK_INTERVAL` seconds, so a logout, a deactivation, a role change or the token's expiry closes the socket (4401)
within seconds.
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import orjson

from elior.live.events import Event
from elior.live.fanout import Delivery, make_fanout
from elior.live.outbox import Outbox
from elior.web.errors import log_failure

if TYPE_CHECKING:
    from starlette.websockets import WebSocket

    from elior.db.database import Database
    from elior.live.fanout import Fanout
    from elior.settings import Settings
    from elior.web.auth import Caller

log = logging.getLogger("elior.realtime")

# Which event types each channel carries. Meal entries are the client's nutrition log: they travel with progress.
CHANNELS: dict[str, tuple[str, ...]] = {
    "workouts": ("workout.", "comment.", "program.", "appointment."),
    "progress": ("progress.", "meal_entry.", "check_in.", "habit."),
    "notifications": ("notification.", "message."),
}
# A message is for the two people of its thread: never copied to every admin's socket (an admin reading a thread
# does so through the API, where the read is recorded).
PRIVATE = ("message.",)
SEND_QUEUE_SIZE = 64
CHECK_INTERVAL = 2.0
PING_INTERVAL = 25.0  # an app-level ping on a socket idle this long keeps proxies from cutting it
LOGIN_BATCH = 500
PING = orjson.dumps({"type": "ping"}).decode()
TOO_SLOW = "too slow to read; reconnect and fetch what you missed"
_OPENED = itertools.count()


class Connection:
    """One open socket: who holds it, which channel, and the bounded queue its single writer task drains."""

    def __init__(self, websocket: "WebSocket", caller: "Caller", channel: str,
                 queue_size: int = SEND_QUEUE_SIZE) -> None:
        self.websocket = websocket
        self.channel = channel
        self.prefixes = CHANNELS[channel]
        self.user_id = caller.id
        self.role = caller.role
        self.login_id = caller.login_id
        self.expires_at = caller.expires_at
        self.queue: asyncio.Queue[str] = asyncio.Queue(queue_size)
        self.close_code: int | None = None
        self.close_reason = ""
        self.closing = asyncio.Event()
        self.last_sent = time.monotonic()
        self.opened = next(_OPENED)  # the order sockets were opened in: the oldest goes first past WS_MAX_PER_USER
        # Bytes waiting in the queue or in the send under way, and since when that send has waited: a reader that
        # stops is dropped on whichever budget it passes first (the hub's settings; see elior/live/transport.py).
        self.queued_bytes = 0
        self.max_queued_bytes = 256 * 1024
        self.sending_since: float | None = None

    def reauthenticate(self, caller: "Caller") -> None:
        self.role, self.login_id, self.expires_at = caller.role, caller.login_id, caller.expires_at

    def wants(self, event_type: str) -> bool:
        return event_type.startswith(self.prefixes)

    def push(self, text: str) -> bool:
        if self.close_code is not None:
            return False
        if self.queued_bytes + len(text) > self.max_queued_bytes and self.queued_bytes:
            self.close(1013, TOO_SLOW)  # a single message larger than the budget still goes to a reader keeping up
            return False
        try:
            self.queue.put_nowait(text)
        except asyncio.QueueFull:
            self.close(1013, TOO_SLOW)
            return False
        self.queued_bytes += len(text)
        return True

    def close(self, code: int, reason: str) -> None:
        """Ask the socket's endpoint to close it; the first reason given wins."""
        if self.close_code is None:
            self.close_code, self.close_reason = code, reason
            self.closing.set()

    async def write_loop(self) -> None:
        while True:
            text = await self.queue.get()
            self.sending_since = time.monotonic()
            await self.websocket.send_text(text)
            self.last_sent, self.sending_since = time.monotonic(), None
            self.queued_bytes -= len(text)


class Hub:
    def __init__(self, settings: "Settings", db: "Database") -> None:
        self.settings = settings
        self.db = db
        self.by_user: dict[int, set[Connection]] = defaultdict(set)
        self.admins: set[Connection] = set()
        self.fanout: "Fanout | None" = None
        self.outbox = Outbox(db, settings.outbox_sweep_seconds)
        self.auth_timeout = 5.0  # seconds a socket opened without a token may take to send {"type": "auth"}
        self.check_interval = CHECK_INTERVAL
        self.ping_interval = PING_INTERVAL
        self.delivered = 0
        self.dropped_slow = 0
        self._watchdog: asyncio.Task[None] | None = None

    # --- lifecycle ---

    async def start(self) -> None:
        self.fanout = make_fanout(self.settings, self.db, self.deliver)
        self.fanout.heard = self.outbox.heard  # PostgreSQL: hearing a row of our own outbox ends its keeping
        await self.fanout.start()
        self.outbox.start(self.fanout)
        self._watchdog = asyncio.create_task(self._watch(), name="elior-hub-watchdog")

    async def stop(self) -> None:
        for conn in self.connections():
            conn.close(1001, "the server is shutting down")
        if self._watchdog is not None:
            self._watchdog.cancel()
            await asyncio.gather(self._watchdog, return_exceptions=True)
            self._watchdog = None
        await self.outbox.stop()
        if self.fanout is not None:
            await self.fanout.stop()
            self.fanout = None

    # --- sockets ---

    def register(self, conn: Connection) -> None:
        held = self.by_user[conn.user_id]
        held.add(conn)
        if conn.role == "admin":
            self.admins.add(conn)
        conn.max_queued_bytes = self.settings.ws_max_queued_bytes
        open_ = [other for other in held if other.close_code is None]
        if 0 < self.settings.ws_max_per_user < len(open_):  # the newest is the one in use: close the oldest
            oldest = min(open_, key=lambda other: other.opened)
            oldest.close(4429, f"more than {self.settings.ws_max_per_user} live connections for this account; "
                               "this, the oldest, was closed")

    def unregister(self, conn: Connection) -> None:
        held = self.by_user.get(conn.user_id)
        if held is not None:
            held.discard(conn)
            if not held:
                del self.by_user[conn.user_id]
        self.admins.discard(conn)

    def connections(self) -> list[Connection]:
        return [conn for held in self.by_user.values() for conn in held]

    @property
    def open_sockets(self) -> int:
        return sum(len(held) for held in self.by_user.values())

    def stats(self) -> dict[str, int]:
        return {"open": self.open_sockets, "delivered": self.delivered, "dropped_slow": self.dropped_slow,
                "outbox_swept": self.outbox.swept}

    # --- events ---

    async def on_event(self, event: Event) -> None:
        """The EventBus listener: recipients from SQL, then one delivery to the fan-out, or to the event's staged
        pushes when it is recorded inside its write's transaction (they reach the fan-out after the commit)."""
        if self.fanout is None and event.staged is None:
            return
        if event.type == "notification.created":
            log.warning("notification.created is made by the hub, not published", extra={"event": event.type})
            return
        who = await event.recipients(self.db)
        if who is None:
            log.warning("event about a user who is not a client", extra={"event": event.type})
            return
        users = (who["client_id"],) + ((who["trainer_id"],) if who["trainer_id"] is not None else ())
        delivery = Delivery(event.message(), users, admins=not event.type.startswith(PRIVATE))
        if event.staged is not None:
            event.staged.append(delivery)
        elif self.fanout is not None:
            await self.fanout.publish([delivery])

    async def publish(self, batch: list[Delivery]) -> None:
        """Send deliveries made elsewhere (the stored notifications) through the fan-out to every process."""
        if self.fanout is not None and batch:
            await self.fanout.publish(batch)

    def deliver(self, delivery: Delivery) -> None:
        """Push one message to the sockets of this process that should see it (called by the fan-out)."""
        kind = delivery.message["type"]
        targets: set[Connection] = set()
        for user_id in delivery.users:
            targets.update(self.by_user.get(user_id, ()))
        if delivery.admins:
            targets.update(self.admins)
        text: str | None = None
        for conn in targets:
            if not conn.wants(kind) or conn.close_code is not None:
                continue
            text = text or orjson.dumps(delivery.message).decode()
            if conn.push(text):
                self.delivered += 1
            else:  # its queue is full: this push closed it
                self.dropped_slow += 1

    # --- the watchdog: expiry, revoked logins, idle pings ---

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.check_interval)
            try:
                await self.check_sessions()
            except Exception as error:  # the database may be briefly away: keep the sockets, try again next round
                log_failure(log, "socket session check failed", error)
            self._drop_stalled()
            self._ping_idle()

    async def check_sessions(self) -> None:
        now = time.time()
        held = [(conn, conn.login_id) for conn in self.connections() if conn.close_code is None]
        for conn, _ in held:
            if conn.expires_at <= now:
                conn.close(4401, "the access token expired; reconnect with a fresh one")
        login_ids = sorted({login_id for conn, login_id in held if conn.close_code is None})
        valid: dict[int, dict[str, Any]] = {}
        for start in range(0, len(login_ids), LOGIN_BATCH):
            chunk = orjson.dumps(login_ids[start:start + LOGIN_BATCH]).decode()
            for row in await self.db.fetch_all("live.live_logins", login_ids=chunk):
                valid[int(row["login_id"])] = row
        for conn, login_id in held:
            if conn.login_id != login_id:
                continue  # re-authenticated while we asked; the next round checks the new login
            row = valid.get(login_id)
            if row is None or int(row["user_id"]) != conn.user_id or row["role"] != conn.role:
                conn.close(4401, "signed out; sign in again")

    def _drop_stalled(self) -> None:
        """A send that has waited WS_STALL_SECONDS on a reader taking no bytes: drop the socket (its queue may be
        short, so the byte budget alone would keep it)."""
        stalled_since = time.monotonic() - self.settings.ws_stall_seconds
        for conn in self.connections():
            if conn.close_code is None and conn.sending_since is not None and conn.sending_since <= stalled_since:
                conn.close(1013, TOO_SLOW)
                self.dropped_slow += 1

    def _ping_idle(self) -> None:
        quiet_since = time.monotonic() - self.ping_interval
        for conn in self.connections():
            if conn.last_sent <= quiet_since and conn.queue.empty():
                conn.push(PING)
                conn.last_sent = time.monotonic()
