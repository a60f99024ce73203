"""Units (issue 17): a user's kg/lb and cm/in, set on their own profile; storage stays metric; the CSV export speaks
the caller's units, and pounds typed in come back as the same pounds and the same stored kilograms."""
from __future__ import annotations

import csv
import io

import pytest
from starlette.testclient import TestClient

from elior.accounts import units
from tests.helpers import Studio, assert_error


def test_units_default_to_metric_and_show_on_me(client: TestClient, studio: Studio) -> None:
    me = client.get("/api/auth/me", headers=studio.client_a1.headers).json()
    assert (me["units_weight"], me["units_length"]) == ("kg", "cm")


def test_a_user_sets_their_own_units(client: TestClient, studio: Studio) -> None:
    person = studio.client_a1
    answer = client.put(f"/api/users/{person.id}", headers=person.headers,
                        json={"units_weight": "lb", "units_length": "in"})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["units_weight"], answer.json()["units_length"]) == ("lb", "in")
    me = client.get("/api/auth/me", headers=person.headers).json()
    assert (me["units_weight"], me["units_length"]) == ("lb", "in")
    # One at a time: the other stays.
    client.put(f"/api/users/{person.id}", headers=person.headers, json={"units_length": "cm"})
    me = client.get("/api/auth/me", headers=person.headers).json()
    assert (me["units_weight"], me["units_length"]) == ("lb", "cm")


def test_a_trainer_may_not_set_a_clients_units_but_an_admin_may(client: TestClient, studio: Studio) -> None:
    target = studio.client_a1.id
    assert_error(client.put(f"/api/users/{target}", headers=studio.trainer_a.headers, json={"units_weight": "lb"}),
                 403)
    assert client.get(f"/api/users/{target}", headers=studio.admin.headers).json()["units_weight"] == "kg"
    answer = client.put(f"/api/users/{target}", headers=studio.admin.headers, json={"units_weight": "lb"})
    assert answer.status_code == 200 and answer.json()["units_weight"] == "lb"


@pytest.mark.parametrize("body", [{"units_weight": "stone"}, {"units_length": "ft"}, {"units_weight": None},
                                  {"units_weight": 1}])
def test_unknown_units_are_422_and_nothing_changes(client: TestClient, studio: Studio, body: dict) -> None:
    person = studio.client_a1
    assert_error(client.put(f"/api/users/{person.id}", headers=person.headers, json=body), 422)
    me = client.get("/api/auth/me", headers=person.headers).json()
    assert (me["units_weight"], me["units_length"]) == ("kg", "cm")


@pytest.mark.parametrize("pounds", [88.0, 150.5, 176.0, 176.3, 221.7, 300.1, 881.8])
def test_pounds_in_and_out_round_trip_to_the_same_kilograms(pounds: float) -> None:
    kg = units.weight_to_kg(pounds, "lb")
    shown = units.weight_from_kg(kg, "lb", 1)
    assert shown == pounds
    assert units.weight_to_kg(shown, "lb") == kg


def test_every_tenth_of_a_pound_round_trips() -> None:
    for tenths in range(20 * 10, 900 * 10):
        pounds = tenths / 10
        kg = units.weight_to_kg(pounds, "lb")
        assert units.weight_from_kg(kg, "lb", 1) == pounds, pounds
    for tenths in range(10, 120 * 10):
        inches = tenths / 10
        assert units.length_from_cm(units.length_to_cm(inches, "in"), "in", 1) == inches, inches


def test_pounds_through_the_api_store_kilograms(client: TestClient, studio: Studio) -> None:
    """What the browser app does for a user in pounds: converts at the edge, the API sees kilograms."""
    person = studio.client_a1
    typed = 176.3
    answer = client.post("/api/progress", headers=person.headers,
                         json={"date": "2026-01-05", "weight_kg": units.weight_to_kg(typed, "lb"),
                               "measurements": {"waist_cm": units.length_to_cm(33.5, "in")}})
    assert answer.status_code == 201, answer.text
    stored = answer.json()
    assert stored["weight_kg"] == pytest.approx(79.968, abs=1e-9)
    assert units.weight_from_kg(stored["weight_kg"], "lb", 1) == typed
    assert units.length_from_cm(stored["measurements"]["waist_cm"], "in", 1) == 33.5


def _export(client: TestClient, person, client_id: int) -> list[dict[str, str]]:
    answer = client.get(f"/api/progress/export.csv?client_id={client_id}", headers=person.headers)
    assert answer.status_code == 200, answer.text
    return list(csv.DictReader(io.StringIO(answer.text)))


def test_csv_export_in_the_callers_units(client: TestClient, studio: Studio) -> None:
    person, trainer = studio.client_a1, studio.trainer_a
    client.post("/api/progress", headers=person.headers,
                json={"date": "2026-01-05", "weight_kg": 80, "measurements": {"waist_cm": 81.28}})
    metric = _export(client, person, person.id)
    assert metric[0]["weight_kg"] == "80" and metric[0]["waist_cm"] == "81.28"
    client.put(f"/api/users/{person.id}", headers=person.headers, json={"units_weight": "lb", "units_length": "in"})
    rows = _export(client, person, person.id)
    assert "weight_kg" not in rows[0] and "waist_cm" not in rows[0]
    assert rows[0]["weight_lb"] == "176.37" and rows[0]["waist_in"] == "32"
    assert rows[0]["body_fat_pct"] == ""
    # The trainer, still metric, exports the same entries in kilograms: the caller's units, not the client's.
    assert _export(client, trainer, person.id)[0]["weight_kg"] == "80"
