"""The field types of request schemas: each cleans one value and describes itself as JSON Schema.

`elior.web.schema` combines them into objects; endpoints import both from there. A field's `example` is shown in
/openapi.json and /docs (a test checks that every example passes the field's own rules).
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
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
    example: Any = MISSING

    def clean(self, value: Any, coerce: bool) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        result = self.schema()
        if self.nullable:
            kinds = result["type"] if isinstance(result["type"], list) else [result["type"]]
            result["type"] = [*kinds, "null"] if "null" not in kinds else kinds
            if "enum" in result and None not in result["enum"]:  # else an enum's check would refuse the null
                result["enum"] = [*result["enum"], None]
        if self.description:
            result["description"] = self.description
        if self.default is not MISSING and self.default is not None:
            result["default"] = self.default
        if self.example is not MISSING:
            result["examples"] = [self.example]
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
        if len(value) > self.max_length:  # before stripping: the limit is the documented maxLength of what is sent
            raise Problem(f"must have at most {self.max_length} characters", "value_error.too_long")
        if self.strip:
            value = value.strip()
        if "\x00" in value:
            raise Problem("must not contain NUL characters", "value_error.str")
        if self.enum is not None and value not in self.enum:
            raise Problem(f"must be one of: {', '.join(self.enum)}", "value_error.enum")
        if len(value) < self.min_length:
            raise Problem(f"must have at least {self.min_length} characters", "value_error.too_short")
        if self.pattern and not re.fullmatch(self.pattern, value):
            raise Problem("has an invalid format", "value_error.pattern")
        return value

    def schema(self) -> dict[str, Any]:
        result: dict[str, Any] = {"type": "string"}
        if self.enum is None:  # a list of values says more than a length
            result["maxLength"] = self.max_length
        if self.min_length:
            result["minLength"] = self.min_length
        if self.enum is not None:
            result["enum"] = list(self.enum)
            names = enum_names(self.enum)
            if names is not None:
                result["x-enum-varnames"] = names
        if self.pattern:
            result["pattern"] = f"^(?:{self.pattern})$"  # JSON Schema searches; clean() matches the whole value
        return result


def enum_names(values: tuple[str, ...]) -> list[str] | None:
    """Unique identifiers for enum values that client generators would otherwise name alike, else None.

    Generators (openapi-python-client among them) name a member by upper-casing its value, so `DEBUG` and `debug`
    would both be `DEBUG` and generation stops. `x-enum-varnames` gives each value a distinct name instead."""
    plain = [re.sub(r"\W+", "_", value).strip("_").upper() for value in values]
    if len(set(plain)) == len(plain):
        return None
    names: list[str] = []
    for index, (value, name) in enumerate(zip(values, plain)):
        name = name if name and name[0].isalpha() else f"VALUE_{name or index}"
        if name in names:
            by_case = value.islower() and value.upper() in values and f"{name}_LOWERCASE" not in names
            name = f"{name}_LOWERCASE" if by_case else f"{name}_{index}"
        names.append(name)
    return names


def normalize_email(value: str) -> str:
    """The one spelling of an address that uniqueness and lookups compare: NFKC, case-folded, NFKC again (folding
    can undo NFKC), then lower-cased, so that the stored value passes the tables' `email = lower(email)` check
    (Cherokee letters fold to upper case). "Ｅｖｅ@Example.test" and "eve@example.test" are one address; so are
    "STRASSE@x.test" and "straße@x.test". Idempotent for every code point."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())
    return folded.lower()


@dataclass(frozen=True, kw_only=True)
class Email(Str):
    """An address, cleaned to its normalised spelling (normalize_email) before anything compares or stores it."""

    max_length: int = 254

    def clean(self, value: Any, coerce: bool) -> Any:
        value = normalize_email(super().clean(value, coerce))
        if len(value) > self.max_length:  # NFKC can lengthen ("\ufdfa" is 18 characters); the column holds 254
            raise Problem(f"must have at most {self.max_length} characters once normalised", "value_error.too_long")
        if not EMAIL.match(value):  # after NFKC: a full-width "＠" is an "@", a no-break space a space
            raise Problem("is not a valid email address", "value_error.email")
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "email", "maxLength": self.max_length}


@dataclass(frozen=True, kw_only=True)
class Password(Str):
    """8 characters to 1,024 bytes of UTF-8, kept whole: elior.accounts.passwords pre-hashes before bcrypt, whose
    own limit is 72 bytes."""

    min_length: int = 8
    max_length: int = 1024
    max_bytes: int = 1024
    strip: bool = False

    def clean(self, value: Any, coerce: bool) -> Any:
        value = super().clean(value, coerce)
        if len(value.encode("utf-8")) > self.max_bytes:
            raise Problem(f"must be at most {self.max_bytes} bytes in UTF-8", "value_error.too_long")
        return value

    def schema(self) -> dict[str, Any]:
        # maxLength counts characters (JSON Schema has no byte length): 1,024 characters, of which clean() allows
        # as many as fit in 1,024 bytes.
        return {"type": "string", "format": "password", "minLength": self.min_length, "maxLength": self.max_length}


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
        if self.example is MISSING and (self.minimum is None or self.minimum <= -(2 ** 53)):
            # Readers show an example from the bounds; the default lower bound would show as -9007199254740992.
            result["examples"] = [1 if self.maximum is None or self.maximum >= 1 else self.maximum]
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
        try:
            parsed = parsed.astimezone(dt.timezone.utc)
        except OverflowError:  # `9999-12-31T23:59:59-23:59` is a moment after the last one Python can hold in UTC
            raise Problem("lies outside the years 0001 to 9999 once converted to UTC",
                          "value_error.datetime.range") from None
        # A few minutes of grace for clocks that run ahead of the server's.
        if self.not_future and parsed > dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5):
            raise Problem("must not be in the future", "value_error.datetime.future")
        return parsed

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date-time"}


@dataclass(frozen=True, kw_only=True)
class Binary(Field):
    """A file part of a multipart body. Described only: the endpoint streams the bytes itself (elior.media.uploads)."""

    media_type: str = "application/octet-stream"

    def clean(self, value: Any, coerce: bool) -> Any:
        raise Problem("must be sent as a file part of a multipart/form-data body", "type_error.file")

    def schema(self) -> dict[str, Any]:
        # `format: binary` is what OpenAPI 3.0 tools read; `contentMediaType` is the 3.1 spelling.
        return {"type": "string", "format": "binary", "contentMediaType": self.media_type}
