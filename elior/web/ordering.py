"""Sorting a list: `?order=field` or `?order=-field` over an allow-list the list declares once.

An `Ordering` is that allow-list. It gives the query schema its `order` field (an unknown value is a 422, never
ignored), and the validated value itself is what the SQL receives, bound as `:sort`: the list's ORDER BY is written
once, in `sql/shared/<fragment>.sql`, as one `CASE WHEN :sort = 'title' ...` branch per allowed value. Python and SQL
agree by spelling the same names, not by counting positions the same way (a reordered tuple cannot silently swap two
sorts), and tests/training/test_listing.py checks that every declared ordering and its fragment list the same values.
"""
from __future__ import annotations

from dataclasses import dataclass

from elior.web.fields import Str

DECLARED: dict[str, Ordering] = {}  # fragment name -> ordering, for the test that ties each to its SQL


@dataclass(frozen=True)
class Ordering:
    fragment: str  # sql/shared/<fragment>.sql holds the ORDER BY, spliced as {{ <fragment> }}
    fields: tuple[str, ...]
    default: str

    def __post_init__(self) -> None:
        if self.default not in self.values:
            raise ValueError(f"default order {self.default!r} is not one of {self.values}")
        if self.fragment in DECLARED:
            raise ValueError(f"two orderings share the fragment {self.fragment!r}")
        DECLARED[self.fragment] = self

    @property
    def values(self) -> tuple[str, ...]:
        """Every accepted `?order=`: each field ascending, then descending (`-field`)."""
        return tuple(name for field_name in self.fields for name in (field_name, f"-{field_name}"))

    def field(self) -> Str:
        """The `order` field of the list's query schema."""
        return Str(enum=self.values, default=self.default, description="sort field; prefix with - for descending")
