"""Progress: entries with ranges and photos, one per date, who may see them, the summary and the CSV export."""
from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior.progress import reports as progress_reports
from elior.progress.reports import safe_cell
from tests.helpers import Person, Studio, assert_error, statements_run
from tests.nutrition.test_meal_plans import add_file, assert_indexed, capture_events, count_rows, query_plan, statements

TODAY = dt.date.today()


def day(n: int) -> str:
    """The date n days ago."""
    return (TODAY - dt.timedelta(days=n)).isoformat()


def post(client: TestClient, person: Person, **fields: Any) -> Any:
    body = {"date": day(1), "weight_kg": 82.4, "body_fat_pct": 18.5,
            "measurements": {"chest_cm": 101, "waist_cm": 84.5, "hips_cm": 98, "arm_cm": 36.2, "thigh_cm": 58},
            "notes": "felt strong", **fields}
    return client.post("/api/progress", json=body, headers=person.headers)


def record(client: TestClient, person: Person, **fields: Any) -> dict[str, Any]:
    response = post(client, person, **fields)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


# --- recording ---

def test_progress_client_records_their_entry_with_photos(client: TestClient, studio: Studio) -> None:
    photos = [add_file(client, studio.client_a1, studio.client_a1.id, "progress_photo") for _ in range(3)]
    seen = capture_events(client)
    entry = record(client, studio.client_a1, photo_files=photos[::-1])
    assert entry["client_id"] == studio.client_a1.id and entry["date"] == day(1)
    assert entry["measurements"] == {"chest_cm": 101, "waist_cm": 84.5, "hips_cm": 98, "arm_cm": 36.2,
                                     "thigh_cm": 58}
    assert entry["photo_files"] == photos[::-1] and entry["created_by"] == studio.client_a1.id
    assert [(e.type, e.client_id, e.data["id"]) for e in seen] == [("progress.created", studio.client_a1.id,
                                                                    entry["id"])]
    assert client.get(f"/api/progress/{entry['id']}", headers=studio.trainer_a.headers).json() == entry


def test_progress_trainer_records_for_their_client(client: TestClient, studio: Studio) -> None:
    entry = record(client, studio.trainer_a, client_id=studio.client_a1.id, measurements=None, notes=None)
    assert entry["client_id"] == studio.client_a1.id and entry["created_by"] == studio.trainer_a.id
    assert entry["measurements"] == dict.fromkeys(("chest_cm", "waist_cm", "hips_cm", "arm_cm", "thigh_cm"))


def test_progress_trainer_without_client_id_is_422(client: TestClient, studio: Studio) -> None:
    error = assert_error(post(client, studio.trainer_a), 422)
    assert error["detail"][0]["loc"] == ["body", "client_id"]
    assert count_rows(client, "progress_entries") == 0


def test_progress_client_recording_for_another_is_403(client: TestClient, studio: Studio) -> None:
    assert_error(post(client, studio.client_a1, client_id=studio.client_a2.id), 403)
    assert count_rows(client, "progress_entries") == 0


def test_progress_second_entry_on_a_date_is_409_and_the_first_kept(client: TestClient, studio: Studio) -> None:
    first = record(client, studio.client_a1)
    assert_error(post(client, studio.trainer_a, client_id=studio.client_a1.id, weight_kg=90), 409)
    assert client.get(f"/api/progress/{first['id']}", headers=studio.client_a1.headers).json() == first
    assert count_rows(client, "progress_entries") == 1
    assert record(client, studio.client_a2)["date"] == first["date"]  # another client's same date is fine


@pytest.mark.parametrize("field,value,loc", [
    ("weight_kg", 19.9, ["body", "weight_kg"]), ("weight_kg", 400.1, ["body", "weight_kg"]),
    ("body_fat_pct", 1.9, ["body", "body_fat_pct"]), ("body_fat_pct", 75.5, ["body", "body_fat_pct"]),
    ("date", (TODAY + dt.timedelta(days=2)).isoformat(), ["body", "date"]), ("date", "2026-13-01", ["body", "date"]),
    ("measurements", {"waist_cm": 9}, ["body", "measurements", "waist_cm"]),
    ("measurements", {"thigh_cm": 201}, ["body", "measurements", "thigh_cm"]),
    ("measurements", {"neck_cm": 40}, ["body", "measurements", "neck_cm"]),
    ("weight_kg", "80", ["body", "weight_kg"]), ("id", 5, ["body", "id"]),
])
def test_progress_out_of_range_is_422_and_nothing_written(client: TestClient, studio: Studio, field: str,
                                                         value: Any, loc: list[Any]) -> None:
    error = assert_error(post(client, studio.client_a1, **{field: value}), 422)
    assert error["detail"][0]["loc"] == loc
    assert count_rows(client, "progress_entries") == 0


def test_progress_range_edges_and_today_are_fine(client: TestClient, studio: Studio) -> None:
    low = record(client, studio.client_a1, date=day(0), weight_kg=20, body_fat_pct=2)
    high = record(client, studio.client_a1, date=day(1), weight_kg=400, body_fat_pct=75)
    assert (low["weight_kg"], high["body_fat_pct"]) == (20, 75)


@pytest.mark.parametrize("whose", ["client_a2", "nobody", "twice"])
def test_progress_photo_not_of_the_client_is_422_and_nothing_written(client: TestClient, studio: Studio,
                                                                     whose: str) -> None:
    own = add_file(client, studio.client_a1, studio.client_a1.id, "progress_photo")
    other = {"client_a2": add_file(client, studio.client_a2, studio.client_a2.id, "progress_photo"),
             "nobody": "missing.jpg", "twice": own}[whose]
    assert_error(post(client, studio.client_a1, photo_files=[own, other]), 422)
    assert count_rows(client, "progress_entries") == 0 and count_rows(client, "progress_photos") == 0


# --- changes ---

def test_progress_update_changes_only_what_it_names(client: TestClient, studio: Studio) -> None:
    entry = record(client, studio.client_a1)
    seen = capture_events(client)
    response = client.put(f"/api/progress/{entry['id']}", json={"weight_kg": 81.9, "measurements": {"arm_cm": 37}},
                          headers=studio.trainer_a.headers)
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["weight_kg"] == 81.9 and changed["measurements"]["arm_cm"] == 37
    assert changed["measurements"]["waist_cm"] == 84.5 and changed["notes"] == entry["notes"]
    assert changed["body_fat_pct"] == entry["body_fat_pct"] and changed["date"] == entry["date"]
    assert [(e.type, e.client_id) for e in seen] == [("progress.updated", studio.client_a1.id)]


def test_progress_update_replaces_photos(client: TestClient, studio: Studio) -> None:
    first, second = (add_file(client, studio.client_a1, studio.client_a1.id) for _ in range(2))
    entry = record(client, studio.client_a1, photo_files=[first])
    changed = client.put(f"/api/progress/{entry['id']}", json={"photo_files": [second, first]},
                         headers=studio.client_a1.headers).json()
    assert changed["photo_files"] == [second, first]
    cleared = client.put(f"/api/progress/{entry['id']}", json={"photo_files": []}, headers=studio.client_a1.headers)
    assert cleared.json()["photo_files"] == []


def test_progress_update_onto_a_taken_date_is_409_and_unchanged(client: TestClient, studio: Studio) -> None:
    older = record(client, studio.client_a1, date=day(5))
    newer = record(client, studio.client_a1, date=day(4))
    assert_error(client.put(f"/api/progress/{newer['id']}", json={"date": day(5), "weight_kg": 70},
                            headers=studio.client_a1.headers), 409)
    assert client.get(f"/api/progress/{newer['id']}", headers=studio.client_a1.headers).json() == newer
    moved = client.put(f"/api/progress/{older['id']}", json={"date": day(6)}, headers=studio.client_a1.headers)
    assert moved.status_code == 200 and moved.json()["date"] == day(6)


def test_progress_update_with_a_bad_photo_changes_nothing(client: TestClient, studio: Studio) -> None:
    photo = add_file(client, studio.client_a1, studio.client_a1.id)
    entry = record(client, studio.client_a1, photo_files=[photo])
    foreign = add_file(client, studio.client_b1, studio.client_b1.id)
    assert_error(client.put(f"/api/progress/{entry['id']}", json={"weight_kg": 60, "photo_files": [foreign]},
                            headers=studio.client_a1.headers), 422)
    assert client.get(f"/api/progress/{entry['id']}", headers=studio.client_a1.headers).json() == entry


@pytest.mark.parametrize("body", [{"weight_kg": 401}, {"date": (TODAY + dt.timedelta(days=3)).isoformat()},
                                  {"client_id": 1}, {"body_fat_pct": None, "measurements": {"hips_cm": 301}}])
def test_progress_update_bad_input_is_422_and_unchanged(client: TestClient, studio: Studio,
                                                        body: dict[str, Any]) -> None:
    entry = record(client, studio.client_a1)
    assert_error(client.put(f"/api/progress/{entry['id']}", json=body, headers=studio.client_a1.headers), 422)
    assert client.get(f"/api/progress/{entry['id']}", headers=studio.client_a1.headers).json() == entry


@pytest.mark.parametrize("who", ["client_a1", "trainer_a", "admin"])
def test_progress_delete(client: TestClient, studio: Studio, who: str) -> None:
    entry = record(client, studio.client_a1, photo_files=[add_file(client, studio.client_a1, studio.client_a1.id)])
    assert client.delete(f"/api/progress/{entry['id']}", headers=getattr(studio, who).headers).status_code == 204
    assert_error(client.get(f"/api/progress/{entry['id']}", headers=studio.admin.headers), 404)
    assert count_rows(client, "progress_photos") == 0 and count_rows(client, "files") == 1


# --- who sees what ---

@pytest.mark.parametrize("outsider", ["trainer_b", "client_a2", "client_b1"])
def test_progress_outsiders_get_404_everywhere(client: TestClient, studio: Studio, outsider: str) -> None:
    entry = record(client, studio.client_a1)
    who = getattr(studio, outsider).headers
    a1 = studio.client_a1.id
    url = f"/api/progress/{entry['id']}"
    assert_error(client.get(url, headers=who), 404)
    assert_error(client.put(url, json={"weight_kg": 50}, headers=who), 404)
    assert_error(client.delete(url, headers=who), 404)
    assert_error(client.get(f"/api/progress?client_id={a1}", headers=who), 404)
    assert_error(client.get(f"/api/progress/summary?client_id={a1}", headers=who), 404)
    assert_error(client.get(f"/api/progress/export.csv?client_id={a1}", headers=who), 404)
    if outsider == "trainer_b":
        assert_error(post(client, studio.trainer_b, client_id=a1, date=day(2)), 404)
    assert client.get(url, headers=studio.client_a1.headers).json() == entry
    assert count_rows(client, "progress_entries") == 1


def test_progress_create_for_a_client_out_of_reach_is_404_even_on_a_taken_date(
        client: TestClient, studio: Studio) -> None:
    # The insert checks who may see the client itself (sql/progress/insert.sql) and only a refused insert asks why:
    # an outsider must get the 404 of "no such client", never the 409 that would tell them an entry exists.
    entry = record(client, studio.client_a1, date=day(3))
    for who, client_id in ((studio.trainer_b, studio.client_a1.id), (studio.trainer_a, studio.trainer_a.id),
                           (studio.admin, 10**9)):
        body = assert_error(post(client, who, client_id=client_id, date=day(3)), 404)
        assert f"client {client_id}" in body["detail"], body
    assert_error(post(client, studio.trainer_a, client_id=studio.client_a1.id, date=day(3)), 409)
    assert_error(post(client, studio.trainer_a, date=day(4)), 422)  # staff must name the client
    assert count_rows(client, "progress_entries") == 1
    assert client.get(f"/api/progress/{entry['id']}", headers=studio.client_a1.headers).json() == entry


def test_progress_create_checks_and_writes_in_one_statement(client: TestClient, studio: Studio) -> None:
    # The insert applies the visibility rule and returns the row (speed, issue 13): no visible_client before it and
    # no get after it, unless it is refused (then visible_client tells 404 from 409).
    def progress_statements(person: Person, **fields: Any) -> dict[str, int]:
        return statements_run(client, lambda: post(client, person, **fields), "progress.")

    assert progress_statements(studio.trainer_a, client_id=studio.client_a1.id, date=day(5)) == {"progress.insert": 1}
    assert progress_statements(studio.trainer_a, client_id=studio.client_a1.id, date=day(5)) == {
        "progress.insert": 1, "progress.visible_client": 1}


def test_progress_anonymous_gets_401_everywhere(client: TestClient, studio: Studio) -> None:
    entry = record(client, studio.client_a1)
    url = f"/api/progress/{entry['id']}"
    for response in (client.get("/api/progress"), client.post("/api/progress", json={"date": day(1)}),
                     client.get(url), client.put(url, json={"weight_kg": 50}), client.delete(url),
                     client.get(f"/api/progress/summary?client_id={studio.client_a1.id}"),
                     client.get(f"/api/progress/export.csv?client_id={studio.client_a1.id}")):
        assert_error(response, 401)
    assert count_rows(client, "progress_entries") == 1


# --- lists ---

def test_progress_list_envelope_pages_and_dates(client: TestClient, studio: Studio) -> None:
    for n in range(6):
        record(client, studio.client_a1, date=day(n))
    body = client.get("/api/progress?limit=2&offset=1", headers=studio.client_a1.headers).json()
    assert body["total"] == 6 and (body["limit"], body["offset"]) == (2, 1)
    assert [e["date"] for e in body["items"]] == [day(1), day(2)]
    ranged = client.get(f"/api/progress?client_id={studio.client_a1.id}&from={day(4)}&to={day(3)}",
                        headers=studio.trainer_a.headers).json()
    assert [e["date"] for e in ranged["items"]] == [day(3), day(4)] and ranged["total"] == 2
    assert_error(client.get("/api/progress?limit=0", headers=studio.client_a1.headers), 422)


def test_progress_list_without_client_shows_what_the_caller_may_see(client: TestClient, studio: Studio) -> None:
    a1, a2 = record(client, studio.client_a1)["id"], record(client, studio.client_a2)["id"]
    b1 = record(client, studio.client_b1)["id"]
    for person, expected in ((studio.trainer_a, {a1, a2}), (studio.trainer_b, {b1}), (studio.admin, {a1, a2, b1}),
                             (studio.client_a2, {a2})):
        body = client.get("/api/progress", headers=person.headers).json()
        assert {e["id"] for e in body["items"]} == expected and body["total"] == len(expected)


@pytest.mark.parametrize("url", ["/api/progress?client_id={client}", "/api/progress",
                                 "/api/progress/summary?client_id={client}"])
def test_progress_reads_cost_the_same_statements_for_1_or_25_entries(client: TestClient, studio: Studio,
                                                                     url: str) -> None:
    url = url.format(client=studio.client_a1.id)
    photo = add_file(client, studio.client_a1, studio.client_a1.id)
    record(client, studio.client_a1, date=day(0), photo_files=[photo])
    before = statements(client, "progress.")
    client.get(url, headers=studio.trainer_a.headers)
    one = statements(client, "progress.") - before
    for n in range(1, 25):
        record(client, studio.client_a1, date=day(n), photo_files=[photo])
    before = statements(client, "progress.")
    assert client.get(url, headers=studio.trainer_a.headers).status_code == 200
    assert statements(client, "progress.") - before == one <= 3


def test_progress_queries_use_indexes(client: TestClient, studio: Studio) -> None:
    entry = record(client, studio.client_a1, photo_files=[add_file(client, studio.client_a1, studio.client_a1.id)])
    scope = {"caller_id": studio.trainer_a.id, "caller_role": "trainer"}
    where = {"date_from": dt.date(1, 1, 1), "date_to": dt.date(9999, 12, 31), **scope}
    big = {"p": "progress_entries", "ph": "progress_photos"}
    for name, values, tables in [
        ("progress.entries.page", {"client_id": studio.client_a1.id, "limit": 20, "offset": 0, **where}, big),
        ("progress.count", {"client_id": studio.client_a1.id, **where}, {"p": "progress_entries"}),
        ("progress.page_visible", {"limit": 20, "offset": 0, **where}, big),
        ("progress.count_visible", where, {"p": "progress_entries"}),
        ("progress.series", {"client_id": studio.client_a1.id, **where}, big),
        ("progress.export_page", {"client_id": studio.client_a1.id, "after": dt.date(1, 1, 1), "limit": 500,
                                  **scope}, big),
        ("progress.get", {"id": entry["id"], **scope}, big),
    ]:
        assert_indexed(client, query_plan(client, name, **values), tables)


# --- summary ---

def test_progress_summary_first_latest_change_and_series(client: TestClient, studio: Studio) -> None:
    record(client, studio.client_a1, date=day(14), weight_kg=84.2, body_fat_pct=None,
           measurements={"waist_cm": 90.1})
    record(client, studio.client_a1, date=day(7), weight_kg=83.1, body_fat_pct=20.5, measurements=None)
    latest = record(client, studio.client_a1, date=day(0), weight_kg=82.0, body_fat_pct=19.7,
                    measurements={"waist_cm": 88.4})
    body = client.get(f"/api/progress/summary?client_id={studio.client_a1.id}",
                      headers=studio.trainer_a.headers).json()
    assert body["count"] == 3 and body["first"]["date"] == day(14) and body["latest"] == latest
    # Each metric from its own first to its own latest value, in exact decimals.
    assert body["change"] == {"weight_kg": -2.2, "body_fat_pct": -0.8, "chest_cm": None, "waist_cm": -1.7,
                              "hips_cm": None, "arm_cm": None, "thigh_cm": None}
    assert [p["date"] for p in body["series"]] == [day(14), day(7), day(0)]
    assert body["series"][1] == {"date": day(7), "weight_kg": 83.1, "body_fat_pct": 20.5, "chest_cm": None,
                                 "waist_cm": None, "hips_cm": None, "arm_cm": None, "thigh_cm": None}


def test_progress_summary_empty_is_nulls(client: TestClient, studio: Studio) -> None:
    body = client.get("/api/progress/summary", headers=studio.client_a1.headers).json()
    assert body == {"client_id": studio.client_a1.id, "count": 0, "first": None, "latest": None, "change": None,
                    "series": []}


def test_progress_summary_needs_client_id_from_a_trainer(client: TestClient, studio: Studio) -> None:
    error = assert_error(client.get("/api/progress/summary", headers=studio.trainer_a.headers), 422)
    assert error["detail"][0]["loc"] == ["query", "client_id"]


# --- CSV export ---

def read_csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.text)))


def test_progress_export_is_a_csv_download_of_every_entry(client: TestClient, studio: Studio) -> None:
    photo = add_file(client, studio.client_a1, studio.client_a1.id)
    record(client, studio.client_a1, date=day(3), weight_kg=80.25, notes="line one\nline two, with a comma")
    record(client, studio.client_a1, date=day(1), weight_kg=80, photo_files=[photo], measurements=None, notes=None)
    response = client.get(f"/api/progress/export.csv?client_id={studio.client_a1.id}",
                          headers=studio.trainer_a.headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="progress-client-{studio.client_a1.id}-{dt.datetime.now(dt.timezone.utc).date()}.csv"')
    rows = read_csv(response)
    assert rows[0] == ["date", "weight_kg", "body_fat_pct", "chest_cm", "waist_cm", "hips_cm", "arm_cm", "thigh_cm",
                       "notes", "photo_files", "created_at"]
    assert rows[1][:9] == [day(3), "80.25", "18.5", "101", "84.5", "98", "36.2", "58",
                           "line one\nline two, with a comma"]
    assert rows[2][:10] == [day(1), "80", "18.5", "", "", "", "", "", "", photo]
    assert len(rows) == 3


@pytest.mark.parametrize("note", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", " =1+1",
                                  '=cmd|" /C calc"!A0'])
def test_progress_export_neutralises_formulas(client: TestClient, studio: Studio, note: str) -> None:
    record(client, studio.client_a1, notes=note)
    rows = read_csv(client.get("/api/progress/export.csv", headers=studio.client_a1.headers))
    cell = rows[1][8]
    assert cell == "'" + note.strip(), cell


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("\nx", "'\nx"), ("  @x", "'  @x"), ("a=b", "a=b"), ("", ""), (None, ""), (82.5, "82.5"), (80.0, "80"),
    (-3.5, "'-3.5"), (7, "7"),
])
def test_progress_safe_cell(value: Any, expected: str) -> None:
    assert safe_cell(value) == expected


def test_progress_export_walks_keyset_pages(client: TestClient, studio: Studio,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_reports, "EXPORT_PAGE", 2)
    for n in range(5):
        record(client, studio.client_a1, date=day(n), weight_kg=70 + n)
    before = statements(client, "progress.export_page")
    rows = read_csv(client.get("/api/progress/export.csv", headers=studio.client_a1.headers))
    assert [row[0] for row in rows[1:]] == [day(n) for n in range(4, -1, -1)]
    assert statements(client, "progress.export_page") - before == 3  # pages of 2, 2 and 1 entries


def test_progress_export_of_nothing_is_the_header(client: TestClient, studio: Studio) -> None:
    rows = read_csv(client.get("/api/progress/export.csv", headers=studio.client_a1.headers))
    assert len(rows) == 1 and rows[0][0] == "date"
