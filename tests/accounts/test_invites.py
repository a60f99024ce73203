"""Invites: who may make, see and withdraw them, and what they decide at registration."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior import clock
from tests.helpers import Studio, assert_error, make_person, run

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


# --- an invite is only as good as its maker's standing (issue 14) ---

def register(client: TestClient, code: str, email: str = "claimer@example.test") -> Any:
    return client.post("/api/auth/register", json={"email": email, "password": "a good password",
                                                   "full_name": "Claimer", "invite_code": code})


def clients_of(client: TestClient, studio: Studio, trainer_id: int) -> list[dict[str, Any]]:
    users = client.get("/api/users?limit=100", headers=studio.admin.headers).json()["items"]
    return [user for user in users if user["trainer_id"] == trainer_id]


def nobody_has(client: TestClient, studio: Studio, email: str) -> bool:
    found = client.get(f"/api/users?q={email}", headers=studio.admin.headers).json()
    return found["total"] == 0  # type: ignore[no-any-return]


def test_the_invite_of_a_demoted_trainer_makes_nobody_their_client(client: TestClient, studio: Studio) -> None:
    """The attack as found: a trainer with no clients invites a client, the admin demotes the trainer to client,
    someone registers with the code and would be the client of a client, who could read and edit them."""
    trainer = make_person(client, "trainer")
    code = client.post("/api/invites", headers=trainer.headers, json={"role": "client"}).json()["code"]
    demoted = client.put(f"/api/users/{trainer.id}", headers=studio.admin.headers, json={"role": "client"})
    assert demoted.status_code == 200 and demoted.json()["role"] == "client"
    body = assert_error(register(client, code), 410)
    assert "withdrawn" in body["detail"]
    assert nobody_has(client, studio, "claimer@example.test")
    assert clients_of(client, studio, trainer.id) == []
    [invite] = client.get("/api/invites", headers=studio.admin.headers).json()["items"][:1]
    assert invite["code"] == code and invite["voided_at"] is not None and invite["used_at"] is None


def test_the_invite_of_a_deactivated_trainer_cannot_be_claimed(client: TestClient, studio: Studio) -> None:
    trainer = make_person(client, "trainer")
    code = client.post("/api/invites", headers=trainer.headers, json={"role": "client"}).json()["code"]
    assert client.put(f"/api/users/{trainer.id}", headers=studio.admin.headers,
                      json={"is_active": False}).status_code == 200
    assert_error(register(client, code), 410)
    assert nobody_has(client, studio, "claimer@example.test")


def test_the_claim_checks_the_maker_even_when_the_role_changed_around_the_api(client: TestClient,
                                                                             studio: Studio) -> None:
    """Voiding is one guard; the claim itself is the other: a role written straight to the database (or by any
    other path that forgets to void) still leaves the invite unclaimable."""
    db = client.app.state.db  # type: ignore[attr-defined]
    trainer = make_person(client, "trainer")
    code = client.post("/api/invites", headers=trainer.headers, json={"role": "client"}).json()["code"]
    run(client, db.execute, "accounts.users.update", id=trainer.id, email=trainer.email, full_name="Demoted",
        role="client", trainer_id=None, is_active=True, now=clock.now())
    body = assert_error(register(client, code), 410)
    assert "no longer valid" in body["detail"]
    assert nobody_has(client, studio, "claimer@example.test") and clients_of(client, studio, trainer.id) == []
    # and it stays unclaimed: made a trainer again, the trainer's invite works again (it was never voided)
    run(client, db.execute, "accounts.users.update", id=trainer.id, email=trainer.email, full_name="Trainer again",
        role="trainer", trainer_id=None, is_active=True, now=clock.now())
    assert register(client, code).json()["trainer_id"] == trainer.id


def test_an_admins_client_invite_dies_with_its_trainers_role(client: TestClient, studio: Studio) -> None:
    db = client.app.state.db  # type: ignore[attr-defined]
    trainer = make_person(client, "trainer")
    by_api = make(client, studio, "admin", trainer_id=trainer.id).json()["code"]
    assert client.put(f"/api/users/{trainer.id}", headers=studio.admin.headers, json={"role": "client"}).status_code \
        == 200
    assert_error(register(client, by_api), 410)  # voided with the demotion
    other = make_person(client, "trainer")
    around = make(client, studio, "admin", trainer_id=other.id).json()["code"]
    run(client, db.execute, "accounts.users.update", id=other.id, email=other.email, full_name="Demoted",
        role="client", trainer_id=None, is_active=True, now=clock.now())
    assert_error(register(client, around, "second@example.test"), 410)  # refused by the claim itself
    assert clients_of(client, studio, trainer.id) == [] and clients_of(client, studio, other.id) == []


def test_the_trainer_invite_of_a_demoted_admin_cannot_be_claimed(client: TestClient, studio: Studio) -> None:
    other_admin = make_person(client, "admin")
    code = client.post("/api/invites", headers=other_admin.headers, json={"role": "trainer"}).json()["code"]
    assert client.put(f"/api/users/{other_admin.id}", headers=studio.admin.headers,
                      json={"role": "trainer"}).status_code == 200
    assert_error(register(client, code), 410)
    assert nobody_has(client, studio, "claimer@example.test")


def test_voiding_leaves_other_makers_invites_alone(client: TestClient, studio: Studio) -> None:
    trainer = make_person(client, "trainer")
    mine = client.post("/api/invites", headers=trainer.headers, json={"role": "client"}).json()["code"]
    theirs = make(client, studio, "trainer_a").json()["code"]
    client.put(f"/api/users/{trainer.id}", headers=studio.admin.headers, json={"role": "client"})
    assert_error(register(client, mine), 410)
    assert register(client, theirs).json()["trainer_id"] == studio.trainer_a.id
