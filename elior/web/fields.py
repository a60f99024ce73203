"""The field types of request schemas: each cleans one value and describes itself as JSON Schema.

`elior.web.schema` combines them into objects; endpoints import both from there.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

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
    """At least 8 characters and at most 72 bytes: bcrypt 5 raises beyond 72 bytes."""

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
