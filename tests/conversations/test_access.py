"""Who may call every conversations route: anonymous, an admin, two trainers and three clients, against client A1's
thread, workout, check-ins and habits (A1 is trainer A's). Every route of elior.conversations.routes has its row."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import pytest
from starlette.testclient import TestClient

from elior import clock
from elior.conversations.routes import ROUTES
from elior.web.routing import template
from tests.conversations.world import logged_workout, send
from tests.helpers import Person, Studio

CALLERS = ("anonymous", "trainer_b", "client_a2", "client_b1", "admin", "trainer_a", "client_a1")
SIDES_OF_A1 = {"trainer_a", "client_a1"}
SEE_A1 = {"admin", "trainer_a", "client_a1"}
COACH_A1 = {"admin", "trainer_a"}


@dataclass
class Row:
    method: str
    path: str
    statuses: dict[str, int]
    body: Any = None
    fresh: str | None = None  # a destructive row: the world item made anew before each caller
    answered: bool = True  # whether today's check-in of A1 is answered already


def expect(allowed: set[str], ok: int, *, roles: set[str] | None = None, hidden: int = 404) -> dict[str, int]:
    """`ok` for the allowed callers; 403 for a caller whose role the route refuses; `hidden` for the rest."""
    answer = {"anonymous": 401}
    for caller in CALLERS[1:]:
        role = caller.split("_")[0]
        answer[caller] = ok if caller in allowed else 403 if roles is not None and role not in roles else hidden
    return answer


READ = expect(SEE_A1, 200)
SIDES = {"client", "trainer"}
COACHES = {"trainer", "admin"}
ROWS = [
    Row("GET", "/api/conversations", expect(set(CALLERS[1:]), 200)),
    Row("GET", "/api/conversations/{a1}/messages", READ),
    Row("POST", "/api/conversations/{a1}/messages", expect(SIDES_OF_A1, 201, roles=SIDES), {"body": "hi"}),
    Row("PUT", "/api/conversations/{a1}/messages/{message}",
        expect({"client_a1"}, 200, roles=SIDES) | {"trainer_a": 403}, {"body": "changed"}),
    Row("DELETE", "/api/conversations/{a1}/messages/{message}",
        expect({"client_a1"}, 204, roles=SIDES) | {"trainer_a": 403}, fresh="message"),
    Row("POST", "/api/conversations/{a1}/read", expect(SIDES_OF_A1, 204, roles=SIDES), {"message_id": "{message}"}),
    Row("GET", "/api/workouts/{workout}/comments", READ),
    Row("POST", "/api/workouts/{workout}/comments", expect(SIDES_OF_A1, 201, roles=SIDES), {"body": "Nice"}),
    Row("DELETE", "/api/workouts/{workout}/comments/{comment}",
        expect({"client_a1"}, 204, roles=SIDES) | {"trainer_a": 403}, fresh="comment"),
    Row("POST", "/api/check-in-templates", expect({"admin", "trainer_a", "trainer_b"}, 201, roles=COACHES),
        {"title": "T", "questions": [{"kind": "text", "prompt": "How was it?"}]}),
    Row("GET", "/api/check-in-templates", expect({"admin", "trainer_a", "trainer_b"}, 200, roles=COACHES)),
    Row("GET", "/api/check-in-templates/{template}", expect(COACH_A1, 200, roles=COACHES)),
    Row("DELETE", "/api/check-in-templates/{unused}", expect(COACH_A1, 204, roles=COACHES), fresh="unused"),
    Row("GET", "/api/check-ins/schedules/{a1}", READ),
    Row("PUT", "/api/check-ins/schedules/{a1}", expect(COACH_A1, 200, roles=COACHES),
        {"template_id": "{template}", "cadence": "every_n_days", "every_days": 7}),
    Row("DELETE", "/api/check-ins/schedules/{a1}", expect(COACH_A1, 204, roles=COACHES), fresh="schedule"),
    Row("GET", "/api/check-ins?client_id={a1}", READ),
    Row("POST", "/api/check-ins", expect({"client_a1"}, 201, roles={"client"}), {"answers": []}, answered=False),
    Row("GET", "/api/check-ins/{check_in}", READ),
    Row("PUT", "/api/check-ins/{check_in}/reply", expect(COACH_A1, 200, roles=COACHES), {"reply": "Well done"}),
    Row("POST", "/api/habits", expect(COACH_A1, 201, roles=COACHES), {"client_id": "{a1}", "title": "Walk"}),
    Row("GET", "/api/habits?client_id={a1}", READ),
    Row("GET", "/api/habits/{habit}", READ),
    Row("PUT", "/api/habits/{habit}", expect(COACH_A1, 200, roles=COACHES), {"title": "Walk more"}),
    Row("DELETE", "/api/habits/{habit}", expect(COACH_A1, 204, roles=COACHES), fresh="habit"),
    Row("GET", "/api/habits/{habit}/history", READ),
    Row("PUT", "/api/habits/{habit}/ticks/{today}", expect({"client_a1"}, 200, roles={"client"}), {}),
    Row("DELETE", "/api/habits/{habit}/ticks/{today}", expect({"client_a1"}, 204, roles={"client"})),
    Row("GET", "/api/notifications/settings", expect(set(CALLERS[1:]), 200)),
    Row("PUT", "/api/notifications/settings", expect(set(CALLERS[1:]), 200), {"muted": ["habit"]}),
]


class World(dict):  # type: ignore[type-arg]
    """A1's things, by placeholder name; `make(name)` makes a new one of a destructive row's kind."""

    def __init__(self, client: TestClient, studio: Studio, answered: bool = True) -> None:
        super().__init__(a1=studio.client_a1.id, today=clock.today().isoformat())
        self.client, self.studio = client, studio
        workout = logged_workout(client, studio)
        self["workout"] = workout["id"]
        self["template"] = self._post("/api/check-in-templates", studio.trainer_a, {
            "title": "Weekly", "questions": [{"kind": "scale", "prompt": "Energy"}]})["id"]
        for name in ("message", "comment", "unused", "schedule", "habit"):
            self.make(name)
        if answered:  # today's check-in (the schedule is daily): a row that answers it again needs a world without
            self["check_in"] = self._post("/api/check-ins", studio.client_a1, {"answers": []})["id"]

    def _post(self, path: str, who: Person, body: Any, method: str = "POST") -> dict[str, Any]:
        response = self.client.request(method, path, json=body, headers=who.headers)
        assert response.status_code in (200, 201), response.text
        return response.json()  # type: ignore[no-any-return]

    def make(self, name: str) -> None:
        a1, trainer = self.studio.client_a1, self.studio.trainer_a
        makers: dict[str, Callable[[], Any]] = {
            "message": lambda: send(self.client, a1, a1.id, "mine")["id"],
            "comment": lambda: self._post(f"/api/workouts/{self['workout']}/comments", a1, {"body": "mine"})["id"],
            "unused": lambda: self._post("/api/check-in-templates", trainer, {
                "title": "Spare", "questions": [{"kind": "text", "prompt": "?"}]})["id"],
            "schedule": lambda: self._post(f"/api/check-ins/schedules/{a1.id}", trainer, {
                "template_id": self["template"], "cadence": "every_n_days", "every_days": 1}, "PUT")["client_id"],
            "habit": lambda: self._post("/api/habits", trainer, {"client_id": a1.id, "title": "Walk"})["id"],
        }
        self[name] = makers[name]()

    def fill(self, value: Any) -> Any:
        if isinstance(value, str):
            filled = value.format(**self)
            return int(filled) if filled.isdigit() and value.startswith("{") else filled
        if isinstance(value, dict):
            return {key: self.fill(item) for key, item in value.items()}
        return value


def test_every_route_has_its_row() -> None:
    declared = {(next(iter(route.methods - {"HEAD"})), template(route.path)) for route in ROUTES}
    covered = {(row.method, template(row.path.split("?")[0].replace("{a1}", "{client_id}")
                                     .replace("{message}", "{id}").replace("{workout}", "{id}")
                                     .replace("{comment}", "{comment_id}").replace("{template}", "{id}")
                                     .replace("{unused}", "{id}").replace("{check_in}", "{id}")
                                     .replace("{habit}", "{id}").replace("{today}", "{day}")))
               for row in ROWS}
    assert declared == covered


@pytest.mark.parametrize("row", ROWS, ids=[f"{row.method} {row.path}" for row in ROWS])
def test_access(client: TestClient, studio: Studio, row: Row) -> None:
    world = World(client, studio, row.answered)
    people = {"anonymous": None, **studio.everyone()}
    answers = {}
    for caller in CALLERS:
        if row.fresh:
            world.make(row.fresh)
        person = people[caller]
        headers = person.headers if person else {}
        response = client.request(row.method, world.fill(row.path), json=world.fill(row.body), headers=headers)
        answers[caller] = response.status_code
        if response.status_code >= 400:
            assert set(response.json()) == {"error", "detail", "status_code"}
    assert answers == row.statuses
