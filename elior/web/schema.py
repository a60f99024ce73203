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

from dataclasses import dataclass, field
from typing import Any, Mapping

from elior.web.errors import ValidationError
from elior.web.fields import MISSING, Bool, Date, DateTime, Email, Field, Int, Number, Password, Problem, Str

# Endpoints import every building block of a schema from here.
__all__ = ["MISSING", "PAGE", "Array", "Bool", "Date", "DateTime", "Email", "Field", "Int", "Number", "Object",
           "Password", "Problem", "Schema", "Str"]
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
