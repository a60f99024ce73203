"""Meal entries: the client logs, the trainer reviews, nobody else sees; and the plan's daily adherence."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.helpers import Person, Studio, assert_error
from tests.nutrition.test_meal_plans import (
    add_file,
    assert_indexed,
    capture_events,
    count_rows,
    make_plan,
    query_plan,
    statements,
)

TODAY = dt.date.today()
YESTERDAY = (TODAY - dt.timedelta(days=1)).isoformat()


@pytest.fixture
def plan(client: TestClient, studio: Studio) -> dict[str, Any]:
    return make_plan(client, studio.trainer_a, studio.client_a1)


def log(client: TestClient, plan: dict[str, Any], person: Person, **fields: Any) -> Any:
    body = {"date": YESTERDAY, "meal_name": "Lunch", "description": "rice and chicken", "kcal": 650.5,
            "protein_g": 45, "carbs_g": 70.25, "fat_g": 12, **fields}
    return client.post(f"/api/meal-plans/{plan['id']}/entries", json=body, headers=person.headers)


def logged(client: TestClient, plan: dict[str, Any], person: Person, **fields: Any) -> dict[str, Any]:
    response = log(client, plan, person, **fields)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def review(client: TestClient, entry: dict[str, Any], person: Person, status: str = "approved",
           comment: str | None = "well done") -> Any:
    return client.put(f"/api/meal-plans/{entry['plan_id']}/entries/{entry['id']}/review",
                      json={"status": status, "comment": comment}, headers=person.headers)


# --- logging ---

def test_entry_client_logs_it_pending_and_it_is_announced(client: TestClient, studio: Studio,
                                                          plan: dict[str, Any]) -> None:
    seen = capture_events(client)
    entry = logged(client, plan, studio.client_a1)
    assert entry["status"] == "pending" and entry["client_id"] == studio.client_a1.id
    assert entry["kcal"] == 650.5 and entry["photo_file"] is None and entry["reviewed_by"] is None
    assert entry["created_at"] == entry["updated_at"]
    assert [(e.type, e.client_id, e.data["id"]) for e in seen] == [("meal_entry.created", studio.client_a1.id,
                                                                    entry["id"])]


def test_entry_with_the_clients_own_photo_keeps_it(client: TestClient, studio: Studio, plan: dict[str, Any]) -> None:
    own = add_file(client, studio.client_a1, studio.client_a1.id)
    by_trainer = add_file(client, studio.trainer_a, studio.client_a1.id)
    assert logged(client, plan, studio.client_a1, photo_file=own)["photo_file"] == own
    assert logged(client, plan, studio.client_a1, photo_file=by_trainer)["photo_file"] == by_trainer


@pytest.mark.parametrize("whose", ["client_a2", "client_b1", "nobody"])
def test_entry_photo_not_of_the_client_is_422_and_nothing_written(client: TestClient, studio: Studio,
                                                                  plan: dict[str, Any], whose: str) -> None:
    filename = "no-such-file.jpg" if whose == "nobody" else add_file(client, getattr(studio, whose),
                                                                     getattr(studio, whose).id)
    error = assert_error(log(client, plan, studio.client_a1, photo_file=filename), 422)
    assert error["detail"][0]["loc"] == ["body", "photo_file"]
    assert count_rows(client, "meal_entries") == 0


@pytest.mark.parametrize("field,value", [("date", (TODAY + dt.timedelta(days=2)).isoformat()),
                                         ("date", (TODAY - dt.timedelta(days=11)).isoformat()),
                                         ("date", "2026-02-30"), ("kcal", -1), ("fat_g", 2001),
                                         ("meal_name", ""), ("status", "approved")])
def test_entry_bad_field_is_422_and_nothing_written(client: TestClient, studio: Studio, plan: dict[str, Any],
                                                    field: str, value: Any) -> None:
    error = assert_error(log(client, plan, studio.client_a1, **{field: value}), 422)
    assert error["detail"][0]["loc"] == ["body", field]
    assert count_rows(client, "meal_entries") == 0


@pytest.mark.parametrize("who", ["trainer_a", "admin"])
def test_entry_only_the_client_logs(client: TestClient, studio: Studio, plan: dict[str, Any], who: str) -> None:
    assert_error(log(client, plan, getattr(studio, who)), 403)
    assert count_rows(client, "meal_entries") == 0


# --- reviews ---

@pytest.mark.parametrize("who", ["trainer_a", "admin"])
def test_entry_review_by_trainer_or_admin_is_kept_and_announced(client: TestClient, studio: Studio,
                                                                plan: dict[str, Any], who: str) -> None:
    entry = logged(client, plan, studio.client_a1)
    seen = capture_events(client)
    reviewer = getattr(studio, who)
    response = review(client, entry, reviewer, "rejected", "too much fat")
    assert response.status_code == 200, response.text
    reviewed = response.json()
    assert reviewed["status"] == "rejected" and reviewed["review_comment"] == "too much fat"
    assert reviewed["reviewed_by"] == reviewer.id and reviewed["reviewed_at"] is not None
    assert [(e.type, e.client_id) for e in seen] == [("meal_entry.reviewed", studio.client_a1.id)]
    url = f"/api/meal-plans/{plan['id']}/entries/{entry['id']}"
    assert client.get(url, headers=studio.client_a1.headers).json() == reviewed


def test_entry_client_reviewing_their_own_is_403_and_unchanged(client: TestClient, studio: Studio,
                                                               plan: dict[str, Any]) -> None:
    entry = logged(client, plan, studio.client_a1)
    seen = capture_events(client)
    assert_error(review(client, entry, studio.client_a1), 403)
    url = f"/api/meal-plans/{plan['id']}/entries/{entry['id']}"
    assert client.get(url, headers=studio.client_a1.headers).json() == entry
    assert seen == []


def test_entry_review_with_a_bad_status_is_422(client: TestClient, studio: Studio, plan: dict[str, Any]) -> None:
    entry = logged(client, plan, studio.client_a1)
    assert_error(review(client, entry, studio.trainer_a, "pending"), 422)
    assert_error(review(client, entry, studio.trainer_a, "maybe"), 422)
    url = f"/api/meal-plans/{plan['id']}/entries/{entry['id']}"
    assert client.get(url, headers=studio.trainer_a.headers).json()["status"] == "pending"


def test_entry_review_through_another_plan_is_404(client: TestClient, studio: Studio, plan: dict[str, Any]) -> None:
    entry = logged(client, plan, studio.client_a1)
    other = make_plan(client, studio.trainer_a, studio.client_a1)
    assert_error(review(client, {**entry, "plan_id": other["id"]}, studio.trainer_a), 404)


# --- the client's edits ---

def test_entry_client_edits_it_while_pending(client: TestClient, studio: Studio, plan: dict[str, Any]) -> None:
    entry = logged(client, plan, studio.client_a1)
    url = f"/api/meal-plans/{plan['id']}/entries/{entry['id']}"
    response = client.put(url, json={"kcal": 700, "description": None}, headers=studio.client_a1.headers)
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["kcal"] == 700 and changed["description"] is None
    assert changed["meal_name"] == entry["meal_name"] and changed["date"] == entry["date"]


@pytest.mark.parametrize("status", ["approved", "rejected"])
def test_entry_reviewed_is_not_editable_by_the_client(client: TestClient, studio: Studio, plan: dict[str, Any],
                                                      status: str) -> None:
    entry = logged(client, plan, studio.client_a1)
    reviewed = review(client, entry, studio.trainer_a, status).json()
    url = f"/api/meal-plans/{plan['id']}/entries/{entry['id']}"
    assert_error(client.put(url, json={"kcal": 1}, headers=studio.client_a1.headers), 409)
    assert client.get(url, headers=studio.client_a1.headers).json() == reviewed


def test_entry_trainer_may_not_edit_what_the_client_ate(client: TestClient, studio: Studio,
                                                        plan: dict[str, Any]) -> None:
    entry = logged(client, plan, studio.client_a1)
    url = f"/api/meal-plans/{plan['id']}/entries/{entry['id']}"
    assert_error(client.put(url, json={"kcal": 1}, headers=studio.trainer_a.headers), 403)


def test_entry_edit_with_a_foreign_photo_is_422_and_unchanged(client: TestClient, studio: Studio,
                                                              plan: dict[str, Any]) -> None:
    entry = logged(client, plan, studio.client_a1)
    foreign = add_file(client, studio.client_a2, studio.client_a2.id)
    url = f"/api/meal-plans/{plan['id']}/entries/{entry['id']}"
    assert_error(client.put(url, json={"photo_file": foreign, "kcal": 5}, headers=studio.client_a1.headers), 422)
    assert client.get(url, headers=studio.client_a1.headers).json() == entry


# --- who sees what ---

@pytest.mark.parametrize("outsider", ["trainer_b", "client_a2"])
def test_entry_outsiders_get_404_everywhere(client: TestClient, studio: Studio, plan: dict[str, Any],
                                            outsider: str) -> None:
    entry = logged(client, plan, studio.client_a1)
    who = getattr(studio, outsider)
    base = f"/api/meal-plans/{plan['id']}/entries"
    assert_error(client.get(base, headers=who.headers), 404)
    assert_error(client.get(f"{base}/{entry['id']}", headers=who.headers), 404)
    assert_error(client.get(f"/api/meal-plans/{plan['id']}/adherence", headers=who.headers), 404)
    if outsider == "trainer_b":
        assert_error(review(client, entry, who), 404)
    else:
        assert_error(log(client, plan, who), 404)
        assert_error(client.put(f"{base}/{entry['id']}", json={"kcal": 1}, headers=who.headers), 404)
    assert client.get(f"{base}/{entry['id']}", headers=studio.client_a1.headers).json() == entry
    assert count_rows(client, "meal_entries") == 1


def test_entry_anonymous_gets_401_everywhere(client: TestClient, studio: Studio, plan: dict[str, Any]) -> None:
    entry = logged(client, plan, studio.client_a1)
    base = f"/api/meal-plans/{plan['id']}/entries"
    for response in (client.post(base, json={"date": YESTERDAY, "meal_name": "x"}), client.get(base),
                     client.get(f"{base}/{entry['id']}"), client.put(f"{base}/{entry['id']}", json={"kcal": 1}),
                     client.put(f"{base}/{entry['id']}/review", json={"status": "approved"})):
        assert_error(response, 401)


# --- lists ---

def test_entry_list_envelope_with_status_and_date_filters(client: TestClient, studio: Studio,
                                                          plan: dict[str, Any]) -> None:
    days = [(TODAY - dt.timedelta(days=n)).isoformat() for n in range(4)]
    entries = [logged(client, plan, studio.client_a1, date=day) for day in days]
    review(client, entries[1], studio.trainer_a)
    base = f"/api/meal-plans/{plan['id']}/entries"
    body = client.get(f"{base}?limit=2", headers=studio.trainer_a.headers).json()
    assert body["total"] == 4 and body["limit"] == 2 and body["offset"] == 0
    assert [e["date"] for e in body["items"]] == days[:2]
    approved = client.get(f"{base}?status=approved", headers=studio.client_a1.headers).json()
    assert [e["id"] for e in approved["items"]] == [entries[1]["id"]] and approved["total"] == 1
    ranged = client.get(f"{base}?from={days[2]}&to={days[1]}", headers=studio.client_a1.headers).json()
    assert [e["date"] for e in ranged["items"]] == days[1:3]
    assert_error(client.get(f"{base}?status=eaten", headers=studio.client_a1.headers), 422)


def test_entry_list_costs_the_same_statements_for_1_or_15_entries(client: TestClient, studio: Studio,
                                                                  plan: dict[str, Any]) -> None:
    url = f"/api/meal-plans/{plan['id']}/entries"
    logged(client, plan, studio.client_a1)
    before = statements(client, "nutrition.meal_entries.")
    assert client.get(url, headers=studio.trainer_a.headers).json()["total"] == 1
    one = statements(client, "nutrition.meal_entries.") - before
    for _ in range(14):
        logged(client, plan, studio.client_a1)
    before = statements(client, "nutrition.meal_entries.")
    assert len(client.get(url, headers=studio.trainer_a.headers).json()["items"]) == 15
    assert statements(client, "nutrition.meal_entries.") - before == one == 3


def test_entry_queries_use_indexes(client: TestClient, studio: Studio, plan: dict[str, Any]) -> None:
    entry = logged(client, plan, studio.client_a1)
    scope = {"caller_id": studio.trainer_a.id, "caller_role": "trainer"}
    where = {"plan_id": plan["id"], "date_from": dt.date(1, 1, 1), "date_to": dt.date(9999, 12, 31), **scope}
    for name, values in [("nutrition.meal_entries.page", {**where, "status": None, "limit": 20, "offset": 0}),
                         ("nutrition.meal_entries.count", {**where, "status": "pending"}),
                         ("nutrition.meal_entries.adherence", where),
                         ("nutrition.meal_entries.get", {"plan_id": plan["id"], "entry_id": entry["id"], **scope})]:
        assert_indexed(client, query_plan(client, name, **values), {"e": "meal_entries"})


# --- adherence ---

def test_adherence_counts_entries_by_status_and_macros_per_day(client: TestClient, studio: Studio,
                                                              plan: dict[str, Any]) -> None:
    day1, day2, day3 = [(TODAY - dt.timedelta(days=n)).isoformat() for n in (3, 2, 1)]
    a = logged(client, plan, studio.client_a1, date=day1, kcal=1000.1, protein_g=80, carbs_g=100, fat_g=30)
    b = logged(client, plan, studio.client_a1, date=day1, kcal=250.2, protein_g=None, carbs_g=20, fat_g=10)
    logged(client, plan, studio.client_a1, date=day3, kcal=None, protein_g=None, carbs_g=None, fat_g=None)
    review(client, a, studio.trainer_a, "approved")
    review(client, b, studio.trainer_a, "rejected")
    response = client.get(f"/api/meal-plans/{plan['id']}/adherence?from={day1}&to={day3}",
                          headers=studio.client_a1.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["from"] == day1 and body["to"] == day3 and body["targets"]["kcal"] == 2500
    assert body["planned"] == plan["totals"]
    first, second, third = body["days"]
    assert first["entries"] == {"pending": 0, "approved": 1, "rejected": 1, "total": 2}
    assert first["logged"] == {"kcal": 1250.3, "protein_g": 80.0, "carbs_g": 120.0, "fat_g": 40.0}
    assert first["percent_of_target"] == {"kcal": 50.0, "protein_g": 50.0, "carbs_g": 40.0, "fat_g": 57.1}
    assert second == {"date": day2, "entries": {"pending": 0, "approved": 0, "rejected": 0, "total": 0},
                      "logged": {"kcal": 0.0, "protein_g": 0.0, "carbs_g": 0.0, "fat_g": 0.0},
                      "percent_of_target": {"kcal": 0.0, "protein_g": 0.0, "carbs_g": 0.0, "fat_g": 0.0}}
    assert third["entries"]["pending"] == 1 and third["logged"]["kcal"] == 0.0


def test_adherence_defaults_from_plan_start_to_today(client: TestClient, studio: Studio,
                                                     plan: dict[str, Any]) -> None:
    body = client.get(f"/api/meal-plans/{plan['id']}/adherence", headers=studio.trainer_a.headers).json()
    assert body["from"] == plan["start_date"] and body["to"] <= (TODAY + dt.timedelta(days=1)).isoformat()
    assert len(body["days"]) >= 10


def test_adherence_without_targets_has_null_percentages(client: TestClient, studio: Studio) -> None:
    plan = make_plan(client, studio.trainer_a, studio.client_a1, targets=None)
    body = client.get(f"/api/meal-plans/{plan['id']}/adherence?from={YESTERDAY}&to={YESTERDAY}",
                      headers=studio.trainer_a.headers).json()
    assert body["days"][0]["percent_of_target"] == {"kcal": None, "protein_g": None, "carbs_g": None, "fat_g": None}


@pytest.mark.parametrize("query", ["from=2026-03-10&to=2026-03-09", "from=2024-01-01&to=2025-12-31",
                                   "from=yesterday", "step=1"])
def test_adherence_bad_range_is_422(client: TestClient, studio: Studio, plan: dict[str, Any], query: str) -> None:
    assert_error(client.get(f"/api/meal-plans/{plan['id']}/adherence?{query}", headers=studio.trainer_a.headers), 422)
