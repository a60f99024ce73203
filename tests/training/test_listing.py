"""What the list endpoints share, each fact in one home: the `?order=` allow-lists and their SQL, the LIKE escaper
and its escape character, the widest date range."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import pytest
from starlette.testclient import TestClient

import elior
import elior.routes  # noqa: F401  (imports every list, so that every Ordering is declared)
from elior.db.database import load_fragments
from elior.paths import SQL_DIR
from elior.training.exercises import EXERCISE_ORDER
from elior.training.workouts import WORKOUT_ORDER
from elior.web import search
from elior.web.ordering import DECLARED, Ordering
from tests.helpers import Studio
from tests.training_world import make_exercise, make_workout

BRANCH = re.compile(r"CASE WHEN :sort = '(-?\w+)' THEN (.+?) END( DESC)?")


def _sql_files() -> dict[Path, str]:
    return {path: "\n".join(line.split("--")[0] for line in path.read_text().splitlines())
            for path in sorted(SQL_DIR.rglob("*.sql")) if "migrations" not in path.parts}


# --- ?order= ---

def test_every_ordering_and_its_fragment_list_the_same_values() -> None:
    assert set(DECLARED) >= {"workout_order", "exercise_order"}
    fragments = load_fragments()
    used = "\n".join(_sql_files().values())
    for name, ordering in DECLARED.items():
        branches = BRANCH.findall(fragments[name])
        assert [value for value, _, _ in branches] == list(ordering.values), name
        by_value = {value: (expression, bool(desc)) for value, expression, desc in branches}
        for field_name in ordering.fields:
            ascending, descending = by_value[field_name], by_value[f"-{field_name}"]
            assert ascending == (descending[0], False) and descending[1], (name, field_name)
            assert field_name.split("_")[0] in ascending[0], (name, field_name)  # the column it names
        assert f"{{{{ {name} }}}}" in used, f"no query uses sql/shared/{name}.sql"


def test_an_ordering_refuses_a_default_it_does_not_allow() -> None:
    with pytest.raises(ValueError, match="default"):
        Ordering("no_such_order", ("name",), default="-id")
    assert "no_such_order" not in DECLARED


def _workout_key(field_name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda item: (item[field_name].lower() if field_name == "title" else item[field_name])


@pytest.mark.parametrize("value", WORKOUT_ORDER.values)
def test_workout_list_sorts_by_every_allowed_order(client: TestClient, studio: Studio, value: str) -> None:
    for day, title, status in [(5, "b", "planned"), (3, "C", "skipped"), (9, "a", "planned"), (3, "d", "skipped")]:
        make_workout(client, studio.trainer_a, studio.client_a1.id, title=title, status=status,
                     scheduled_for=f"2026-03-0{day}")
    for who in (studio.trainer_a, studio.admin, studio.client_a1):  # the three page statements share the fragment
        items = client.get(f"/api/workouts?order={value}", headers=who.headers).json()["items"]
        field_name, descending = value.lstrip("-"), value.startswith("-")
        expected = sorted(sorted(items, key=lambda item: item["id"], reverse=descending),
                          key=_workout_key(field_name), reverse=descending)
        assert [item["id"] for item in items] == [item["id"] for item in expected], who.role


@pytest.mark.parametrize("value", EXERCISE_ORDER.values)
def test_exercise_list_sorts_by_every_allowed_order(client: TestClient, studio: Studio, value: str) -> None:
    for name in ("Squat", "bench", "Deadlift"):
        make_exercise(client, studio.trainer_a, name)
    names = [item["name"] for item in
             client.get(f"/api/exercises?order={value}", headers=studio.trainer_a.headers).json()["items"]]
    expected = {"name": ["bench", "Deadlift", "Squat"], "created_at": ["Squat", "bench", "Deadlift"]}
    field_name = value.lstrip("-")
    assert names == (expected[field_name][::-1] if value.startswith("-") else expected[field_name])


# --- LIKE ---

LIKE = re.compile(r"\bLIKE\b", re.IGNORECASE)
LIKE_PATTERN = re.compile(r"\bLIKE\s+:\w+\s+ESCAPE\s+'(.)'", re.IGNORECASE)


def test_every_like_in_sql_escapes_with_the_one_escape_character() -> None:
    likes = {path: sql for path, sql in _sql_files().items() if LIKE.search(sql)}
    assert len(likes) >= 4  # the exercise library and the user list, each a page and a count
    for path, sql in likes.items():
        assert LIKE_PATTERN.findall(sql) == [search.ESCAPE] * len(LIKE.findall(sql)), path


def test_contains_escapes_wildcards_and_the_escape_character() -> None:
    assert search.contains("100% A_b!") == "%100!% a!_b!!%"


# --- dates ---

DOMAINS = ("accounts", "training", "nutrition", "progress", "files", "notifications")


def test_date_bounds_have_one_home() -> None:
    """The widest range a list's `from`/`to` default to is clock.EARLIEST/LATEST; no domain spells its own."""
    spelled = re.compile(r"date\.(min|max)\b|date\(1, 1, 1\)|date\(9999, 12, 31\)")
    package = Path(elior.__file__).parent
    assert spelled.search((package / "clock.py").read_text())
    assert [str(path) for domain in DOMAINS for path in sorted((package / domain).rglob("*.py"))
            if spelled.search(path.read_text())] == []
