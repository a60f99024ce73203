"""Messages: keyset pages, text kept as text, attachments from the sender's own uploads, the 15-minute window, read
state and unread counts, admins reading (recorded), and a client moved to another trainer."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior import clock
from tests import samples
from tests.conversations.world import add_file, move_client, move_clock, page, send, threads
from tests.helpers import Studio, assert_error, run


def test_message_is_answered_and_listed_newest_first(client: TestClient, studio: Studio) -> None:
    a1, trainer = studio.client_a1, studio.trainer_a
    first = send(client, a1, a1.id, "Can we move Thursday?")
    second = send(client, trainer, a1.id, "Friday works")
    assert first["sender_id"] == a1.id and first["sender_name"] == "Client A1" and first["attachments"] == []
    assert first["created_at"].endswith("Z") and first["edited_at"] is None and first["deleted_at"] is None
    listed = page(client, a1, a1.id)
    assert [m["id"] for m in listed["items"]] == [second["id"], first["id"]]
    assert listed["items"][1] == first and listed["next_before"] is None


def test_text_comes_back_exactly_as_sent(client: TestClient, studio: Studio) -> None:
    a1 = studio.client_a1
    text = "  <script>alert(1)</script> see https://example.com/?a=1&b=<2>  \n"
    assert send(client, a1, a1.id, text)["body"] == text
    assert page(client, studio.trainer_a, a1.id)["items"][0]["body"] == text


def test_keyset_pages_walk_the_whole_thread_once(client: TestClient, studio: Studio) -> None:
    a1 = studio.client_a1
    sent = [send(client, a1, a1.id, f"m{n}")["id"] for n in range(7)]
    seen, before = [], None
    while True:
        query = {"limit": 3} | ({"before": before} if before else {})
        answer = page(client, a1, a1.id, **query)
        seen += [m["id"] for m in answer["items"]]
        before = answer["next_before"]
        if before is None:
            break
    assert seen == sorted(sent, reverse=True)


def test_empty_message_is_refused(client: TestClient, studio: Studio) -> None:
    a1 = studio.client_a1
    response = client.post(f"/api/conversations/{a1.id}/messages", json={"body": "   "}, headers=a1.headers)
    assert assert_error(response, 422)["detail"][0]["loc"] == ["body", "body"]
    too_long = client.post(f"/api/conversations/{a1.id}/messages", json={"body": "x" * 4001}, headers=a1.headers)
    assert_error(too_long, 422)


def test_attachment_of_the_senders_own_upload_comes_with_a_signed_url(client: TestClient, studio: Studio) -> None:
    a1 = studio.client_a1
    mine = add_file(client, a1, a1.id)
    message = send(client, a1, a1.id, "", attachments=[mine])
    assert [(a["filename"], a["content_type"]) for a in message["attachments"]] == [(mine, "application/pdf")]
    assert message["attachments"][0]["url"].startswith(f"/api/files/{mine}?sig=")
    seen = page(client, studio.trainer_a, a1.id)["items"][0]["attachments"]
    assert [a["filename"] for a in seen] == [mine]  # each answer signs its URLs afresh (their expiry moves on)


def test_photo_sent_by_the_client_opens_for_the_trainer(client: TestClient, studio: Studio) -> None:
    a1 = studio.client_a1
    upload = client.post("/api/files/upload", headers=a1.headers, data={"purpose": "progress_photo"},
                         files={"file": ("knee.jpg", samples.jpeg(), "image/jpeg")})
    assert upload.status_code == 201, upload.text
    send(client, a1, a1.id, "my knee after the run", attachments=[upload.json()["filename"]])
    photo = page(client, studio.trainer_a, a1.id)["items"][0]["attachments"][0]
    opened = client.get(photo["url"])  # the signed URL alone, as an <img> would
    assert opened.status_code == 200 and opened.headers["content-type"] == "image/jpeg" == photo["content_type"]
    assert client.get(f"/api/files/{photo['filename']}", headers=studio.trainer_a.headers).status_code == 200


@pytest.mark.parametrize("whose", ["trainer's", "other client's", "about another client"])
def test_attachment_of_someone_elses_file_is_refused(client: TestClient, studio: Studio, whose: str) -> None:
    a1, trainer = studio.client_a1, studio.trainer_a
    filename = {"trainer's": lambda: add_file(client, trainer, a1.id),
                "other client's": lambda: add_file(client, studio.client_b1, studio.client_b1.id),
                "about another client": lambda: add_file(client, trainer, studio.client_a2.id)}[whose]()
    sender = trainer if whose == "about another client" else a1
    response = client.post(f"/api/conversations/{a1.id}/messages", json={"body": "look", "attachments": [filename]},
                           headers=sender.headers)
    assert assert_error(response, 422)["detail"][0]["loc"] == ["body", "attachments", 0]
    assert page(client, a1, a1.id)["items"] == []  # nothing of the refused message was kept


def test_sender_edits_within_fifteen_minutes(client: TestClient, studio: Studio,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    a1 = studio.client_a1
    sent_at = clock.now()
    message = send(client, a1, a1.id, "typo hree")
    move_clock(monkeypatch, sent_at + dt.timedelta(minutes=14, seconds=59))
    edited = client.put(f"/api/conversations/{a1.id}/messages/{message['id']}", json={"body": "typo here"},
                        headers=a1.headers)
    assert edited.status_code == 200, edited.text
    assert edited.json()["body"] == "typo here" and edited.json()["edited_at"] is not None
    move_clock(monkeypatch, sent_at + dt.timedelta(minutes=15))
    late = client.put(f"/api/conversations/{a1.id}/messages/{message['id']}", json={"body": "again"},
                      headers=a1.headers)
    assert_error(late, 403)
    assert_error(client.delete(f"/api/conversations/{a1.id}/messages/{message['id']}", headers=a1.headers), 403)
    assert page(client, a1, a1.id)["items"][0]["body"] == "typo here"


def test_delete_keeps_the_place_without_the_text(client: TestClient, studio: Studio) -> None:
    a1 = studio.client_a1
    message = send(client, a1, a1.id, "oops", attachments=[add_file(client, a1, a1.id)])
    after = send(client, studio.trainer_a, a1.id, "?")
    response = client.delete(f"/api/conversations/{a1.id}/messages/{message['id']}", headers=a1.headers)
    assert response.status_code == 204, response.text
    items = page(client, a1, a1.id)["items"]
    assert [m["id"] for m in items] == [after["id"], message["id"]]
    assert items[1]["body"] == "" and items[1]["attachments"] == [] and items[1]["deleted_at"] is not None
    again = client.put(f"/api/conversations/{a1.id}/messages/{message['id']}", json={"body": "x"}, headers=a1.headers)
    assert_error(again, 403)


def test_only_the_sender_changes_a_message(client: TestClient, studio: Studio) -> None:
    a1, trainer = studio.client_a1, studio.trainer_a
    message = send(client, a1, a1.id, "mine")
    path = f"/api/conversations/{a1.id}/messages/{message['id']}"
    assert_error(client.put(path, json={"body": "theirs"}, headers=trainer.headers), 403)
    assert_error(client.delete(path, headers=trainer.headers), 403)
    assert_error(client.put(path, json={"body": "x"}, headers=studio.trainer_b.headers), 404)
    wrong_thread = f"/api/conversations/{studio.client_a2.id}/messages/{message['id']}"
    assert_error(client.put(wrong_thread, json={"body": "x"}, headers=a1.headers), 404)


def test_unread_counts_follow_the_read_mark(client: TestClient, studio: Studio) -> None:
    a1, trainer = studio.client_a1, studio.trainer_a
    send(client, trainer, a1.id, "how did it go?")
    assert threads(client, a1)[0]["unread"] == 1
    send(client, a1, a1.id, "one")  # replying reads what came before: nothing is unread for the sender
    second = send(client, a1, a1.id, "two")
    assert threads(client, a1)[0]["unread"] == 0
    mine = {t["client_id"]: t for t in threads(client, trainer)}
    assert mine[a1.id]["unread"] == 2 and mine[studio.client_a2.id]["unread"] == 0
    response = client.post(f"/api/conversations/{a1.id}/read", json={"message_id": second["id"]},
                           headers=trainer.headers)
    assert response.status_code == 204, response.text
    assert {t["client_id"]: t for t in threads(client, trainer)}[a1.id]["unread"] == 0
    reads = {r["user_id"]: r["last_read_id"] for r in page(client, a1, a1.id)["reads"]}
    assert reads == {trainer.id: second["id"], a1.id: second["id"]}


def test_unread_count_stops_at_its_cap(client: TestClient, studio: Studio, monkeypatch: pytest.MonkeyPatch) -> None:
    from elior.conversations import threads as thread_module

    monkeypatch.setattr(thread_module, "UNREAD_CAP", 3)
    for n in range(5):
        send(client, studio.trainer_a, studio.client_a1.id, f"m{n}")
    assert threads(client, studio.client_a1)[0]["unread"] == 3


def test_read_mark_never_moves_back(client: TestClient, studio: Studio) -> None:
    a1, trainer = studio.client_a1, studio.trainer_a
    first = send(client, trainer, a1.id, "one")
    second = send(client, trainer, a1.id, "two")
    for message_id in (second["id"], first["id"]):
        assert client.post(f"/api/conversations/{a1.id}/read", json={"message_id": message_id},
                           headers=a1.headers).status_code == 204
    assert threads(client, a1)[0]["last_read_id"] == second["id"]


def test_marking_read_a_message_of_another_thread_is_not_found(client: TestClient, studio: Studio) -> None:
    a2 = studio.client_a2
    other = send(client, studio.client_a1, studio.client_a1.id, "not yours")
    response = client.post(f"/api/conversations/{a2.id}/read", json={"message_id": other["id"]}, headers=a2.headers)
    assert_error(response, 404)


def test_thread_list_puts_newest_activity_first(client: TestClient, studio: Studio) -> None:
    trainer = studio.trainer_a
    send(client, studio.client_a1, studio.client_a1.id, "first")
    send(client, studio.client_a2, studio.client_a2.id, "later")
    assert [t["client_id"] for t in threads(client, trainer)] == [studio.client_a2.id, studio.client_a1.id]
    send(client, trainer, studio.client_a1.id, "latest")
    listed = threads(client, trainer)
    assert [t["client_id"] for t in listed] == [studio.client_a1.id, studio.client_a2.id]
    assert listed[0]["last_message"]["preview"] == "latest"


def test_admin_reads_any_thread_and_the_read_is_recorded(client: TestClient, studio: Studio) -> None:
    a1, admin = studio.client_a1, studio.admin
    send(client, a1, a1.id, "private")
    assert page(client, admin, a1.id)["items"][0]["body"] == "private"
    assert [t["client_id"] for t in threads(client, admin)] == [a1.id]
    assert [(r["admin_id"], r["client_id"]) for r in admin_reads(client, studio, a1.id)] == [(admin.id, a1.id)]
    page(client, studio.trainer_a, a1.id)  # a participant's read is theirs, not an access to record
    page(client, a1, a1.id)
    assert len(admin_reads(client, studio, a1.id)) == 1


def admin_reads(client: TestClient, studio: Studio, client_id: int) -> list[dict[str, Any]]:
    return run(client, client.app.state.db.fetch_all, "conversations.threads.admin_reads",  # type: ignore[attr-defined]
               client_id=client_id, caller_role="admin")


def test_moved_client_thread_goes_to_the_new_trainer(client: TestClient, studio: Studio) -> None:
    a1, old, new = studio.client_a1, studio.trainer_a, studio.trainer_b
    before = send(client, old, a1.id, "welcome")
    move_client(client, studio.admin, a1, new)
    assert_error(client.get(f"/api/conversations/{a1.id}/messages", headers=old.headers), 404)
    assert_error(client.post(f"/api/conversations/{a1.id}/messages", json={"body": "still here?"},
                             headers=old.headers), 404)
    assert_error(client.put(f"/api/conversations/{a1.id}/messages/{before['id']}", json={"body": "x"},
                            headers=old.headers), 404)
    assert a1.id not in {t["client_id"] for t in threads(client, old)}
    assert [m["id"] for m in page(client, new, a1.id)["items"]] == [before["id"]]  # the client's history goes along
    reply = send(client, new, a1.id, "I am your new trainer")
    assert {t["client_id"]: t for t in threads(client, new)}[a1.id]["last_message"]["id"] == reply["id"]
    assert {r["user_id"] for r in page(client, a1, a1.id)["reads"]} <= {a1.id, new.id}  # not the old trainer's
