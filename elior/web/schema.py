"""Declarative request schemas: one object per body or query that both validates and describes itself.

    WORKOUT = Schema("WorkoutCreate", {
        "client_id": Int(required=True, minimum=1),
        "title": Str(required=True, max_length=200),
        "scheduled_for": Date(required=True),
    })
    body = WORKOUT.validate(data)          # a dict of clean values, or ValidationError (422) listing every problem
    WORKOUT.json_schema()                  # the same rules as JSON Schema, for /openapi.json
    WORKOUT.example()                      # a body that passes them, for the examples of /docs

Unknown fields are refused, never ignored. Query strings go through the same schemas with `coerce=True`, which
parses numbers and booleans from text.

Hand-written rather than a library's (jsonschema, pydantic): one pass reports every problem with its location in the
contract's `{"loc", "msg", "type"}` shape, and the description that /openapi.json publishes is derived from the very
objects that validate, so the two cannot drift apart.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from elior.web.errors import ValidationError
from elior.web.fields import MISSING, Binary, Bool, Date, DateTime, Email, Field, Int, Number, Password, Problem, Str

# Endpoints import every building block of a schema from here.
__all__ = ["MISSING", "PAGE", "Array", "Binary", "Bool", "Date", "DateTime", "Email", "Field", "Int", "Number",
           "Object", "Password", "Problem", "Schema", "Str"]
Loc = tuple[str | int, ...]


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
        if not isinstance(data, dict):  # JSON objects and query strings arrive as dicts; typing.Mapping costs ~20 us
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
        return Schema(name, {key: replace(spec, required=False, default=MISSING) for key, spec in self.fields.items()},
                      self.description)

    def extend(self, name: str, fields: Mapping[str, Field], description: str | None = None) -> "Schema":
        """These fields and more (a multipart form: the validated text fields plus the file part)."""
        return Schema(name, {**self.fields, **fields}, description or self.description, self.nested)

    def example(self) -> dict[str, Any]:
        """A value that passes this schema: the required fields and those with an `example`, or every field when
        that leaves nothing (an update), each from its `example` or made from its type and limits."""
        fields = {key: spec for key, spec in self.fields.items() if not isinstance(spec, Binary)}  # bytes: no JSON
        chosen = {key: spec for key, spec in fields.items() if spec.required or spec.example is not MISSING}
        values = {key: example_value(spec) for key, spec in (chosen or fields).items()}
        return {key: value for key, value in values.items() if value is not MISSING}


EXAMPLE_DAY = dt.date(2026, 1, 15)  # in the past, so that "not in the future" fields take it too


def example_value(spec: "Field | Schema") -> Any:
    """One JSON value for a field: its own `example` when it has one, MISSING when none can be made."""
    if isinstance(spec, Schema):
        return spec.example()
    if spec.example is not MISSING:
        return spec.example
    if spec.default is not MISSING and spec.default is not None:
        return list(spec.default) if isinstance(spec.default, tuple) else spec.default  # as JSON has it
    if isinstance(spec, Object):
        return spec.schema_.example()
    if isinstance(spec, Array):
        return [example_value(spec.items) for _ in range(spec.min_items)]
    if isinstance(spec, Email):
        return "client@example.com"
    if isinstance(spec, Password):
        return "correct horse battery"
    if isinstance(spec, Str):
        if spec.enum:
            return spec.enum[0]
        if spec.pattern:
            return MISSING  # no guess at a format: such a field shows an example only when it declares one
        return "text".ljust(spec.min_length, "x")[:spec.max_length]
    if isinstance(spec, Number):
        low = spec.minimum if spec.minimum is not None and spec.minimum > -(2 ** 53) else 1
        value = min(max(low, 1), spec.maximum) if spec.maximum is not None else max(low, 1)
        return int(value) if spec.integer else float(value)
    if isinstance(spec, Bool):
        return False
    if isinstance(spec, DateTime):
        return f"{EXAMPLE_DAY.isoformat()}T10:00:00Z"
    if isinstance(spec, Date):
        return EXAMPLE_DAY.isoformat()
    return None


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
