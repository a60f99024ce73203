"""Users: who may list, read, create, change and delete whom, and which fields each role may set."""
from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from elior import clock
from tests.helpers import Person, Studio, assert_error, run

CAST = ("admin", "trainer_a", "trainer_b", "client_a1", "client_a2", "client_b1")
CALLERS = ("admin", "trainer_a", "trainer_b", "client_a1", "client_a2", "anonymous")


def headers(studio: Studio, caller: str) -> dict[str, str]:
    return {} if caller == "anonymous" else getattr(studio, caller).headers


def visible(studio: Studio, caller: str, target: str) -> bool:
    """The contract: admins see all; anyone sees themself; a trainer sees their clients."""
    me: Person = getattr(studio, caller)
    other: Person = getattr(studio, target)
    return me.role == "admin" or me.id == other.id or other.trainer_id == me.id


def new_user(**body: Any) -> dict[str, Any]:
    return {"email": "made@example.test", "password": "a good password", "full_name": "Made", **body}


# --- the authorization matrix ---

@pytest.mark.parametrize("caller", CALLERS)
def test_get_user_matrix(client: TestClient, studio: Studio, caller: str) -> None:
    for target in CAST:
        response = client.get(f"/api/users/{getattr(studio, target).id}", headers=headers(studio, caller))
        if caller == "anonymous":
            assert_error(response, 401)
        elif visible(studio, caller, target):
            assert response.status_code == 200, (caller, target)
            assert response.json()["id"] == getattr(studio, target).id
        else:
            assert_error(response, 404)


@pytest.mark.parametrize("caller", CALLERS)
def test_put_user_name_matrix(client: TestClient, studio: Studio, caller: str) -> None:
    for target in CAST:
        response = client.put(f"/api/users/{getattr(studio, target).id}", headers=headers(studio, caller),
                              json={"full_name": f"Renamed by {caller}"})
        if caller == "anonymous":
            assert_error(response, 401)
        elif not visible(studio, caller, target):
            assert_error(response, 404)
        elif caller == "admin" or caller == target:
            assert response.json()["full_name"] == f"Renamed by {caller}", (caller, target)
        else:  # a trainer on their client: profile only
            assert_error(response, 403)


@pytest.mark.parametrize("caller", CALLERS)
def test_put_user_profile_matrix(client: TestClient, studio: Studio, caller: str) -> None:
    for target in CAST:
        response = client.put(f"/api/users/{getattr(studio, target).id}", headers=headers(studio, caller),
                              json={"profile": {"goals": f"set by {caller}"}})
        if caller == "anonymous":
            assert_error(response, 401)
        elif visible(studio, caller, target):
            assert response.json()["profile"]["goals"] == f"set by {caller}", (caller, target)
        else:
            assert_error(response, 404)


@pytest.mark.parametrize("caller", CALLERS[1:])
def test_delete_user_is_admins_only_whatever_the_id(client: TestClient, studio: Studio, caller: str) -> None:
    for target in CAST:
        response = client.delete(f"/api/users/{getattr(studio, target).id}", headers=headers(studio, caller))
        assert_error(response, 401 if caller == "anonymous" else 403)
    assert_error(client.delete("/api/users/999999", headers=headers(studio, caller)),
                 401 if caller == "anonymous" else 403)


@pytest.mark.parametrize("caller,expected", [
    ("admin", {"admin", "trainer_a", "trainer_b", "client_a1", "client_a2", "client_b1"}),
    ("trainer_a", {"client_a1", "client_a2"}), ("trainer_b", {"client_b1"}),
])
def test_list_users_shows_what_the_caller_may_see(client: TestClient, studio: Studio, caller: str,
                                                  expected: set[str]) -> None:
    body = client.get("/api/users", headers=headers(studio, caller)).json()
    ids = {getattr(studio, name).id: name for name in CAST}
    assert {ids[item["id"]] for item in body["items"]} == expected
    assert body["total"] == len(expected) and body["limit"] == 20 and body["offset"] == 0


@pytest.mark.parametrize("caller,status", [("client_a1", 403), ("client_a2", 403), ("anonymous", 401)])
def test_list_users_is_refused_to_clients_and_anonymous(client: TestClient, studio: Studio, caller: str,
                                                        status: int) -> None:
    assert_error(client.get("/api/users", headers=headers(studio, caller)), status)


@pytest.mark.parametrize("caller,status", [("admin", 201), ("trainer_a", 201), ("trainer_b", 201),
                                           ("client_a1", 403), ("client_a2", 403), ("anonymous", 401)])
def test_create_client_matrix(client: TestClient, studio: Studio, caller: str, status: int) -> None:
    response = client.post("/api/users", headers=headers(studio, caller), json=new_user(role="client"))
    assert response.status_code == status, response.text
    if caller.startswith("trainer"):
        assert response.json()["trainer_id"] == getattr(studio, caller).id


# --- lists ---

def test_list_users_filters_by_role_and_text(client: TestClient, studio: Studio) -> None:
    trainers = client.get("/api/users?role=trainer", headers=studio.admin.headers).json()
    assert {u["id"] for u in trainers["items"]} == {studio.trainer_a.id, studio.trainer_b.id}
    found = client.get("/api/users?q=Client%20A1", headers=studio.admin.headers).json()  # the name, any case
    assert [u["id"] for u in found["items"]] == [studio.client_a1.id]
    assert client.get("/api/users?q=%25", headers=studio.admin.headers).json()["total"] == 0  # % is literal


@pytest.mark.parametrize("q,expected", [("%", ["100% Sure"]), ("_", ["Under_Score"]), ("!", ["Bang! Bang"]),
                                        ("r_s", ["Under_Score"]), ("g! b", ["Bang! Bang"]), ("e!s", [])])
def test_list_users_search_takes_wildcards_and_the_escape_literally(client: TestClient, studio: Studio, q: str,
                                                                    expected: list[str]) -> None:
    for i, name in enumerate(("100% Sure", "Under_Score", "Bang! Bang", "UnderXScore")):  # X: what `_` would match
        response = client.post("/api/users", json=new_user(role="client", full_name=name, email=f"u{i}@example.test"),
                               headers=studio.admin.headers)
        assert response.status_code == 201, response.text
    found = client.get("/api/users", params={"q": q}, headers=studio.admin.headers).json()
    assert [user["full_name"] for user in found["items"]] == expected


def test_list_users_pages_and_counts(client: TestClient, studio: Studio) -> None:
    body = client.get("/api/users?limit=2&offset=1", headers=studio.admin.headers).json()
    assert len(body["items"]) == 2 and body["total"] == 6 and body["limit"] == 2 and body["offset"] == 1
    assert_error(client.get("/api/users?limit=101", headers=studio.admin.headers), 422)
    assert_error(client.get("/api/users?role=boss", headers=studio.admin.headers), 422)
    assert_error(client.get("/api/users?sort=id", headers=studio.admin.headers), 422)


def test_list_users_costs_a_constant_number_of_queries(client: TestClient, studio: Studio) -> None:
    stats = client.app.state.db.stats  # type: ignore[attr-defined]
    client.get("/api/users", headers=studio.admin.headers)
    before = stats.count
    client.get("/api/users?limit=100", headers=studio.admin.headers)
    few = stats.count - before
    for number in range(5):
        client.post("/api/users", headers=studio.admin.headers, json=new_user(email=f"u{number}@example.test",
                                                                                role="client"))
    # Warm the login's session cache again (5 s TTL): a slow run must not count its re-read against the list.
    client.get("/api/users?limit=1", headers=studio.admin.headers)
    before = stats.count
    client.get("/api/users?limit=100", headers=studio.admin.headers)
    assert stats.count - before == few


# --- mass assignment ---

@pytest.mark.parametrize("caller", ["client_a1", "trainer_a"])
@pytest.mark.parametrize("field,value", [("role", "admin"), ("trainer_id", "trainer_b"), ("is_active", False),
                                         ("email", "me@example.test"), ("password", "a new password")])
def test_non_admin_cannot_set_privileged_fields_on_themself(client: TestClient, studio: Studio, caller: str,
                                                           field: str, value: Any) -> None:
    me: Person = getattr(studio, caller)
    if value == "trainer_b":
        value = studio.trainer_b.id
    before = client.get(f"/api/users/{me.id}", headers=me.headers).json()
    assert_error(client.put(f"/api/users/{me.id}", headers=me.headers, json={field: value, "full_name": "X"}), 403)
    assert client.get(f"/api/users/{me.id}", headers=me.headers).json() == before


@pytest.mark.parametrize("field,value", [("role", "trainer"), ("trainer_id", None), ("is_active", False),
                                         ("full_name", "Renamed"), ("email", "moved@example.test")])
def test_trainer_cannot_set_more_than_the_profile_of_a_client(client: TestClient, studio: Studio, field: str,
                                                              value: Any) -> None:
    target = studio.client_a1
    before = client.get(f"/api/users/{target.id}", headers=studio.admin.headers).json()
    assert_error(client.put(f"/api/users/{target.id}", headers=studio.trainer_a.headers, json={field: value}), 403)
    assert client.get(f"/api/users/{target.id}", headers=studio.admin.headers).json() == before


@pytest.mark.parametrize("caller", ["admin", "trainer_a", "client_a1"])
def test_unknown_fields_such_as_id_are_a_422(client: TestClient, studio: Studio, caller: str) -> None:
    me: Person = getattr(studio, caller)
    assert_error(client.put(f"/api/users/{me.id}", headers=me.headers, json={"id": 1}), 422)
    assert_error(client.put(f"/api/users/{me.id}", headers=me.headers, json={"password_hash": "x"}), 422)
    assert_error(client.put(f"/api/users/{me.id}", headers=me.headers, json={"created_at": "2020-01-01"}), 422)


@pytest.mark.parametrize("body", [
    {"role": "trainer"}, {"role": "admin"}, {"role": "client", "trainer_id": "trainer_b"},
    {"role": "client", "is_active": False},
])
def test_trainer_cannot_create_anything_but_their_own_active_clients(client: TestClient, studio: Studio,
                                                                     body: dict[str, Any]) -> None:
    if body.get("trainer_id") == "trainer_b":
        body = {**body, "trainer_id": studio.trainer_b.id}
    assert_error(client.post("/api/users", headers=studio.trainer_a.headers, json=new_user(**body)), 403)
    assert_error(client.post("/api/users", headers=studio.trainer_a.headers, json=new_user(role="client", id=7)), 422)


def test_validation_comes_before_the_rights_check(client: TestClient, studio: Studio) -> None:
    assert_error(client.put(f"/api/users/{studio.client_a1.id}", headers=studio.client_a1.headers,
                            json={"role": "admin", "unknown": 1}), 422)
    assert_error(client.put(f"/api/users/{studio.admin.id}", headers=studio.client_a1.headers,
                            json={"role": "superuser"}), 422)


def test_admin_cannot_demote_or_deactivate_themself(client: TestClient, studio: Studio) -> None:
    me = studio.admin
    assert_error(client.put(f"/api/users/{me.id}", headers=me.headers, json={"role": "client"}), 403)
    assert_error(client.put(f"/api/users/{me.id}", headers=me.headers, json={"is_active": False}), 403)
    assert_error(client.delete(f"/api/users/{me.id}", headers=me.headers), 403)


# --- what admins may do ---

def test_admin_moves_a_client_to_another_trainer(client: TestClient, studio: Studio) -> None:
    target = studio.client_a1.id
    response = client.put(f"/api/users/{target}", headers=studio.admin.headers,
                          json={"trainer_id": studio.trainer_b.id})
    assert response.json()["trainer_id"] == studio.trainer_b.id
    assert_error(client.get(f"/api/users/{target}", headers=studio.trainer_a.headers), 404)
    assert client.get(f"/api/users/{target}", headers=studio.trainer_b.headers).status_code == 200


def test_admin_trainer_id_must_name_a_trainer(client: TestClient, studio: Studio) -> None:
    for bad in (studio.client_a2.id, studio.admin.id, 999999):
        body = assert_error(client.put(f"/api/users/{studio.client_a1.id}", headers=studio.admin.headers,
                                       json={"trainer_id": bad}), 422)
        assert body["detail"][0]["loc"] == ["body", "trainer_id"]
    assert_error(client.post("/api/users", headers=studio.admin.headers,
                             json=new_user(role="trainer", trainer_id=studio.trainer_a.id)), 422)


def test_admin_cannot_demote_a_trainer_who_has_clients(client: TestClient, studio: Studio) -> None:
    assert_error(client.put(f"/api/users/{studio.trainer_a.id}", headers=studio.admin.headers,
                            json={"role": "client"}), 409)


def test_role_change_takes_effect_on_existing_tokens_at_once(client: TestClient, studio: Studio) -> None:
    assert_error(client.get("/api/users", headers=studio.client_b1.headers), 403)
    client.put(f"/api/users/{studio.client_b1.id}", headers=studio.admin.headers, json={"role": "trainer"})
    assert client.get("/api/users", headers=studio.client_b1.headers).status_code == 200


def test_deactivation_ends_the_users_logins_at_once(client: TestClient, studio: Studio) -> None:
    tokens = client.post("/api/auth/login", json={"email": studio.client_a1.email,
                                                  "password": studio.client_a1.password}).json()
    assert client.get("/api/auth/me", headers=studio.client_a1.headers).status_code == 200
    response = client.put(f"/api/users/{studio.client_a1.id}", headers=studio.admin.headers,
                          json={"is_active": False})
    assert response.json()["is_active"] is False
    assert_error(client.get("/api/auth/me", headers=studio.client_a1.headers), 401)
    assert_error(client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]}), 401)
    client.put(f"/api/users/{studio.client_a1.id}", headers=studio.admin.headers, json={"is_active": True})
    assert_error(client.get("/api/auth/me", headers=studio.client_a1.headers), 401)  # stays ended


def test_admin_password_reset_ends_the_users_logins(client: TestClient, studio: Studio) -> None:
    client.put(f"/api/users/{studio.client_a1.id}", headers=studio.admin.headers,
               json={"password": "set by the admin"})
    assert_error(client.get("/api/auth/me", headers=studio.client_a1.headers), 401)
    assert client.post("/api/auth/login", json={"email": studio.client_a1.email,
                                                "password": "set by the admin"}).status_code == 200


def test_admin_email_change_to_a_taken_email_is_a_409(client: TestClient, studio: Studio) -> None:
    assert_error(client.put(f"/api/users/{studio.client_a1.id}", headers=studio.admin.headers,
                            json={"email": studio.client_a2.email}), 409)


def test_create_user_with_a_taken_email_is_a_409(client: TestClient, studio: Studio) -> None:
    assert_error(client.post("/api/users", headers=studio.admin.headers,
                             json=new_user(email=studio.trainer_b.email, role="client")), 409)


def test_created_user_has_the_contracts_shape_and_profile(client: TestClient, studio: Studio) -> None:
    response = client.post("/api/users", headers=studio.trainer_a.headers, json=new_user(
        role="client", profile={"phone": "+45 1234", "date_of_birth": "1990-05-01", "height_cm": 172.5,
                                "goals": "deadlift 100 kg", "medical_notes": None}))
    assert response.status_code == 201
    user = response.json()
    assert set(user) == {"id", "email", "full_name", "role", "trainer_id", "is_active", "created_at", "updated_at",
                         "profile", "units_weight", "units_length", "language"}
    assert user["profile"] == {"phone": "+45 1234", "date_of_birth": "1990-05-01", "height_cm": 172.5,
                               "goals": "deadlift 100 kg", "medical_notes": None}
    assert user["created_at"] == user["updated_at"] and user["created_at"].endswith("Z")
    assert user["is_active"] is True


def test_profile_update_changes_only_the_named_fields(client: TestClient, studio: Studio) -> None:
    url = f"/api/users/{studio.client_a1.id}"
    client.put(url, headers=studio.client_a1.headers, json={"profile": {"goals": "run", "height_cm": 180}})
    body = client.put(url, headers=studio.trainer_a.headers, json={"profile": {"medical_notes": "knee"}}).json()
    assert body["profile"]["goals"] == "run" and body["profile"]["height_cm"] == 180
    assert body["profile"]["medical_notes"] == "knee"


def test_profile_values_out_of_range_are_a_422(client: TestClient, studio: Studio) -> None:
    url = f"/api/users/{studio.client_a1.id}"
    for profile in ({"height_cm": 20}, {"date_of_birth": "2999-01-01"}, {"date_of_birth": "1990-02-30"}):
        assert_error(client.put(url, headers=studio.client_a1.headers, json={"profile": profile}), 422)


# --- delete ---

def test_delete_user_removes_their_rows_and_files(client: TestClient, studio: Studio) -> None:
    app = client.app
    db, settings = app.state.db, app.state.settings  # type: ignore[attr-defined]
    settings.upload_dir.mkdir(parents=True, exist_ok=True)
    name = "a" * 32 + ".pdf"
    (settings.upload_dir / name).write_bytes(b"%PDF-1.4")
    run(client, db.execute, "tests.insert_file", filename=name, owner_id=studio.client_a1.id,
        client_id=studio.client_a1.id, size=8, now=clock.now())
    assert client.delete(f"/api/users/{studio.client_a1.id}", headers=studio.admin.headers).status_code == 204
    assert not (settings.upload_dir / name).exists()
    assert run(client, db.fetch_all, "files.names_of_user", user_id=studio.client_a1.id) == []
    assert run(client, db.fetch_val, "tests.count_logins", user_id=studio.client_a1.id) == 0
    assert_error(client.get(f"/api/users/{studio.client_a1.id}", headers=studio.admin.headers), 404)
    assert_error(client.get("/api/auth/me", headers=studio.client_a1.headers), 401)
    assert_error(client.delete(f"/api/users/{studio.client_a1.id}", headers=studio.admin.headers), 404)


def test_deleting_a_trainer_leaves_their_clients_unassigned(client: TestClient, studio: Studio) -> None:
    assert client.delete(f"/api/users/{studio.trainer_b.id}", headers=studio.admin.headers).status_code == 204
    assert client.get(f"/api/users/{studio.client_b1.id}", headers=studio.admin.headers).json()["trainer_id"] is None
