"""The single seam through which every write announces itself.

    async with call.db.transaction():
        ...  # the write
        await events.record(call, "workout.created", workout, client_id=workout["client_id"])

`record`, inside the write's transaction: the listeners run there and then (the notifications the event calls for
are stored in that transaction, elior/notifications/inbox.py), and what they would push is kept in the notification
outbox, pushed once the transaction commits and never if it rolls back (elior/live/outbox.py). A fault between the
commit and the push (a killed process, a lock, a lost connection) delays the push; it loses nothing, and the
notifications are there with the write or not at all. A listener's failure fails the write.

`record_event` is the same for work outside a request (a periodic job such as the check-in reminders or the booking
reminders), inside the job's own transaction. Every write records its events this way; there is no after-commit
form left for domains (`EventBus.emit`, which runs the listeners outside any transaction, is kept for the test and
benchmark routes that inject an event without a write).

Domain modules call only these. The live-updates hub subscribes here and decides who receives what, from the same
ownership rules as the REST API; nothing here trusts a recipient named by a caller.
"""
from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from elior import clock

if TYPE_CHECKING:
    from elior.db.database import Database
    from elior.live.fanout import Delivery

log = logging.getLogger("elior.events")

EVENT_TYPES = frozenset({
    "workout.created", "workout.updated", "workout.completed", "progress.created", "progress.updated",
    "meal_entry.created", "meal_entry.reviewed", "notification.created",
    "program.assigned",
    "appointment.booked", "appointment.cancelled", "appointment.updated", "appointment.reminder",
    "message.created", "message.updated", "message.read", "comment.created",
    "check_in.due", "check_in.submitted", "check_in.replied", "habit.assigned",
})


@dataclass(frozen=True)
class Event:
    type: str
    data: dict[str, Any]
    client_id: int  # whose data changed: the hub derives every recipient from this
    actor_id: int | None
    at: str = field(default_factory=lambda: clock.iso(clock.now()))
    # Set when the event is recorded inside a transaction: listeners add what they would push here instead, and it
    # goes to the notification outbox with the write. None: emitted outside a transaction (`EventBus.emit`, test
    # and benchmark routes only), listeners push themselves.
    staged: "list[Delivery] | None" = field(default=None, compare=False, repr=False)
    _who: list[dict[str, Any] | None] = field(default_factory=list, compare=False, repr=False)

    def message(self) -> dict[str, Any]:
        return {"type": self.type, "data": self.data, "at": self.at}

    async def recipients(self, db: "Database") -> dict[str, Any] | None:
        """The `live.recipients` row of the event's client (None: not a client), read once for all listeners."""
        if not self._who:
            self._who.append(await db.fetch_one("live.recipients", client_id=self.client_id))
        return self._who[0]


Listener = Callable[[Event], Awaitable[None]]


class EventBus:
    def __init__(self) -> None:
        self.listeners: list[Listener] = []
        self.published = 0

    def subscribe(self, listener: Listener) -> None:
        self.listeners.append(listener)

    async def emit(self, event: Event) -> None:
        """Outside any transaction (test and benchmark routes only): every listener runs and pushes at once; one
        that fails is logged, the others still run."""
        if event.type not in EVENT_TYPES:
            raise ValueError(f"unknown event type {event.type!r}")
        self.published += 1
        for listener in self.listeners:
            try:
                await listener(event)
            except Exception:  # a failing listener must not turn a committed write into an error
                log.exception("event listener failed", extra={"event": event.type})

    async def stage(self, event: Event) -> None:
        """Inside a transaction: every listener runs, and the first failure is raised, so the write rolls back."""
        if event.type not in EVENT_TYPES:
            raise ValueError(f"unknown event type {event.type!r}")
        assert event.staged is not None, "a staged event carries the list its listeners add their pushes to"
        self.published += 1
        for listener in self.listeners:
            await listener(event)


async def record(call: Any, event_type: str, data: dict[str, Any], *, client_id: int) -> None:
    """Inside the write's transaction: announce the change of `client_id`'s data, stored with the write."""
    await record_event(call.request.app.state, Event(event_type, data, client_id, getattr(call.user, "id", None)))


async def record_event(state: Any, event: Event) -> None:
    """`record` for work outside a request (a periodic job): `state` is the app's state, inside a transaction."""
    event = dataclasses.replace(event, staged=[])
    bus: EventBus = state.events
    await bus.stage(event)
    assert event.staged is not None
    await state.hub.outbox.add(event.staged)
