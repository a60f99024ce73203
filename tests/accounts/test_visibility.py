"""The one rule of who sees which client (sql/shared/caller_sees_client.sql, and its write side
caller_coaches_client.sql): its truth table on the real database, a demoted trainer shut out of their former
clients, every query that uses it planned on its indexes, and no query spelling it by hand."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior import clock
from elior.paths import SQL_DIR
from tests.helpers import Person, Studio, make_person, run
from tests.nutrition.test_meal_plans import add_file, make_plan, query_plan
from tests.training_world import make_workout

FRAGMENTS = ("caller_sees_client", "caller_coaches_client")


def demoted_trainer(client: TestClient) -> tuple[Person, Person]:
    """A trainer with a client, then made a client without the client being moved: the state an invite made by a
    trainer who is demoted before it is claimed leaves behind (issue 14). Written straight to the database, because
    the API refuses to demote a trainer who still has clients."""
    db = client.app.state.db  # type: ignore[attr-defined]
    trainer = make_person(client, "trainer", full_name="Demoted Trainer")
    former_client = make_person(client, "client", trainer=trainer, full_name="Former Client")
    run(client, db.execute, "accounts.users.update", id=trainer.id, email=trainer.email, full_name="Demoted Trainer",
        role="client", trainer_id=None, is_active=True, now=clock.now())
    client.app.state.authenticator.forget_sessions()  # type: ignore[attr-defined]
    return dataclasses.replace(trainer, role="client"), former_client


# --- the rule itself ---

def test_visibility_rule_truth_table(client: TestClient, studio: Studio) -> None:
    demoted, former = demoted_trainer(client)
    cast = {**studio.everyone(), "demoted": demoted, "former": former}
    # caller -> the users they see, and the users they coach (may assign work to, edit the plans of, review)
    expected = {
        "admin": (set(cast), set(cast)),
        "trainer_a": ({"trainer_a", "client_a1", "client_a2"}, {"client_a1", "client_a2"}),
        "trainer_b": ({"trainer_b", "client_b1"}, {"client_b1"}),
        "client_a1": ({"client_a1"}, set()),
        "client_b1": ({"client_b1"}, set()),
        "demoted": ({"demoted"}, set()),  # was: their former client too, whom they could read and edit
        "former": ({"former"}, set()),
    }
    name_of = {person.id: name for name, person in cast.items()}
    db = client.app.state.db  # type: ignore[attr-defined]
    for caller, (sees, coaches) in expected.items():
        person = cast[caller]
        rows = run(client, db.fetch_all, "tests.visibility", caller_id=person.id, caller_role=person.role)
        assert {name_of[r["id"]] for r in rows if r["sees"]} == sees, caller
        assert {name_of[r["id"]] for r in rows if r["coaches"]} == coaches, caller


def test_demoted_trainer_reads_nothing_of_their_former_client(client: TestClient, studio: Studio) -> None:
    db = client.app.state.db  # type: ignore[attr-defined]
    trainer = make_person(client, "trainer")
    former = make_person(client, "client", trainer=trainer)
    workout = make_workout(client, studio.admin, former.id)
    plan = make_plan(client, studio.admin, former)
    entry = client.post("/api/progress", json={"date": dt.date.today().isoformat(), "weight_kg": 80},
                        headers=former.headers)
    assert entry.status_code == 201, entry.text
    add_file(client, former, former.id, purpose="document")
    reads = [f"/api/users/{former.id}", f"/api/workouts/{workout['id']}", f"/api/meal-plans/{plan['id']}",
             f"/api/progress/{entry.json()['id']}", f"/api/progress?client_id={former.id}",
             f"/api/meal-plans?client_id={former.id}", f"/api/progress/summary?client_id={former.id}"]
    assert [client.get(path, headers=trainer.headers).status_code for path in reads] == [200] * len(reads)
    assert client.get(f"/api/files?client_id={former.id}", headers=trainer.headers).json()["total"] == 1

    run(client, db.execute, "accounts.users.update", id=trainer.id, email=trainer.email, full_name="Was a trainer",
        role="client", trainer_id=None, is_active=True, now=clock.now())
    client.app.state.authenticator.forget_sessions()  # type: ignore[attr-defined]

    assert [client.get(path, headers=trainer.headers).status_code for path in reads] == [404] * len(reads)
    assert client.get(f"/api/files?client_id={former.id}", headers=trainer.headers).json()["total"] == 0
    assert client.get("/api/workouts", headers=trainer.headers).json()["total"] == 0
    assert client.put(f"/api/users/{former.id}", json={"profile": {"goals": "mine now"}},
                      headers=trainer.headers).status_code == 404


def test_demoted_trainer_is_not_told_about_their_former_client(client: TestClient, studio: Studio) -> None:
    demoted, former = demoted_trainer(client)
    response = client.post("/api/progress", json={"date": dt.date.today().isoformat(), "weight_kg": 80},
                           headers=former.headers)
    assert response.status_code == 201, response.text
    assert client.get("/api/notifications", headers=demoted.headers).json()["total"] == 0


# --- every query that uses it ---

def _raw_sql() -> dict[Path, str]:
    """Every query file as written (fragments not spliced), comments dropped."""
    return {path: "\n".join(line.split("--")[0] for line in path.read_text().splitlines())
            for path in sorted(SQL_DIR.rglob("*.sql")) if path.relative_to(SQL_DIR).parts[0] != "migrations"}


def _query_name(path: Path) -> str:
    stem = path.relative_to(SQL_DIR).with_suffix("")
    if stem.suffix in (".sqlite", ".postgresql"):
        stem = stem.with_suffix("")
    return ".".join(stem.parts)


def _splices(sql: str, names: set[str]) -> bool:
    return any(f"{{{{ {name} }}}}" in sql for name in names)


def _fragments_naming_the_rule() -> set[str]:
    """The rule's fragments, and every shared fragment that splices one of them in (a list's FROM and WHERE)."""
    shared = {path.stem: sql for path, sql in _raw_sql().items() if path.relative_to(SQL_DIR).parts[0] == "shared"}
    names = set(FRAGMENTS)
    while more := {stem for stem, sql in shared.items() if _splices(sql, names)} - names:
        names |= more
    return names


RULE_FRAGMENTS = _fragments_naming_the_rule()
USING_THE_RULE = sorted({_query_name(path) for path, sql in _raw_sql().items()
                         if _splices(sql, RULE_FRAGMENTS)
                         and path.relative_to(SQL_DIR).parts[0] not in ("shared", "tests")})

# SQLite reads a whole table here, with or without the rule; each is a list that, on SQLite, walks the users (one row
# per person of the studio) because SQLite cannot search an index for an OR whose admin term names no column.
# PostgreSQL, which folds the caller's role into the plan, searches all of them through an index.
SQLITE_SCANS = {
    "accounts.users.list": {"c"}, "accounts.users.count": {"c"},
    "nutrition.meal_plans.page_visible": {"c"}, "nutrition.meal_plans.count_visible": {"c"},
    "progress.page_visible": {"c"}, "progress.count_visible": {"c"},
    # Every file row; files.list without ?client_id= is the one list left that reads its big table whole.
    "files.list": {"f"}, "files.count": {"f"},
}
NOT_TABLES = re.compile(r"^(page|x|sets|json_each|\(subquery-\d+\))$")  # CTEs, subqueries and json_each


def _value(name: str, studio: Studio) -> Any:
    """A plausible value for each parameter the queries take, by its name."""
    ids = {"client_id": studio.client_a1.id, "trainer_id": studio.trainer_a.id, "user_id": studio.client_a1.id}
    if name in ids:
        return ids[name]
    if name.endswith("id"):
        return 1
    return {"date_from": clock.EARLIEST, "date_to": clock.LATEST, "after": clock.EARLIEST, "limit": 20,
            "offset": 0, "sort": "scheduled_for", "ids": "[1, 2]", "filename": "x.jpg", "now": clock.now(),
            "date": dt.date(2026, 3, 2), "start_date": dt.date(2026, 3, 2), "scheduled_for": dt.date(2026, 3, 2),
            "completed_at": clock.now()}.get(name)


def test_every_query_using_the_rule_is_known() -> None:
    assert len(USING_THE_RULE) >= 50  # the read and write queries of every domain
    assert {"accounts.users.get", "training.workouts.page_trainer", "files.visible",
            "nutrition.meal_entries.review"} <= set(USING_THE_RULE)
    # A list's FROM and WHERE splice the rule in: the queries built on them use it too.
    assert {"workouts_of_client", "workouts_of_trainer"} <= RULE_FRAGMENTS
    assert {"training.workouts.count_client", "training.workouts.count_trainer"} <= set(USING_THE_RULE)


@pytest.mark.parametrize("role", ["trainer", "client"])
def test_every_query_using_the_rule_searches_its_indexes(client: TestClient, studio: Studio, role: str) -> None:
    make_plan(client, studio.trainer_a, studio.client_a1)
    make_workout(client, studio.trainer_a, studio.client_a1.id)
    caller = studio.trainer_a if role == "trainer" else studio.client_a1
    dialect = client.app.state.db.dialect  # type: ignore[attr-defined]
    failures = {}
    for name in USING_THE_RULE:
        sql = client.app.state.db.sql(name)  # type: ignore[attr-defined]
        values = {p: _value(p, studio) for p in set(re.findall(r"(?<![:\w\\]):(\w+)", sql))}
        values.update(caller_id=caller.id, caller_role=caller.role)
        plan = query_plan(client, name, **values)
        if dialect == "sqlite":
            scanned = {line.split()[1] for line in plan.splitlines() if line.startswith("SCAN ")}
            unexpected = {s for s in scanned if not NOT_TABLES.match(s)} - SQLITE_SCANS.get(name, set())
        else:  # sequential scans are priced out (query_plan): one left means no index serves that table
            unexpected = set(re.findall(r"Seq Scan on (\w+)", plan))
        if unexpected:
            failures[name] = f"reads {sorted(unexpected)} whole:\n{plan}"
    assert failures == {}


# --- one home ---

HAND_SPELLED = re.compile(r"trainer_id\s*=\s*:caller_id|:caller_id\s*=\s*(\w+\.)?trainer_id"
                          r"|:caller_role\s*(=|<>|!=)\s*'(trainer|client)'")


def test_no_query_spells_the_rule_by_hand() -> None:
    spelled = {str(path.relative_to(SQL_DIR)) for path, sql in _raw_sql().items()
               if path.relative_to(SQL_DIR).parts[0] != "shared" and HAND_SPELLED.search(sql)}
    assert spelled == set()
    for name in FRAGMENTS:  # and the rule does check that a trainer is a trainer, in its one home
        fragment = (SQL_DIR / "shared" / f"{name}.sql").read_text()
        assert "(:caller_role = 'trainer' AND c.trainer_id = :caller_id)" in fragment
