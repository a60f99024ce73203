"""Searching a list by part of a text (`?q=`): the one LIKE escaper, for every query that matches with LIKE.

Every such query in `sql/` compares `lower(column) LIKE :pattern ESCAPE '!'`, with ESCAPE naming this character (a
test reads every .sql file to hold them to it). `!` rather than the usual backslash: it means nothing to SQLAlchemy
(whose text() escapes a colon with a backslash), to Python string literals or to PostgreSQL's string syntax, so the
pattern reads the same at every layer.
"""
from __future__ import annotations

ESCAPE = "!"


def contains(text: str) -> str:
    """A lower-case LIKE pattern matching `text` anywhere, its `%`, `_` and escape characters taken literally."""
    escaped = text.lower().replace(ESCAPE, ESCAPE * 2).replace("%", f"{ESCAPE}%").replace("_", f"{ESCAPE}_")
    return f"%{escaped}%"
