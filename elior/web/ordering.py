"""Sorting a list: `?order=field` or `?order=-field` over an allow-list the endpoint declares."""
from __future__ import annotations

from elior.web.fields import Str


def ordering(*fields: str, default: str) -> Str:
    """`?order=field` or `?order=-field` over an allow-list: an unknown field is a 422, never ignored."""
    allowed = tuple(name for field_name in fields for name in (field_name, f"-{field_name}"))
    return Str(enum=allowed, default=default, description="sort field; prefix with - for descending")
