"""Invites: who may make, see and withdraw them, and what they decide at registration."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.helpers import Studio, assert_error

CALLERS = ("admin", "trainer_a", "trainer_b", "client_a1", "client_a2", "anonymous")


def headers(studio: Studio, caller: str) -> dict[str, str]:
    return {} if caller == "anonymous" else getattr(studio, caller).headers


def make(client: TestClient, studio: Studio, caller: str, **body: Any) -> Any:
    return client.post("/api/invites", headers=headers(studio, caller), json={"role": "client", **body})


@pytest.mark.parametrize("caller,status", [("admin", 201), ("trainer_a", 201), ("trainer_b", 201),
                                           ("client_a1", 403), ("client_a2", 403), ("anonymous", 401)])
def test_create_client_invite_matrix(client: TestClient, studio: Studio, caller: str, status: int) -> None:
    response = make(client, studio, caller)
    assert response.status_code == status, response.text
    if status == 201:
        invite = response.json()
        assert {"code", "role", "expires_at"} <= set(invite) and invite["role"] == "client"
        assert len(invite["code"]) >= 20
        expected_trainer = getattr(studio, caller).id if caller.startswith("trainer") else None
        assert invite["trainer_id"] == expected_trainer


def test_trainer_cannot_invite_a_trainer(client: TestClient, studio: Studio) -> None:
    assert_error(make(client, studio, "trainer_a", role="trainer"), 403)


def test_trainer_cannot_invite_clients_for_another_trainer(client: TestClient, studio: Studio) -> None:
    assert_error(make(client, studio, "trainer_a", trainer_id=studio.trainer_b.id), 403)


def test_invite_refuses_the_admin_role_and_unknown_fields(client: TestClient, studio: Studio) -> None:
    assert_error(make(client, studio, "admin", role="admin"), 422)
    assert_error(make(client, studio, "admin", created_by=studio.trainer_a.id), 422)


def test_admin_invites_a_client_for_a_trainer(client: TestClient, studio: Studio) -> None:
    code = make(client, studio, "admin", trainer_id=studio.trainer_b.id).json()["code"]
    user = client.post("/api/auth/register", json={"email": "b2@example.test", "password": "a good password",
                                                   "full_name": "B2", "invite_code": code}).json()
    assert user["trainer_id"] == studio.trainer_b.id


def test_admin_invite_trainer_id_must_name_a_trainer(client: TestClient, studio: Studio) -> None:
    assert_error(make(client, studio, "admin", trainer_id=studio.client_a1.id), 422)
    assert_error(make(client, studio, "admin", role="trainer", trainer_id=studio.trainer_a.id), 422)


def test_list_invites_shows_a_trainer_only_their_own(client: TestClient, studio: Studio) -> None:
    mine = make(client, studio, "trainer_a").json()["code"]
    theirs = make(client, studio, "trainer_b").json()["code"]
    listed = client.get("/api/invites", headers=studio.trainer_a.headers).json()
    assert [i["code"] for i in listed["items"]] == [mine] and listed["total"] == 1
    everything = client.get("/api/invites", headers=studio.admin.headers).json()
    assert {i["code"] for i in everything["items"]} == {mine, theirs}


@pytest.mark.parametrize("caller,status", [("client_a1", 403), ("anonymous", 401)])
def test_list_invites_is_refused_to_clients_and_anonymous(client: TestClient, studio: Studio, caller: str,
                                                          status: int) -> None:
    assert_error(client.get("/api/invites", headers=headers(studio, caller)), status)


def test_delete_invite_by_its_maker_withdraws_it(client: TestClient, studio: Studio) -> None:
    code = make(client, studio, "trainer_a").json()["code"]
    assert client.delete(f"/api/invites/{code}", headers=studio.trainer_a.headers).status_code == 204
    assert_error(client.post("/api/auth/register", json={"email": "x@example.test", "password": "a good password",
                                                         "full_name": "X", "invite_code": code}), 404)


@pytest.mark.parametrize("caller,status", [("trainer_b", 404), ("client_a1", 403), ("anonymous", 401),
                                           ("admin", 204)])
def test_delete_someone_elses_invite(client: TestClient, studio: Studio, caller: str, status: int) -> None:
    code = make(client, studio, "trainer_a").json()["code"]
    response = client.delete(f"/api/invites/{code}", headers=headers(studio, caller))
    assert response.status_code == status, response.text
    still_there = [i["code"] for i in client.get("/api/invites", headers=studio.trainer_a.headers).json()["items"]]
    assert (code in still_there) == (status != 204)


def test_delete_unknown_invite_is_a_404(client: TestClient, studio: Studio) -> None:
    assert_error(client.delete("/api/invites/nope", headers=studio.admin.headers), 404)


def test_invite_expires_after_the_configured_days(client: TestClient, studio: Studio) -> None:
    invite = make(client, studio, "admin").json()
    created = datetime.fromisoformat(invite["created_at"].replace("Z", "+00:00"))
    expires = datetime.fromisoformat(invite["expires_at"].replace("Z", "+00:00"))
    assert expires - created == timedelta(days=7)
