"""How one setting is declared: `setting(ENV_NAME, default, doc)` and the casts that read its text.

Kept apart from elior/settings.py, which holds the settings themselves: the list of them is long, and this is the
small machinery each one uses.
"""
from __future__ import annotations

from dataclasses import field
from typing import Any, Callable

from starlette.datastructures import CommaSeparatedStrings


def as_bool(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def as_list(value: str) -> tuple[str, ...]:
    return tuple(origin.strip() for origin in CommaSeparatedStrings(value) if origin.strip())


def as_optional(value: str) -> str | None:
    return value or None


def setting(env: str, default: Any, doc: str, *, cast: Callable[[Any], Any] | None = None,
            shown_default: str | None = None) -> Any:
    """A dataclass field that knows its environment variable, how to read it, and how the docs describe it."""
    metadata = {"env": env, "doc": doc, "cast": cast, "shown_default": shown_default}
    return field(default=default, metadata=metadata)
