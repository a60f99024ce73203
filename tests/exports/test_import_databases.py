"""Import (issue 18) across databases: a SQLite studio's export goes into a PostgreSQL studio, whose export goes back
into a SQLite one, and each archive holds the same data as the one before it (modulo ids) and the same files."""
from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from elior.settings import Settings
from tests.conftest import ON_POSTGRES, fresh_postgres_database
from tests.exports.test_import import imported
from tests.exports.test_import_world import (
    KEY,
    build_client,
    elior,
    export,
    make_trainer,
    normalised,
    read,
    target_settings,
)
from tests.helpers import Studio, make_person

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL: set ELIOR_TEST_DATABASE_URL to a "
                                                        "postgresql:// URL to import between the two databases")


def test_sqlite_to_postgresql_and_back_keeps_every_row_and_file(settings: Settings, tmp_path: Path) -> None:
    with elior(target_settings(settings, tmp_path / "sqlite-1", key=KEY)) as source:
        trainer_a = make_person(source, "trainer", full_name="Trainer A")
        studio = Studio(make_person(source, "admin"), trainer_a, make_person(source, "trainer"),
                        make_person(source, "client", trainer=trainer_a, full_name="Client A1"),
                        make_person(source, "client", trainer=trainer_a), make_person(source, "client"))
        a1 = build_client(source, studio)
        first = export(source, a1.id, tmp_path / "from-sqlite.zip")
    with fresh_postgres_database(f"elior_import_{uuid.uuid4().hex[:8]}") as url:
        with elior(target_settings(settings, tmp_path / "postgresql", database_url=url)) as postgres:
            assert postgres.app.state.db.dialect == "postgresql"  # type: ignore[attr-defined]
            into_postgres = imported(postgres, first, trainer_email=make_trainer(postgres).email)
            second = export(postgres, into_postgres.client_id, tmp_path / "from-postgresql.zip")
    with elior(target_settings(settings, tmp_path / "sqlite-2")) as back:
        into_sqlite = imported(back, second, trainer_email=make_trainer(back).email)
        third = export(back, into_sqlite.client_id, tmp_path / "back-in-sqlite.zip")
    (one, one_files), (two, two_files), (three, three_files) = read(first), read(second), read(third)
    assert [name for name, rows in one["tables"].items() if not rows] == []
    assert normalised(two) == normalised(one, into_postgres)
    assert normalised(three) == normalised(two, into_sqlite)
    assert {into_postgres.ids["files"][old]: sha for old, sha in one_files.items()} == two_files
    assert {into_sqlite.ids["files"][old]: sha for old, sha in two_files.items()} == three_files
