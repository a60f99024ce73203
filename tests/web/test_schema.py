"""The declarative schemas: every problem listed with its location, unknown fields refused, JSON Schema derived."""
from __future__ import annotations

import datetime as dt

import pytest
from starlette.testclient import TestClient

from elior.web.errors import ValidationError
from elior.web.schema import Array, Date, DateTime, Email, Int, Number, Object, Password, Schema, Str

ITEM = Schema("Item", {"food": Str(required=True, max_length=10), "kcal": Number(minimum=0, maximum=5000)})
BODY = Schema("Body", {
    "email": Email(required=True),
    "when": Date(),
    "count": Int(minimum=1, maximum=5),
    "items": Array(items=ITEM, max_items=2),
    "owner": Object(schema_=Schema("Owner", {"name": Str(required=True)}), nullable=True),
})


def problems(data: object) -> list[dict]:
    with pytest.raises(ValidationError) as raised:
        BODY.validate(data)
    return raised.value.detail  # type: ignore[no-any-return]


def test_valid_body_is_cleaned() -> None:
    clean = BODY.validate({"email": "A@Example.COM ", "when": "2026-01-02", "count": 3,
                           "items": [{"food": "oats", "kcal": 380.5}], "owner": None})
    assert clean == {"email": "a@example.com", "when": dt.date(2026, 1, 2), "count": 3,
                     "items": [{"food": "oats", "kcal": 380.5}], "owner": None}


def test_every_problem_is_listed_with_its_location() -> None:
    found = problems({"when": "2026-02-30", "count": 9, "items": [{"kcal": -1}], "role": "admin"})
    locations = {tuple(p["loc"]) for p in found}
    assert locations == {("body", "email"), ("body", "when"), ("body", "count"), ("body", "items", 0, "food"),
                         ("body", "items", 0, "kcal"), ("body", "role")}


def test_types_are_not_coerced_in_bodies() -> None:
    assert {tuple(p["loc"]) for p in problems({"email": "a@b.co", "count": "3"})} == {("body", "count")}
    assert {tuple(p["loc"]) for p in problems({"email": "a@b.co", "count": True})} == {("body", "count")}


def test_too_many_items_is_refused_before_looking_inside() -> None:
    found = problems({"email": "a@b.co", "items": [{"food": "x"}] * 3})
    assert found[0]["type"] == "value_error.list.too_long"


def test_password_is_8_characters_to_1024_bytes_kept_whole() -> None:
    schema = Schema("P", {"password": Password(required=True)})
    assert schema.validate({"password": "é" * 512})["password"] == "é" * 512  # 1,024 bytes, nothing cut
    with pytest.raises(ValidationError):
        schema.validate({"password": "é" * 513})  # 1,026 bytes, 513 characters
    with pytest.raises(ValidationError):
        schema.validate({"password": "short"})


def test_query_strings_are_coerced() -> None:
    query = Schema("Q", {"limit": Int(minimum=1, maximum=100, default=20)})
    assert query.validate({}, coerce=True) == {"limit": 20}
    assert query.validate({"limit": "7"}, coerce=True) == {"limit": 7}
    with pytest.raises(ValidationError):
        query.validate({"limit": "101"}, coerce=True)


def test_json_schema_matches_the_rules() -> None:
    document = BODY.json_schema()
    assert document["required"] == ["email"] and document["additionalProperties"] is False
    assert document["properties"]["count"] == {"type": "integer", "minimum": 1, "maximum": 5}
    assert set(BODY.all_schemas()) == {"Body", "Item", "Owner"}


def test_bad_json_body_is_a_422_envelope(client: TestClient) -> None:
    # Any JSON endpoint will do; /api/auth/login exists once accounts land, so build one here instead.
    from elior.web.responses import JSONResponse
    from elior.web.routing import PUBLIC, Call, api

    async def echo(call: Call) -> JSONResponse:
        return JSONResponse(call.body)

    client.app.router.routes.insert(0, api("POST", "/api/echo", echo, access=PUBLIC, body=BODY))  # type: ignore
    response = client.post("/api/echo", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["error"] == "Validation Error"
    assert response.json()["detail"][0]["type"] == "value_error.jsondecode"
    too_big = client.post("/api/echo", content=b'{"email": "' + b"a" * 2_000_000 + b'"}',
                          headers={"content-type": "application/json"})
    assert too_big.status_code == 413 and too_big.json()["status_code"] == 413
    assert client.post("/api/echo", json={"email": "x@y.zz"}).json() == {"email": "x@y.zz"}


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+14:00"])
def test_a_timestamp_outside_the_calendar_once_in_utc_is_refused(moment: str) -> None:
    schema = Schema("T", {"at": DateTime(required=True)})
    with pytest.raises(ValidationError) as raised:
        schema.validate({"at": moment})
    assert raised.value.detail == [{"loc": ["body", "at"], "msg": "lies outside the years 0001 to 9999 once converted "
                                    "to UTC", "type": "value_error.datetime.range"}]
    assert schema.validate({"at": "9999-12-31T23:59:59Z"})["at"] == dt.datetime(9999, 12, 31, 23, 59, 59,
                                                                                tzinfo=dt.timezone.utc)


def test_a_string_longer_than_max_length_is_refused_even_if_stripping_would_shorten_it() -> None:
    schema = Schema("S", {"name": Str(max_length=5)})
    assert schema.validate({"name": " abc "})["name"] == "abc"
    with pytest.raises(ValidationError):
        schema.validate({"name": "\x1cabcde"})  # six characters sent; Python counts \x1c as whitespace


def test_a_pattern_is_published_anchored_as_it_is_checked() -> None:
    field = Str(pattern=r"\d{2}:\d{2}")
    assert field.json_schema()["pattern"] == r"^(?:\d{2}:\d{2})$"
    with pytest.raises(ValidationError):
        Schema("P", {"time": field}).validate({"time": "x12:30"})


def test_an_example_is_made_that_passes_the_schema_and_a_declared_one_wins() -> None:
    assert BODY.validate(BODY.example()) == {"email": "client@example.com"}
    explicit = Schema("X", {"title": Str(required=True, example="Leg day"), "count": Int(minimum=3, maximum=9),
                            "when": Date(), "url": Str(pattern=r"https?://\S+")})
    assert explicit.example() == {"title": "Leg day"}
    plain = Schema("Y", {"count": Int(required=True, minimum=3, maximum=9), "when": Date(),
                         "url": Str(pattern=r"https?://\S+")})
    # An update (nothing required): every field an example can be made for; no guess at a pattern.
    assert plain.partial("YUpdate").example() == {"count": 3, "when": "2026-01-15"}
    assert explicit.fields["title"].json_schema()["examples"] == ["Leg day"]


def test_enum_values_alike_but_for_case_get_distinct_names() -> None:
    level = Str(enum=("DEBUG", "INFO", "debug", "info")).json_schema()
    assert level["x-enum-varnames"] == ["DEBUG", "INFO", "DEBUG_LOWERCASE", "INFO_LOWERCASE"]
    assert "x-enum-varnames" not in Str(enum=("planned", "completed")).json_schema()
