"""Declarative request schemas: one object per body or query that both validates and describes itself.

    WORKOUT = Schema("WorkoutCreate", {
        "client_id": Int(required=True, minimum=1),
        "title": Str(required=True, max_length=200),
        "scheduled_for": Date(required=True),
    })
    body = WORKOUT.validate(data)          # a dict of clean values, or ValidationError (422) listing every problem
    WORKOUT.json_schema()                  # the same rules as JSON Schema, for /openapi.json

Unknown fields are refused, never ignored. Query strings go through the same schemas with `coerce=True`, which
parses numbers and booleans from text.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from elior.errors import ValidationError

Loc = tuple[str | int, ...]
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
MISSING: Any = object()


class Problem(Exception):
    def __init__(self, msg: str, kind: str) -> None:
        self.msg, self.kind = msg, kind


@dataclass(frozen=True, kw_only=True)
class Field:
    required: bool = False
    nullable: bool = False
    default: Any = MISSING
    description: str | None = None

    def clean(self, value: Any, coerce: bool) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        result = self.schema()
        if self.nullable:
            result["type"] = [result["type"], "null"]
        if self.description:
            result["description"] = self.description
        if self.default is not MISSING and self.default is not None:
            result["default"] = self.default
        return result


@dataclass(frozen=True, kw_only=True)
class Str(Field):
    min_length: int = 0
    max_length: int = 2000
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    strip: bool = True

    def clean(self, value: Any, coerce: bool) -> Any:
        if not isinstance(value, str):
            raise Problem("must be a string", "type_error.str")
        if self.strip:
            value = value.strip()
        if "\x00" in value:
            raise Problem("must not contain NUL characters", "value_error.str")
        if self.enum is not None and value not in self.enum:
            raise Problem(f"must be one of: {', '.join(self.enum)}", "value_error.enum")
        if len(value) < self.min_length:
            raise Problem(f"must have at least {self.min_length} characters", "value_error.too_short")
        if len(value) > self.max_length:
            raise Problem(f"must have at most {self.max_length} characters", "value_error.too_long")
        if self.pattern and not re.fullmatch(self.pattern, value):
            raise Problem("has an invalid format", "value_error.pattern")
        return value

    def schema(self) -> dict[str, Any]:
        result: dict[str, Any] = {"type": "string", "maxLength": self.max_length}
        if self.min_length:
            result["minLength"] = self.min_length
        if self.enum is not None:
            result["enum"] = list(self.enum)
        if self.pattern:
            result["pattern"] = self.pattern
        return result


@dataclass(frozen=True, kw_only=True)
class Email(Str):
    max_length: int = 254

    def clean(self, value: Any, coerce: bool) -> Any:
        value = super().clean(value, coerce)
        if not EMAIL.match(value):
            raise Problem("is not a valid email address", "value_error.email")
        return value.lower()

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "email", "maxLength": self.max_length}


@dataclass(frozen=True, kw_only=True)
class Password(Str):
    """At least 8 characters and at most 72 bytes: bcrypt 5 raises beyond 72 bytes (see DESIGN.md)."""

    min_length: int = 8
    max_length: int = 1024
    max_bytes: int = 72
    strip: bool = False

    def clean(self, value: Any, coerce: bool) -> Any:
        value = super().clean(value, coerce)
        if len(value.encode("utf-8")) > self.max_bytes:
            raise Problem(f"must be at most {self.max_bytes} bytes in UTF-8", "value_error.too_long")
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "password", "minLength": self.min_length, "maxLength": self.max_bytes}


@dataclass(frozen=True, kw_only=True)
class Number(Field):
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False

    def clean(self, value: Any, coerce: bool) -> Any:
        if coerce and isinstance(value, str):
            try:
                value = int(value) if self.integer else float(value)
            except ValueError:
                raise Problem(f"must be {'an integer' if self.integer else 'a number'}", "type_error.number") from None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Problem(f"must be {'an integer' if self.integer else 'a number'}", "type_error.number")
        if self.integer and not isinstance(value, int):
            if not float(value).is_integer():
                raise Problem("must be an integer", "type_error.integer")
            value = int(value)
        if isinstance(value, float) and not math.isfinite(value):
            raise Problem("must be a finite number", "value_error.number")
        if self.minimum is not None and value < self.minimum:
            raise Problem(f"must be at least {self.minimum:g}", "value_error.number.too_small")
        if self.maximum is not None and value > self.maximum:
            raise Problem(f"must be at most {self.maximum:g}", "value_error.number.too_large")
        return value

    def schema(self) -> dict[str, Any]:
        result: dict[str, Any] = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            result["minimum"] = self.minimum
        if self.maximum is not None:
            result["maximum"] = self.maximum
        return result


@dataclass(frozen=True, kw_only=True)
class Int(Number):
    integer: bool = True
    minimum: float | None = -(2 ** 53)
    maximum: float | None = 2 ** 53


@dataclass(frozen=True, kw_only=True)
class Bool(Field):
    def clean(self, value: Any, coerce: bool) -> Any:
        if coerce and isinstance(value, str) and value.lower() in {"true", "false", "1", "0"}:
            return value.lower() in {"true", "1"}
        if not isinstance(value, bool):
            raise Problem("must be true or false", "type_error.bool")
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclass(frozen=True, kw_only=True)
class Date(Field):
    """A `YYYY-MM-DD` date, cleaned to `datetime.date`; `not_future` refuses dates after today (UTC)."""

    not_future: bool = False

    def clean(self, value: Any, coerce: bool) -> Any:
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise Problem("must be a date as YYYY-MM-DD", "type_error.date")
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            raise Problem("is not a valid date", "value_error.date") from None
        if self.not_future and parsed > dt.datetime.now(dt.timezone.utc).date():
            raise Problem("must not be in the future", "value_error.date.future")
        return parsed

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date"}


@dataclass(frozen=True, kw_only=True)
class DateTime(Field):
    """An ISO 8601 timestamp, cleaned to an aware UTC `datetime`; a time without an offset is taken as UTC."""

    not_future: bool = False

    def clean(self, value: Any, coerce: bool) -> Any:
        if not isinstance(value, str) or len(value) > 40:
            raise Problem("must be an ISO 8601 timestamp", "type_error.datetime")
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise Problem("is not a valid ISO 8601 timestamp", "value_error.datetime") from None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.timezone.utc)
        parsed = parsed.astimezone(dt.timezone.utc)
        # A few minutes of grace for clocks that run ahead of the server's.
        if self.not_future and parsed > dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5):
            raise Problem("must not be in the future", "value_error.datetime.future")
        return parsed

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date-time"}


@dataclass(frozen=True, kw_only=True)
class Object(Field):
    schema_: "Schema"

    def clean(self, value: Any, coerce: bool) -> Any:
        raise AssertionError("objects are cleaned by Schema._clean_into")

    def schema(self) -> dict[str, Any]:
        return {"$ref": f"#/components/schemas/{self.schema_.name}"}

    def json_schema(self) -> dict[str, Any]:
        ref = self.schema()
        return {"anyOf": [ref, {"type": "null"}]} if self.nullable else ref


@dataclass(frozen=True, kw_only=True)
class Array(Field):
    items: "Field | Schema"
    max_items: int = 100
    min_items: int = 0

    def clean(self, value: Any, coerce: bool) -> Any:
        raise AssertionError("arrays are cleaned by Schema._clean_into")

    def schema(self) -> dict[str, Any]:
        items = self.items
        item_schema = {"$ref": f"#/components/schemas/{items.name}"} if isinstance(items, Schema) \
            else items.json_schema()
        result: dict[str, Any] = {"type": "array", "items": item_schema, "maxItems": self.max_items}
        if self.min_items:
            result["minItems"] = self.min_items
        return result


@dataclass(frozen=True)
class Schema:
    name: str
    fields: Mapping[str, Field]
    description: str | None = None
    nested: tuple["Schema", ...] = field(default=(), compare=False)

    def validate(self, data: Any, *, coerce: bool = False, loc: Loc = ("body",)) -> dict[str, Any]:
        problems: list[dict[str, Any]] = []
        result = self._clean_object(data, coerce, loc, problems)
        if problems:
            raise ValidationError(problems)
        return result

    def _clean_object(self, data: Any, coerce: bool, loc: Loc, problems: list[dict[str, Any]]) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            problems.append({"loc": list(loc), "msg": "must be a JSON object", "type": "type_error.dict"})
            return {}
        result: dict[str, Any] = {}
        for key in data:
            if key not in self.fields:
                problems.append({"loc": [*loc, key], "msg": "is not a known field", "type": "value_error.extra"})
        for key, spec in self.fields.items():
            value = data.get(key, MISSING)
            if value is MISSING:
                if spec.required:
                    problems.append({"loc": [*loc, key], "msg": "is required", "type": "value_error.missing"})
                elif spec.default is not MISSING:
                    result[key] = spec.default
                continue
            if value is None:
                if spec.nullable:
                    result[key] = None
                else:
                    problems.append({"loc": [*loc, key], "msg": "must not be null", "type": "type_error.none"})
                continue
            result[key] = _clean_value(spec, value, coerce, (*loc, key), problems)
        return result

    def json_schema(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "type": "object",
            "properties": {key: spec.json_schema() for key, spec in self.fields.items()},
            "additionalProperties": False,
        }
        required = [key for key, spec in self.fields.items() if spec.required]
        if required:
            result["required"] = required
        if self.description:
            result["description"] = self.description
        return result

    def all_schemas(self) -> dict[str, "Schema"]:
        """This schema and every schema nested in it, by name (for the OpenAPI components)."""
        found = {self.name: self}
        for spec in self.fields.values():
            inner = spec.schema_ if isinstance(spec, Object) else spec.items if isinstance(spec, Array) else None
            if isinstance(inner, Schema):
                found.update(inner.all_schemas())
        return found

    def partial(self, name: str) -> "Schema":
        """The same fields, none required: the shape of an update that changes only what it names."""
        from dataclasses import replace
        return Schema(name, {key: replace(spec, required=False, default=MISSING) for key, spec in self.fields.items()},
                      self.description)


def _clean_value(spec: Field, value: Any, coerce: bool, loc: Loc, problems: list[dict[str, Any]]) -> Any:
    if isinstance(spec, Object):
        return spec.schema_._clean_object(value, coerce, loc, problems)
    if isinstance(spec, Array):
        if not isinstance(value, list):
            problems.append({"loc": list(loc), "msg": "must be a list", "type": "type_error.list"})
            return []
        if len(value) > spec.max_items:
            problems.append({"loc": list(loc), "msg": f"must have at most {spec.max_items} items",
                             "type": "value_error.list.too_long"})
            return []
        if len(value) < spec.min_items:
            problems.append({"loc": list(loc), "msg": f"must have at least {spec.min_items} items",
                             "type": "value_error.list.too_short"})
            return []
        items = spec.items
        if isinstance(items, Schema):
            return [items._clean_object(item, coerce, (*loc, i), problems) for i, item in enumerate(value)]
        return [_clean_value(items, item, coerce, (*loc, i), problems) for i, item in enumerate(value)]
    try:
        return spec.clean(value, coerce)
    except Problem as problem:
        problems.append({"loc": list(loc), "msg": problem.msg, "type": problem.kind})
        return None


# Query strings shared by every list endpoint of the contract.
PAGE = {
    "limit": Int(minimum=1, maximum=100, default=20, description="page size, at most 100"),
    "offset": Int(minimum=0, maximum=10 ** 9, default=0),
}


def ordering(*fields: str, default: str) -> Str:
    """`?order=field` or `?order=-field` over an allow-list: an unknown field is a 422, never ignored."""
    allowed = tuple(name for field_name in fields for name in (field_name, f"-{field_name}"))
    return Str(enum=allowed, default=default, description="sort field; prefix with - for descending")
