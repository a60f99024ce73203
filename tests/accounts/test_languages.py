"""Languages on the server (issue 17): the studio's language (`GET /api/studio` public, `PUT /api/studio` admins) and
a user's own `language` (null: the studio's), who may set which, and that bad values change nothing."""
from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.helpers import Studio, assert_error


def test_the_studio_speaks_english_until_the_owner_says_otherwise(client: TestClient, studio: Studio) -> None:
    assert client.get("/api/studio").json() == {"language": "en"}  # public: asked before anyone signs in
    answer = client.put("/api/studio", headers=studio.admin.headers, json={"language": "he"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"language": "he"}
    assert client.get("/api/studio").json() == {"language": "he"}


@pytest.mark.parametrize("caller", ["trainer_a", "client_a1"])
def test_only_admins_set_the_studio_language(client: TestClient, studio: Studio, caller: str) -> None:
    assert_error(client.put("/api/studio", headers=getattr(studio, caller).headers, json={"language": "he"}), 403)
    assert_error(client.put("/api/studio", json={"language": "he"}), 401)
    assert client.get("/api/studio").json() == {"language": "en"}


@pytest.mark.parametrize("body", [{"language": "fr"}, {"language": None}, {}, {"language": "en", "extra": 1}])
def test_a_bad_studio_language_is_422_and_changes_nothing(client: TestClient, studio: Studio,
                                                          body: dict[str, object]) -> None:
    assert_error(client.put("/api/studio", headers=studio.admin.headers, json=body), 422)
    assert client.get("/api/studio").json() == {"language": "en"}


def test_a_user_chooses_a_language_and_can_go_back_to_the_studios(client: TestClient, studio: Studio) -> None:
    me = studio.client_a1
    assert client.get("/api/auth/me", headers=me.headers).json()["language"] is None
    chosen = client.put(f"/api/users/{me.id}", headers=me.headers, json={"language": "he"})
    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["language"] == "he"
    assert client.get("/api/auth/me", headers=me.headers).json()["language"] == "he"
    cleared = client.put(f"/api/users/{me.id}", headers=me.headers, json={"language": None})
    assert cleared.json()["language"] is None


def test_a_bad_user_language_is_422_and_changes_nothing(client: TestClient, studio: Studio) -> None:
    me = studio.client_a1
    client.put(f"/api/users/{me.id}", headers=me.headers, json={"language": "he"})
    for bad in ("fr", "HE", "", 7):
        assert_error(client.put(f"/api/users/{me.id}", headers=me.headers, json={"language": bad}), 422)
    assert client.get("/api/auth/me", headers=me.headers).json()["language"] == "he"


def test_an_admin_sets_anyones_language_a_trainer_not_their_clients(client: TestClient, studio: Studio) -> None:
    target = studio.client_a1
    assert_error(client.put(f"/api/users/{target.id}", headers=studio.trainer_a.headers,
                            json={"language": "he"}), 403)
    assert client.get("/api/auth/me", headers=target.headers).json()["language"] is None
    by_admin = client.put(f"/api/users/{target.id}", headers=studio.admin.headers, json={"language": "he"})
    assert by_admin.status_code == 200, by_admin.text
    assert client.get("/api/auth/me", headers=target.headers).json()["language"] == "he"
