"""How a batch of deliveries reaches every server process: in memory on SQLite, LISTEN/NOTIFY on PostgreSQL.

SQLite serves one process, so the hub delivers directly. With PostgreSQL several processes may serve the same
database: each publishes through `pg_notify` on a pool connection and each LISTENs on a dedicated asyncpg connection
of its own, delivering what it hears to the sockets it holds, its own events included, so there is one path for all.
A batch larger than a NOTIFY payload may be (8000 bytes) is stored in `realtime_outbox` and only its id is notified.

Each process delivers in the order it hears: a batch stored in `realtime_outbox` is fetched before anything heard
after it is delivered (one chain; with no fetch pending, a batch is delivered at once, in the listener's callback).

NOTIFY is not durable: while a process's listener reconnects, the pushes it misses are lost to its sockets. A write's
pushes are also kept in the notification outbox (elior/live/outbox.py) until the process that wrote them hears them,
and swept again otherwise, so they arrive late rather than never; their notifications are stored in any case.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from collections import deque
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
Heard = Callable[[int], None]


class Fanout(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    heard: Heard | None  # told the outbox id of each batch of this process's own it hears (PostgreSQL only)

    async def publish(self, batch: list[Delivery], outbox_id: int | None = None) -> None: ...


class LocalFanout:
    """One process: deliver at once."""

    def __init__(self, deliver: Deliver) -> None:
        self.deliver = deliver
        self.heard: Heard | None = None  # unused: the outbox's worker pushes after the commit itself

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass

    async def publish(self, batch: list[Delivery], outbox_id: int | None = None) -> None:
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
        # Marks the batches this process publishes from its notification outbox; hearing one of its own calls
        # `heard` with the outbox row's id (elior/live/outbox.py then forgets the row).
        self.token = uuid.uuid4().hex
        self.heard: Heard | None = None
        self._task: asyncio.Task[None] | None = None
        self._backlog: deque[dict[str, Any]] = deque()  # heard but not delivered yet: a stored batch being fetched
        self._drainer: asyncio.Task[None] | None = None
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
        tasks = [task for task in (self._task, self._drainer) if task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._task = self._drainer = None

    async def publish(self, batch: list[Delivery], outbox_id: int | None = None) -> None:
        """NOTIFY `batch` to every process. Inside a transaction it is sent at commit, and not at all on rollback.
        `outbox_id`: the notification outbox row that holds it, reported to `heard` when this process hears it."""
        body: dict[str, Any] = {"d": [delivery.to_json() for delivery in batch]}
        if outbox_id is not None:
            body.update(o=outbox_id, f=self.token)
        payload = orjson.dumps(body).decode()
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
        except Exception:  # one bad payload must not stop the listener
            log.exception("live updates: could not read a notification payload")
            return
        if self._drainer is None and "ref" not in message:
            self._deliver_batch(message)  # the common case: nothing heard earlier is still on its way
            return
        # A stored batch must be fetched, or one heard earlier still is: queue behind it, so the order heard holds.
        self._backlog.append(message)
        if self._drainer is None:
            self._drainer = asyncio.get_running_loop().create_task(self._drain(), name="elior-fanout-fetch")

    async def _drain(self) -> None:
        try:
            while self._backlog:
                message: dict[str, Any] | None = self._backlog[0]
                if message is not None and "ref" in message:
                    message = await self._fetch_stored(int(message["ref"]))
                if message is not None:
                    self._deliver_batch(message)
                self._backlog.popleft()
        finally:
            self._drainer = None  # no await since the loop's last check: nothing was queued in between

    async def _fetch_stored(self, ref: int) -> dict[str, Any] | None:
        try:
            payload = await self.db.fetch_val("live.outbox_get", id=ref)
        except Exception:
            log.exception("live updates: could not fetch a stored batch", extra={"ref": ref})
            return None
        if payload is None:
            log.warning("live updates: stored batch already pruned", extra={"ref": ref})
            return None
        return orjson.loads(payload)  # type: ignore[no-any-return]

    def _deliver_batch(self, message: dict[str, Any]) -> None:
        try:
            for raw in message["d"]:
                self.deliver(Delivery.from_json(raw))
            if "o" in message and message.get("f") == self.token and self.heard is not None:
                self.heard(int(message["o"]))
        except Exception:  # one bad batch must not stop the listener, nor the batches heard after it
            log.exception("live updates: could not deliver a batch")


def make_fanout(settings: "Settings", db: "Database", deliver: Deliver) -> Fanout:
    if db.dialect == "postgresql":
        return PostgresFanout(settings.database_url, db, deliver)
    return LocalFanout(deliver)
