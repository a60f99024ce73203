"""The in-process TTL cache (elior/ops/cache.py) and the reads it fronts: the exercise library and users.

A cached read costs no database statement; every write through the API that changes a cached answer clears it, so a
read right after the write (in the same process) sees the change at once.
"""
from __future__ import annotations

from typing import Any, Callable
from unittest import mock

from starlette.testclient import TestClient

from elior.ops import cache as cache_module
from elior.ops.cache import TTLCache
from tests.conftest import Studio
from tests.helpers import Person
from tests.training_world import make_exercise

PASSWORD = "a good password"


def statements(client: TestClient, read: Callable[[], Any]) -> int:
    """How many SQL statements `read()` sent."""
    stats = client.app.state.db.stats  # type: ignore[attr-defined]
    before = stats.count
    read()
    return int(stats.count - before)


def get_ok(client: TestClient, path: str, who: Person) -> Any:
    response = client.get(path, headers=who.headers)
    assert response.status_code == 200, response.text
    return response.json()


# --- the cache itself ---

def test_ttl_cache_entry_expires_after_its_ttl() -> None:
    cache: TTLCache[str] = TTLCache(ttl=5.0)
    with mock.patch.object(cache_module.time, "monotonic", return_value=100.0):
        cache.set("key", "value")
    with mock.patch.object(cache_module.time, "monotonic", return_value=104.9):
        assert cache.get("key") == "value"
    with mock.patch.object(cache_module.time, "monotonic", return_value=105.0):
        assert cache.get("key") is None
    assert (cache.hits, cache.misses, len(cache)) == (1, 1, 0)


def test_ttl_cache_drops_the_oldest_entry_past_max_size() -> None:
    cache: TTLCache[int] = TTLCache(ttl=60.0, max_size=2)
    for number in range(3):
        cache.set(number, number)
    assert cache.get(0) is None and cache.get(1) == 1 and cache.get(2) == 2


def test_ttl_cache_does_not_store_a_value_read_before_a_clear() -> None:
    cache: TTLCache[str] = TTLCache(ttl=60.0)
    generation = cache.generation
    cache.clear()  # a write lands while the reader awaits the database
    cache.set_unless_cleared("key", "stale", generation)
    assert cache.get("key") is None


# --- exercises ---

def test_exercise_list_cached_read_sends_no_statement(client: TestClient, studio: Studio) -> None:
    make_exercise(client, studio.trainer_a, "Deadlift")
    first = get_ok(client, "/api/exercises?limit=20", studio.trainer_a)
    get_ok(client, "/api/auth/me", studio.client_b1)  # the reader's own login check, cached apart
    assert statements(client, lambda: get_ok(client, "/api/exercises?limit=20", studio.client_b1)) == 0
    assert get_ok(client, "/api/exercises?limit=20", studio.client_b1) == first


def test_exercise_get_cached_read_sends_no_statement(client: TestClient, studio: Studio) -> None:
    made = make_exercise(client, studio.trainer_a, "Deadlift")
    get_ok(client, f"/api/exercises/{made['id']}", studio.trainer_a)
    get_ok(client, "/api/auth/me", studio.client_a1)  # the reader's own login check, cached apart
    assert statements(client, lambda: get_ok(client, f"/api/exercises/{made['id']}", studio.client_a1)) == 0
    assert get_ok(client, f"/api/exercises/{made['id']}", studio.client_a1) == made


def test_exercise_create_invalidates_the_cached_list(client: TestClient, studio: Studio) -> None:
    assert get_ok(client, "/api/exercises", studio.client_a1)["total"] == 0
    make_exercise(client, studio.trainer_a, "Deadlift")
    assert [e["name"] for e in get_ok(client, "/api/exercises", studio.client_a1)["items"]] == ["Deadlift"]


def test_exercise_update_invalidates_the_cached_list_and_item(client: TestClient, studio: Studio) -> None:
    made = make_exercise(client, studio.trainer_a, "Deadlift")
    get_ok(client, "/api/exercises", studio.client_a1)
    get_ok(client, f"/api/exercises/{made['id']}", studio.client_a1)
    response = client.put(f"/api/exercises/{made['id']}", json={"name": "Romanian deadlift"},
                          headers=studio.trainer_a.headers)
    assert response.status_code == 200, response.text
    assert get_ok(client, "/api/exercises", studio.client_a1)["items"][0]["name"] == "Romanian deadlift"
    assert get_ok(client, f"/api/exercises/{made['id']}", studio.client_a1)["name"] == "Romanian deadlift"


def test_exercise_delete_invalidates_the_cached_list_and_item(client: TestClient, studio: Studio) -> None:
    made = make_exercise(client, studio.trainer_a, "Deadlift")
    get_ok(client, "/api/exercises", studio.client_a1)
    get_ok(client, f"/api/exercises/{made['id']}", studio.client_a1)
    response = client.delete(f"/api/exercises/{made['id']}", headers=studio.trainer_a.headers)
    assert response.status_code == 204, response.text
    assert get_ok(client, "/api/exercises", studio.client_a1)["total"] == 0
    assert client.get(f"/api/exercises/{made['id']}", headers=studio.client_a1.headers).status_code == 404


def test_exercise_cache_hits_show_in_metrics(client: TestClient, studio: Studio) -> None:
    make_exercise(client, studio.trainer_a, "Deadlift")
    for _ in range(3):
        get_ok(client, "/api/exercises", studio.client_a1)
    figures = get_ok(client, "/api/system/metrics", studio.admin)["caches"]["exercises"]
    assert figures["hits"] >= 2 and figures["misses"] >= 1


# --- users ---

def test_user_get_cached_read_sends_no_statement(client: TestClient, studio: Studio) -> None:
    path = f"/api/users/{studio.client_a1.id}"
    first = get_ok(client, path, studio.trainer_a)
    assert statements(client, lambda: get_ok(client, path, studio.trainer_a)) == 0
    assert get_ok(client, path, studio.trainer_a) == first


def test_user_list_cached_read_sends_no_statement(client: TestClient, studio: Studio) -> None:
    first = get_ok(client, "/api/users?limit=20", studio.trainer_a)
    assert statements(client, lambda: get_ok(client, "/api/users?limit=20", studio.trainer_a)) == 0
    assert get_ok(client, "/api/users?limit=20", studio.trainer_a) == first


def test_user_cache_is_per_caller(client: TestClient, studio: Studio) -> None:
    get_ok(client, f"/api/users/{studio.client_a1.id}", studio.trainer_a)
    response = client.get(f"/api/users/{studio.client_a1.id}", headers=studio.trainer_b.headers)
    assert response.status_code == 404  # trainer_b does not see trainer_a's client, cached or not
    assert {u["id"] for u in get_ok(client, "/api/users", studio.trainer_b)["items"]} == {studio.client_b1.id}


def test_user_create_invalidates_the_cached_list(client: TestClient, studio: Studio) -> None:
    before = get_ok(client, "/api/users", studio.trainer_a)["total"]
    response = client.post("/api/users", headers=studio.trainer_a.headers, json={
        "email": "new@example.test", "password": PASSWORD, "full_name": "New", "role": "client"})
    assert response.status_code == 201, response.text
    assert get_ok(client, "/api/users", studio.trainer_a)["total"] == before + 1


def test_user_register_with_invite_invalidates_the_trainers_cached_list(client: TestClient, studio: Studio) -> None:
    before = get_ok(client, "/api/users", studio.trainer_a)["total"]
    invite = client.post("/api/invites", json={"role": "client"}, headers=studio.trainer_a.headers)
    assert invite.status_code == 201, invite.text
    response = client.post("/api/auth/register", json={"email": "joined@example.test", "password": PASSWORD,
                                                       "full_name": "Joined", "invite_code": invite.json()["code"]})
    assert response.status_code == 201, response.text
    assert get_ok(client, "/api/users", studio.trainer_a)["total"] == before + 1


def test_user_update_invalidates_the_cached_user_and_list(client: TestClient, studio: Studio) -> None:
    path = f"/api/users/{studio.client_a1.id}"
    get_ok(client, path, studio.trainer_a)
    get_ok(client, "/api/users", studio.trainer_a)
    response = client.put(path, json={"profile": {"goals": "run 10 km"}}, headers=studio.trainer_a.headers)
    assert response.status_code == 200, response.text
    assert get_ok(client, path, studio.trainer_a)["profile"]["goals"] == "run 10 km"
    listed = {u["id"]: u for u in get_ok(client, "/api/users", studio.trainer_a)["items"]}
    assert listed[studio.client_a1.id]["profile"]["goals"] == "run 10 km"


def test_user_deactivate_invalidates_the_cached_user(client: TestClient, studio: Studio) -> None:
    path = f"/api/users/{studio.client_a1.id}"
    assert get_ok(client, path, studio.admin)["is_active"] is True
    response = client.put(path, json={"is_active": False}, headers=studio.admin.headers)
    assert response.status_code == 200, response.text
    assert get_ok(client, path, studio.admin)["is_active"] is False


def test_user_reassignment_invalidates_both_trainers_cached_views(client: TestClient, studio: Studio) -> None:
    path = f"/api/users/{studio.client_a1.id}"
    get_ok(client, path, studio.trainer_a)
    assert client.get(path, headers=studio.trainer_b.headers).status_code == 404
    get_ok(client, "/api/users", studio.trainer_a)
    get_ok(client, "/api/users", studio.trainer_b)
    response = client.put(path, json={"trainer_id": studio.trainer_b.id}, headers=studio.admin.headers)
    assert response.status_code == 200, response.text
    assert client.get(path, headers=studio.trainer_a.headers).status_code == 404
    assert get_ok(client, path, studio.trainer_b)["trainer_id"] == studio.trainer_b.id
    assert studio.client_a1.id not in {u["id"] for u in get_ok(client, "/api/users", studio.trainer_a)["items"]}
    assert studio.client_a1.id in {u["id"] for u in get_ok(client, "/api/users", studio.trainer_b)["items"]}


def test_user_delete_invalidates_the_cached_user_and_list(client: TestClient, studio: Studio) -> None:
    path = f"/api/users/{studio.client_a1.id}"
    get_ok(client, path, studio.admin)
    get_ok(client, "/api/users", studio.admin)
    assert client.delete(path, headers=studio.admin.headers).status_code == 204
    assert client.get(path, headers=studio.admin.headers).status_code == 404
    assert studio.client_a1.id not in {u["id"] for u in get_ok(client, "/api/users?limit=100", studio.admin)["items"]}


def test_user_password_change_invalidates_the_cached_user(client: TestClient, studio: Studio) -> None:
    path = f"/api/users/{studio.client_a1.id}"
    get_ok(client, path, studio.trainer_a)
    by_name = client.app.state.db.stats.by_name  # type: ignore[attr-defined]
    response = client.post("/api/auth/password", headers=studio.client_a1.headers,
                           json={"current_password": studio.client_a1.password, "new_password": "another password"})
    assert response.status_code == 204, response.text
    # updated_at has one-second resolution, so the proof is that the next read of the user goes to the database.
    reads = by_name.get("accounts.users.get", 0)
    get_ok(client, path, studio.trainer_a)
    assert by_name.get("accounts.users.get", 0) == reads + 1


def test_user_cache_hits_show_in_metrics(client: TestClient, studio: Studio) -> None:
    for _ in range(3):
        get_ok(client, f"/api/users/{studio.client_a1.id}", studio.trainer_a)
    figures = get_ok(client, "/api/system/metrics", studio.admin)["caches"]["users"]
    assert figures["hits"] >= 2 and figures["misses"] >= 1
