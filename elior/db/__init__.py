"""The database layer: named SQL from sql/, the SQLite and PostgreSQL backends, migrations."""
