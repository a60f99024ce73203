"""Who is told of what (the rules asked of elior/notifications) and the per-user mute setting."""
from __future__ import annotations

from starlette.testclient import TestClient

from tests.conversations.world import send
from tests.helpers import Person, Studio, assert_error


def notes(client: TestClient, who: Person) -> list[dict]:  # type: ignore[type-arg]
    return client.get("/api/notifications", headers=who.headers).json()["items"]  # type: ignore[no-any-return]


def test_mute_settings_round_trip(client: TestClient, studio: Studio) -> None:
    a1 = studio.client_a1
    assert client.get("/api/notifications/settings", headers=a1.headers).json()["muted"] == []
    response = client.put("/api/notifications/settings", json={"muted": ["message", "habit", "message"]},
                          headers=a1.headers)
    assert response.status_code == 200 and response.json()["muted"] == ["habit", "message"]
    assert client.get("/api/notifications/settings", headers=studio.client_a2.headers).json()["muted"] == []
    assert_error(client.put("/api/notifications/settings", json={"muted": ["everything"]}, headers=a1.headers), 422)


def test_a_message_tells_the_other_side_only(client: TestClient, studio: Studio) -> None:
    a1, trainer = studio.client_a1, studio.trainer_a
    send(client, a1, a1.id, "hi coach")
    told = notes(client, trainer)
    assert [n["type"] for n in told] == ["message.created"] and "Client A1" in told[0]["data"]["message"]
    assert notes(client, a1) == []
    send(client, trainer, a1.id, "hi")
    assert [n["type"] for n in notes(client, a1)] == ["message.created"]
    assert notes(client, studio.trainer_b) == [] and notes(client, studio.admin) == []


def test_muted_kind_is_not_told(client: TestClient, studio: Studio) -> None:
    a1, trainer = studio.client_a1, studio.trainer_a
    client.put("/api/notifications/settings", json={"muted": ["message"]}, headers=trainer.headers)
    send(client, a1, a1.id, "are you there?")
    assert notes(client, trainer) == []
    client.put("/api/notifications/settings", json={"muted": []}, headers=trainer.headers)
    send(client, a1, a1.id, "now?")
    assert len(notes(client, trainer)) == 1
