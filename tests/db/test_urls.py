"""The one reading of DATABASE_URL (elior.db.urls) and the PostgreSQL statement compiler (elior.db.postgres)."""
from __future__ import annotations

from pathlib import Path

import pytest

from elior.db.postgres import Statement
from elior.db.urls import dialect, sqlite_path


@pytest.mark.parametrize("url, expected", [
    ("postgresql://u:p@h:5432/db", "postgresql"), ("postgres://u@h/db", "postgresql"),
    ("postgresql+asyncpg://h/db", "postgresql"), ("POSTGRESQL://h/db", "postgresql"),
    ("sqlite:///data/elior.db", "sqlite"), ("sqlite+elior:////tmp/x.db", "sqlite"),
])
def test_dialect_of_each_spelling(url: str, expected: str) -> None:
    assert dialect(url) == expected


def test_sqlite_path_reads_the_path_after_the_third_slash() -> None:
    assert sqlite_path("sqlite:///data/elior.db") == Path("data/elior.db")
    assert sqlite_path("sqlite:////srv/elior/data.db") == Path("/srv/elior/data.db")
    assert sqlite_path("sqlite:///with%20space.db") == Path("with space.db")
    assert sqlite_path("postgresql://h/db") is None


def test_settings_and_the_database_read_the_url_alike(tmp_path: Path) -> None:
    from elior.db.database import Database
    from elior.settings import Settings

    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert Database(url).dialect == Settings(database_url=url).dialect == dialect(url)
    assert Database(url).path == sqlite_path(url) == tmp_path / "x.db"


def test_postgres_statements_number_parameters_as_sqlalchemy_text_does() -> None:
    statement = Statement("SELECT :a, x::int, :b, :a FROM t WHERE y = '\\:c' AND z = :b_2")
    assert statement.sql == "SELECT $1, x::int, $2, $1 FROM t WHERE y = ':c' AND z = $3"
    assert statement.names == ("a", "b", "b_2")
    assert statement.args({"a": 1, "b": 2, "b_2": 3, "unused": 4}) == [1, 2, 3]
    with pytest.raises(KeyError, match=":b_2"):
        statement.args({"a": 1, "b": 2})
