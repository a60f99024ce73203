"""Meal plans: server-computed totals, date rules, who may read and change them, lists, and their queries' plans."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior import clock
from tests.helpers import Person, Studio, assert_error, run

TODAY = dt.date.today()


# --- helpers the nutrition and progress test files share ---

def plan_body(client_id: int, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client_id": client_id, "title": "Lean bulk", "notes": "drink water",
        "start_date": (TODAY - dt.timedelta(days=10)).isoformat(),
        "end_date": (TODAY + dt.timedelta(days=20)).isoformat(),
        "targets": {"kcal": 2500, "protein_g": 160, "carbs_g": 300, "fat_g": 70},
        "meals": [
            {"name": "Breakfast", "time": "07:30", "items": [
                {"food": "Oats", "quantity_g": 80, "kcal": 303.2, "protein_g": 10.6, "carbs_g": 54.4, "fat_g": 5.6},
                {"food": "Milk", "quantity_g": 250, "kcal": 160, "protein_g": 8.5, "carbs_g": 12, "fat_g": 9}]},
            {"name": "Lunch", "time": "12:30", "items": [
                {"food": "Rice", "quantity_g": 150, "kcal": 195, "protein_g": 4.1, "carbs_g": 42.3, "fat_g": 0.4}]},
        ],
    }
    body.update(overrides)
    return body


def make_plan(client: TestClient, author: Person, owner: Person, **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/meal-plans", json=plan_body(owner.id, **overrides), headers=author.headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def count_rows(client: TestClient, table: str) -> int:
    assert table.isidentifier()
    return int(run(client, client.app.state.db.raw.fetch_val, f"SELECT COUNT(*) FROM {table}"))  # type: ignore


def add_file(client: TestClient, owner: Person, client_id: int | None, purpose: str = "meal_photo") -> str:
    """A files row written directly (the files API is another issue's): what an upload would leave behind."""
    filename = f"{uuid.uuid4().hex}.jpg"
    run(client, client.app.state.db.raw.execute,  # type: ignore[attr-defined]
        "INSERT INTO files (filename, owner_id, client_id, purpose, content_type, size, sha256, created_at) "
        "VALUES (:filename, :owner_id, :client_id, :purpose, 'image/jpeg', 10, 'x', :now)",
        {"filename": filename, "owner_id": owner.id, "client_id": client_id, "purpose": purpose,
         "now": clock.now()})
    return filename


def statements(client: TestClient, *prefixes: str) -> int:
    """Statements sent so far by queries of these domains (auth's cached session lookups left out)."""
    by_name = client.app.state.db.stats.by_name  # type: ignore[attr-defined]
    return sum(n for name, n in by_name.items() if name.startswith(prefixes))


def capture_events(client: TestClient) -> list[Any]:
    seen: list[Any] = []

    async def listener(event: Any) -> None:
        seen.append(event)

    client.app.state.events.subscribe(listener)  # type: ignore[attr-defined]
    return seen


def query_plan(client: TestClient, name: str, **values: Any) -> str:
    """The database's plan for a named query: EXPLAIN QUERY PLAN on SQLite; EXPLAIN with sequential scans
    discouraged on PostgreSQL (its tiny test tables would otherwise always be scanned, index or not)."""
    db = client.app.state.db  # type: ignore[attr-defined]
    sql = db.sql(name)

    async def explain() -> str:
        if db.dialect == "sqlite":
            rows = await db.raw.fetch_all("EXPLAIN QUERY PLAN " + sql, values)
            return "\n".join(str(row["detail"]) for row in rows)
        async with db.raw.connection() as connection:
            async with connection.transaction():
                await connection.execute("SET LOCAL enable_seqscan = off")
                rows = await connection.fetch_all("EXPLAIN " + sql, values)
        return "\n".join(str(row[0]) for row in rows)

    return run(client, explain)  # type: ignore[no-any-return]


def assert_indexed(client: TestClient, plan: str, tables: dict[str, str]) -> None:
    """Every big table (alias -> table) is reached through an index, never read whole."""
    dialect = client.app.state.db.dialect  # type: ignore[attr-defined]
    for alias, table in tables.items():
        if dialect == "sqlite":
            lines = [line for line in plan.splitlines() if f" {alias} " in f" {line} " or f" {table} " in line]
            assert lines, f"{table} not in the plan:\n{plan}"
            for line in lines:  # SEARCH: through an index (or the rowid); SCAN would read the whole table
                assert line.startswith("SEARCH"), f"{table} is scanned:\n{plan}"
        else:
            assert f"Seq Scan on {table}" not in plan, plan
            assert table in plan, plan


# --- totals ---

def test_plan_create_computes_totals_per_meal_and_day(client: TestClient, studio: Studio) -> None:
    plan = make_plan(client, studio.trainer_a, studio.client_a1)
    assert plan["client_id"] == studio.client_a1.id and plan["trainer_id"] == studio.trainer_a.id
    breakfast, lunch = plan["meals"]
    assert breakfast["totals"] == {"kcal": 463.2, "protein_g": 19.1, "carbs_g": 66.4, "fat_g": 14.6}
    assert lunch["totals"] == {"kcal": 195.0, "protein_g": 4.1, "carbs_g": 42.3, "fat_g": 0.4}
    assert plan["totals"] == {"kcal": 658.2, "protein_g": 23.2, "carbs_g": 108.7, "fat_g": 15.0}
    assert [m["position"] for m in plan["meals"]] == [0, 1]
    assert plan["targets"] == {"kcal": 2500, "protein_g": 160, "carbs_g": 300, "fat_g": 70}
    assert client.get(f"/api/meal-plans/{plan['id']}", headers=studio.client_a1.headers).json() == plan


def test_plan_totals_with_decimals_sum_exactly(client: TestClient, studio: Studio) -> None:
    items = [{"food": f"f{i}", "quantity_g": 1, "kcal": value, "protein_g": 0.1, "carbs_g": 0.2, "fat_g": 1 / 3}
             for i, value in enumerate((0.1, 0.2, 33.335, 0.005))]
    plan = make_plan(client, studio.trainer_a, studio.client_a1, meals=[{"name": "Snacks", "items": items}])
    # 0.1 + 0.2 is 0.3, not 0.30000000000000004; 33.64 rounds half up; four thirds are 1.33.
    assert plan["totals"] == {"kcal": 33.64, "protein_g": 0.4, "carbs_g": 0.8, "fat_g": 1.33}


def test_plan_totals_with_zeros_and_no_items(client: TestClient, studio: Studio) -> None:
    zero = {"food": "Water", "quantity_g": 500, "kcal": 0, "protein_g": 0, "carbs_g": 0, "fat_g": 0}
    plan = make_plan(client, studio.trainer_a, studio.client_a1, targets=None,
                     meals=[{"name": "Fast", "items": []}, {"name": "Drink", "items": [zero]}])
    assert [m["totals"] for m in plan["meals"]] == [{"kcal": 0.0, "protein_g": 0.0, "carbs_g": 0.0, "fat_g": 0.0}] * 2
    assert plan["meals"][0]["items"] == []
    assert plan["targets"] == {"kcal": None, "protein_g": None, "carbs_g": None, "fat_g": None}


def test_plan_totals_with_many_items(client: TestClient, studio: Studio) -> None:
    item = {"food": "Almond", "quantity_g": 1.2, "kcal": 6.9, "protein_g": 0.25, "carbs_g": 0.1, "fat_g": 0.6}
    meals = [{"name": f"Meal {m}", "items": [item] * 100} for m in range(20)]
    plan = make_plan(client, studio.trainer_a, studio.client_a1, meals=meals)
    assert len(plan["meals"]) == 20 and all(len(m["items"]) == 100 for m in plan["meals"])
    assert plan["meals"][7]["totals"] == {"kcal": 690.0, "protein_g": 25.0, "carbs_g": 10.0, "fat_g": 60.0}
    assert plan["totals"] == {"kcal": 13800.0, "protein_g": 500.0, "carbs_g": 200.0, "fat_g": 1200.0}


def test_plan_totals_in_the_body_is_422_and_nothing_written(client: TestClient, studio: Studio) -> None:
    body = plan_body(studio.client_a1.id, totals={"kcal": 1, "protein_g": 1, "carbs_g": 1, "fat_g": 1})
    error = assert_error(client.post("/api/meal-plans", json=body, headers=studio.trainer_a.headers), 422)
    assert error["detail"][0]["loc"] == ["body", "totals"]
    meal_totals = plan_body(studio.client_a1.id)
    meal_totals["meals"][0]["totals"] = {"kcal": 9999}
    assert_error(client.post("/api/meal-plans", json=meal_totals, headers=studio.trainer_a.headers), 422)
    assert count_rows(client, "meal_plans") == 0


def test_plan_totals_in_an_update_is_422(client: TestClient, studio: Studio) -> None:
    plan = make_plan(client, studio.trainer_a, studio.client_a1)
    assert_error(client.put(f"/api/meal-plans/{plan['id']}", json={"totals": {"kcal": 1}},
                            headers=studio.trainer_a.headers), 422)
    assert client.get(f"/api/meal-plans/{plan['id']}", headers=studio.trainer_a.headers).json() == plan


# --- dates and other bad input ---

def test_plan_end_before_start_is_422_and_nothing_written(client: TestClient, studio: Studio) -> None:
    body = plan_body(studio.client_a1.id, start_date="2026-03-10", end_date="2026-03-09")
    error = assert_error(client.post("/api/meal-plans", json=body, headers=studio.trainer_a.headers), 422)
    assert error["detail"][0]["loc"] == ["body", "end_date"]
    assert count_rows(client, "meal_plans") == 0 and count_rows(client, "meals") == 0


def test_plan_end_equal_to_start_and_open_end_are_fine(client: TestClient, studio: Studio) -> None:
    one_day = make_plan(client, studio.trainer_a, studio.client_a1, start_date="2026-03-10", end_date="2026-03-10")
    open_ended = make_plan(client, studio.trainer_a, studio.client_a1, end_date=None)
    assert one_day["end_date"] == "2026-03-10" and open_ended["end_date"] is None


def test_plan_update_end_before_stored_start_is_422_and_nothing_changed(client: TestClient, studio: Studio) -> None:
    plan = make_plan(client, studio.trainer_a, studio.client_a1, start_date="2026-03-10", end_date=None)
    response = client.put(f"/api/meal-plans/{plan['id']}", json={"end_date": "2026-03-01", "title": "New"},
                          headers=studio.trainer_a.headers)
    assert_error(response, 422)
    assert client.get(f"/api/meal-plans/{plan['id']}", headers=studio.trainer_a.headers).json() == plan


def test_plan_out_of_range_item_is_422_and_nothing_written(client: TestClient, studio: Studio) -> None:
    body = plan_body(studio.client_a1.id)
    body["meals"][1]["items"][0]["fat_g"] = -1
    body["meals"][0]["time"] = "25:00"
    error = assert_error(client.post("/api/meal-plans", json=body, headers=studio.trainer_a.headers), 422)
    assert {tuple(d["loc"]) for d in error["detail"]} == {("body", "meals", 1, "items", 0, "fat_g"),
                                                          ("body", "meals", 0, "time")}
    assert count_rows(client, "meal_plans") == 0 and count_rows(client, "meal_items") == 0


def test_plan_same_meal_position_twice_is_422(client: TestClient, studio: Studio) -> None:
    meals = [{"name": "A", "position": 1, "items": []}, {"name": "B", "position": 1, "items": []}]
    body = plan_body(studio.client_a1.id, meals=meals)
    error = assert_error(client.post("/api/meal-plans", json=body, headers=studio.trainer_a.headers), 422)
    assert error["detail"][0]["loc"] == ["body", "meals", 1, "position"]
    assert count_rows(client, "meal_plans") == 0


def test_plan_for_a_trainer_is_404(client: TestClient, studio: Studio) -> None:
    body = plan_body(studio.trainer_b.id)
    assert_error(client.post("/api/meal-plans", json=body, headers=studio.admin.headers), 404)


# --- changes ---

def test_plan_update_replaces_meals_and_recomputes_totals(client: TestClient, studio: Studio) -> None:
    plan = make_plan(client, studio.trainer_a, studio.client_a1)
    meals = [{"name": "Shake", "position": 5, "items": [
        {"food": "Whey", "quantity_g": 30, "kcal": 120.5, "protein_g": 24, "carbs_g": 3, "fat_g": 1.5}]}]
    response = client.put(f"/api/meal-plans/{plan['id']}", json={"meals": meals}, headers=studio.trainer_a.headers)
    assert response.status_code == 200, response.text
    changed = response.json()
    assert [m["name"] for m in changed["meals"]] == ["Shake"] and changed["meals"][0]["position"] == 5
    assert changed["totals"] == {"kcal": 120.5, "protein_g": 24.0, "carbs_g": 3.0, "fat_g": 1.5}
    assert changed["title"] == plan["title"] and changed["targets"] == plan["targets"]
    assert count_rows(client, "meals") == 1 and count_rows(client, "meal_items") == 1


def test_plan_update_changes_only_what_it_names(client: TestClient, studio: Studio) -> None:
    plan = make_plan(client, studio.trainer_a, studio.client_a1)
    response = client.put(f"/api/meal-plans/{plan['id']}", json={"title": "Cut", "notes": None,
                                                                 "targets": {"kcal": 2000}},
                          headers=studio.admin.headers)
    changed = response.json()
    assert changed["title"] == "Cut" and changed["notes"] is None
    assert changed["targets"] == {"kcal": 2000, "protein_g": None, "carbs_g": None, "fat_g": None}
    assert changed["meals"] == plan["meals"] and changed["start_date"] == plan["start_date"]


def test_plan_delete_removes_meals_items_and_entries(client: TestClient, studio: Studio) -> None:
    plan = make_plan(client, studio.trainer_a, studio.client_a1)
    entry = client.post(f"/api/meal-plans/{plan['id']}/entries", headers=studio.client_a1.headers,
                        json={"date": TODAY.isoformat(), "meal_name": "Breakfast"})
    assert entry.status_code == 201, entry.text
    assert client.delete(f"/api/meal-plans/{plan['id']}", headers=studio.trainer_a.headers).status_code == 204
    assert_error(client.get(f"/api/meal-plans/{plan['id']}", headers=studio.trainer_a.headers), 404)
    for table in ("meal_plans", "meals", "meal_items", "meal_entries"):
        assert count_rows(client, table) == 0, table


def test_plan_admin_creates_for_any_client_with_their_trainer(client: TestClient, studio: Studio) -> None:
    plan = make_plan(client, studio.admin, studio.client_b1)
    assert plan["trainer_id"] == studio.trainer_b.id


# --- who may do what ---

def test_plan_client_reads_but_never_changes(client: TestClient, studio: Studio) -> None:
    plan = make_plan(client, studio.trainer_a, studio.client_a1)
    me = studio.client_a1.headers
    assert client.get(f"/api/meal-plans/{plan['id']}", headers=me).status_code == 200
    assert_error(client.post("/api/meal-plans", json=plan_body(studio.client_a1.id), headers=me), 403)
    assert_error(client.put(f"/api/meal-plans/{plan['id']}", json={"title": "Mine"}, headers=me), 403)
    assert_error(client.delete(f"/api/meal-plans/{plan['id']}", headers=me), 403)
    assert client.get(f"/api/meal-plans/{plan['id']}", headers=me).json()["title"] == plan["title"]


@pytest.mark.parametrize("outsider", ["trainer_b", "client_a2", "client_b1"])
def test_plan_outsiders_get_404_everywhere(client: TestClient, studio: Studio, outsider: str) -> None:
    plan = make_plan(client, studio.trainer_a, studio.client_a1)
    who = getattr(studio, outsider).headers
    url = f"/api/meal-plans/{plan['id']}"
    assert_error(client.get(url, headers=who), 404)
    assert_error(client.get(f"/api/meal-plans?client_id={studio.client_a1.id}", headers=who), 404)
    assert_error(client.get(f"{url}/adherence", headers=who), 404)
    assert_error(client.get(f"{url}/entries", headers=who), 404)
    if outsider == "trainer_b":
        assert_error(client.put(url, json={"title": "Mine"}, headers=who), 404)
        assert_error(client.delete(url, headers=who), 404)
        assert_error(client.post("/api/meal-plans", json=plan_body(studio.client_a1.id), headers=who), 404)
    assert client.get(url, headers=studio.trainer_a.headers).json() == plan
    assert count_rows(client, "meal_plans") == 1


def test_plan_anonymous_gets_401_everywhere(client: TestClient, studio: Studio) -> None:
    plan = make_plan(client, studio.trainer_a, studio.client_a1)
    url = f"/api/meal-plans/{plan['id']}"
    for response in (client.get("/api/meal-plans"), client.post("/api/meal-plans", json=plan_body(1)),
                     client.get(url), client.put(url, json={"title": "x"}), client.delete(url),
                     client.get(f"{url}/adherence")):
        assert_error(response, 401)
    assert count_rows(client, "meal_plans") == 1


# --- lists ---

def test_plan_list_envelope_and_pages(client: TestClient, studio: Studio) -> None:
    ids = [make_plan(client, studio.trainer_a, studio.client_a1, start_date=f"2026-01-{d:02d}", end_date=None)["id"]
           for d in range(1, 6)]
    response = client.get(f"/api/meal-plans?client_id={studio.client_a1.id}&limit=2&offset=1",
                          headers=studio.client_a1.headers)
    body = response.json()
    assert body["total"] == 5 and body["limit"] == 2 and body["offset"] == 1
    assert [p["id"] for p in body["items"]] == ids[::-1][1:3]
    assert all(len(p["meals"]) == 2 and p["totals"]["kcal"] == 658.2 for p in body["items"])
    assert_error(client.get("/api/meal-plans?limit=101", headers=studio.client_a1.headers), 422)
    assert_error(client.get("/api/meal-plans?order=title", headers=studio.client_a1.headers), 422)


def test_plan_list_without_client_shows_what_the_caller_may_see(client: TestClient, studio: Studio) -> None:
    a1 = make_plan(client, studio.trainer_a, studio.client_a1)["id"]
    a2 = make_plan(client, studio.trainer_a, studio.client_a2)["id"]
    b1 = make_plan(client, studio.trainer_b, studio.client_b1)["id"]

    def ids(person: Person) -> set[int]:
        body = client.get("/api/meal-plans", headers=person.headers).json()
        assert body["total"] == len(body["items"])
        return {p["id"] for p in body["items"]}

    assert ids(studio.trainer_a) == {a1, a2}
    assert ids(studio.trainer_b) == {b1}
    assert ids(studio.client_a2) == {a2}
    assert ids(studio.admin) == {a1, a2, b1}


@pytest.mark.parametrize("url", ["/api/meal-plans?client_id={client}", "/api/meal-plans"])
def test_plan_list_costs_the_same_statements_for_1_or_12_plans(client: TestClient, studio: Studio, url: str) -> None:
    make_plan(client, studio.trainer_a, studio.client_a1)
    url = url.format(client=studio.client_a1.id)
    before = statements(client, "nutrition.meal_plans.")
    assert len(client.get(url, headers=studio.trainer_a.headers).json()["items"]) == 1
    one = statements(client, "nutrition.meal_plans.") - before
    for _ in range(11):
        make_plan(client, studio.trainer_a, studio.client_a1)
    before = statements(client, "nutrition.meal_plans.")
    assert len(client.get(url, headers=studio.trainer_a.headers).json()["items"]) == 12
    assert statements(client, "nutrition.meal_plans.") - before == one <= 3


def test_plan_queries_use_indexes(client: TestClient, studio: Studio) -> None:
    plan = make_plan(client, studio.trainer_a, studio.client_a1)
    scope = {"caller_id": studio.trainer_a.id, "caller_role": "trainer"}
    big = {"p": "meal_plans", "m": "meals", "i": "meal_items"}
    assert_indexed(client, query_plan(client, "nutrition.meal_plans.get", id=plan["id"], **scope), big)
    assert_indexed(client, query_plan(client, "nutrition.meal_plans.page", client_id=studio.client_a1.id, limit=20,
                                      offset=0, **scope), big)
    assert_indexed(client, query_plan(client, "nutrition.meal_plans.count", client_id=studio.client_a1.id, **scope),
                   {"p": "meal_plans"})
    assert_indexed(client, query_plan(client, "nutrition.meal_plans.page_visible", limit=20, offset=0, **scope), big)
    assert_indexed(client, query_plan(client, "nutrition.meal_plans.count_visible", **scope), {"p": "meal_plans"})
