"""The row type both database backends return."""
from __future__ import annotations

from typing import Any


class Row(dict):  # type: ignore[type-arg]
    """A result row: a dict by column name that also answers `row[0]` and `row._mapping` like `databases` rows."""

    @property
    def _mapping(self) -> "Row":
        return self

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, int):
            return list(self.values())[key]
        return super().__getitem__(key)
