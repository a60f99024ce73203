"""Where the service's own files live, beside the package: the one home of these folders for every layer."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = ROOT / "sql"  # one statement per file, named by its path (elior/db/database.py)
STATIC_DIR = ROOT / "static"  # the browser app and the API reference page
