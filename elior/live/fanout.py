"""How a batch of deliveries reaches every server process: in memory on SQLite, LISTEN/NOTIFY on PostgreSQL.

SQLite serves one process, so the hub delivers directly. With PostgreSQL several processes may serve the same
database: each publishes through `pg_notify` on a pool connection and each LISTENs on a dedicated asyncpg connection
of its own, delivering what it hears to the sockets it holds, its own events included, so there is one path for all.
A batch larger than a NOTIFY payload may be (8000 bytes) is stored in `realtime_outbox` and only its id is notified.

NOTIFY is not durable: while a process's listener reconnects, the pushes it misses are lost to its sockets. The
notifications they carried are stored, so a client that reconnects reads them with `GET /api/notifications`.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Protocol

import orjson

from elior import clock

if TYPE_CHECKING:
    import asyncpg

    from elior.db.database import Database
    from elior.settings import Settings

log = logging.getLogger("elior.realtime")

CHANNEL = "elior_events"
LISTENER_NAME = "elior-listener"  # application_name of the LISTEN connections, for pg_stat_activity
MAX_PAYLOAD_BYTES = 7900  # PostgreSQL refuses payloads of 8000 bytes and more
OUTBOX_KEEP = dt.timedelta(minutes=1)
HEALTH_INTERVAL = 15.0
RECONNECT_DELAYS = (0.2, 0.5, 1.0, 2.0, 5.0)

@dataclass(frozen=True)
class Delivery:
    """One message and the users it is for: what crosses from the emitting process to every process."""

    message: dict[str, Any]
    users: tuple[int, ...]
    admins: bool = False  # also every admin's socket (the data channels; never someone's notification)

    def to_json(self) -> dict[str, Any]:
        return {"m": self.message, "u": list(self.users), "a": self.admins}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "Delivery":
        return cls(raw["m"], tuple(int(u) for u in raw["u"]), bool(raw.get("a")))


Deliver = Callable[[Delivery], None]


class Fanout(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def publish(self, batch: list[Delivery]) -> None: ...


class LocalFanout:
    """One process: deliver at once."""

    def __init__(self, deliver: Deliver) -> None:
        self.deliver = deliver

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass

    async def publish(self, batch: list[Delivery]) -> None:
        for delivery in batch:
            self.deliver(delivery)


class PostgresFanout:
    def __init__(self, url: str, db: "Database", deliver: Deliver) -> None:
        self.url = url
        self.db = db
        self.deliver = deliver
        self.listening = asyncio.Event()
        self.connects = 0
        self.received = 0
        self._task: asyncio.Task[None] | None = None
        self._fetches: set[asyncio.Task[None]] = set()
        self._connection: "asyncpg.Connection | None" = None
        self._last_prune = 0.0

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen_forever(), name="elior-fanout-listener")
        # Deliveries published before the LISTEN is in place would be lost to this process: wait for it briefly.
        try:
            await asyncio.wait_for(self.listening.wait(), 10)
        except asyncio.TimeoutError:
            log.error("could not LISTEN for live updates yet; still trying in the background")

    async def stop(self) -> None:
        for task in [self._task, *self._fetches]:
            if task is not None:
                task.cancel()
        await asyncio.gather(*(t for t in [self._task, *self._fetches] if t is not None), return_exceptions=True)
        self._task = None

    async def publish(self, batch: list[Delivery]) -> None:
        payload = orjson.dumps({"d": [delivery.to_json() for delivery in batch]}).decode()
        if len(payload.encode()) > MAX_PAYLOAD_BYTES:
            ref = await self.db.fetch_val("live.outbox_insert", payload=payload, now=clock.now())
            payload = orjson.dumps({"ref": int(ref)}).decode()
            await self._prune()
        await self.db.fetch_val("live.notify", channel=CHANNEL, payload=payload)

    async def _prune(self) -> None:
        if time.monotonic() - self._last_prune > 30:
            self._last_prune = time.monotonic()
            await self.db.execute("live.outbox_prune", before=clock.now() - OUTBOX_KEEP)

    # --- listening ---

    async def _listen_forever(self) -> None:
        import asyncpg

        failures = 0
        while True:
            lost = asyncio.Event()
            try:
                connection = await asyncpg.connect(self.url, timeout=10,
                                                 server_settings={"application_name": LISTENER_NAME})
            except (OSError, asyncpg.PostgresError, asyncio.TimeoutError) as error:
                log.warning("live updates: cannot reach PostgreSQL to LISTEN; retrying", extra={"error": str(error)})
            else:
                self._connection = connection
                try:
                    connection.add_termination_listener(lambda _connection: lost.set())
                    await connection.add_listener(CHANNEL, self._on_notify)
                    self.connects += 1
                    failures = 0
                    self.listening.set()
                    log.info("live updates: listening", extra={"channel": CHANNEL, "connects": self.connects})
                    await self._watch(connection, lost)
                except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, asyncio.TimeoutError) as error:
                    log.warning("live updates: LISTEN connection lost; reconnecting", extra={"error": str(error)})
                finally:
                    self.listening.clear()
                    self._connection = None
                    connection.terminate()
            await asyncio.sleep(RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)])
            failures += 1

    async def _watch(self, connection: "asyncpg.Connection", lost: asyncio.Event) -> None:
        """Return when the connection is gone: closed by the server, or silent to a periodic query."""
        while not lost.is_set():
            try:
                await asyncio.wait_for(lost.wait(), HEALTH_INTERVAL)
            except asyncio.TimeoutError:
                await asyncio.wait_for(connection.fetchval(self.db.sql("live.listener_ping")), 5)

    def _on_notify(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        self.received += 1
        try:
            message = orjson.loads(payload)
            if "ref" in message:
                task = asyncio.get_running_loop().create_task(self._deliver_stored(int(message["ref"])))
                self._fetches.add(task)
                task.add_done_callback(self._fetches.discard)
                return
            self._deliver_batch(message)
        except Exception:  # one bad payload must not stop the listener
            log.exception("live updates: could not deliver a notification payload")

    async def _deliver_stored(self, ref: int) -> None:
        try:
            payload = await self.db.fetch_val("live.outbox_get", id=ref)
            if payload is None:
                log.warning("live updates: stored batch already pruned", extra={"ref": ref})
                return
            self._deliver_batch(orjson.loads(payload))
        except Exception:
            log.exception("live updates: could not deliver a stored batch")

    def _deliver_batch(self, message: dict[str, Any]) -> None:
        for raw in message["d"]:
            self.deliver(Delivery.from_json(raw))


def make_fanout(settings: "Settings", db: "Database", deliver: Deliver) -> Fanout:
    if db.dialect == "postgresql":
        return PostgresFanout(settings.database_url, db, deliver)
    return LocalFanout(deliver)
