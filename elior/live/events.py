"""The single seam through which every write announces itself, after its commit.

    await events.publish(call, "workout.created", workout, client_id=workout["client_id"])

Domain modules call only this. The live-updates hub subscribes to it and decides who receives what, from the same
ownership rules as the REST API; nothing here trusts a recipient named by a caller.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from elior import clock

log = logging.getLogger("elior.events")

EVENT_TYPES = frozenset({
    "workout.created", "workout.updated", "workout.completed", "progress.created", "progress.updated",
    "meal_entry.created", "meal_entry.reviewed", "notification.created",
})


@dataclass(frozen=True)
class Event:
    type: str
    data: dict[str, Any]
    client_id: int  # whose data changed: the hub derives every recipient from this
    actor_id: int | None
    at: str = field(default_factory=lambda: clock.iso(clock.now()))

    def message(self) -> dict[str, Any]:
        return {"type": self.type, "data": self.data, "at": self.at}


Listener = Callable[[Event], Awaitable[None]]


class EventBus:
    def __init__(self) -> None:
        self.listeners: list[Listener] = []
        self.published = 0

    def subscribe(self, listener: Listener) -> None:
        self.listeners.append(listener)

    async def emit(self, event: Event) -> None:
        if event.type not in EVENT_TYPES:
            raise ValueError(f"unknown event type {event.type!r}")
        self.published += 1
        for listener in self.listeners:
            try:
                await listener(event)
            except Exception:  # a failing listener must not turn a committed write into an error
                log.exception("event listener failed", extra={"event": event.type})


async def publish(call: Any, event_type: str, data: dict[str, Any], *, client_id: int) -> None:
    """Announce a committed change of `client_id`'s data. `call` is the endpoint's `Call`."""
    bus: EventBus = call.request.app.state.events
    await bus.emit(Event(event_type, data, client_id, getattr(call.user, "id", None)))
