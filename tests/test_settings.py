"""Settings come from the environment only, with safe defaults and a refusal to start insecurely in production."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from elior.settings import Settings, SettingsError, ensure_secret_key


def test_defaults_serve_sqlite_under_data() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == "sqlite:///data/elior.db"
    assert settings.port == 8000 and settings.host == "127.0.0.1"
    assert settings.access_token_expire_minutes == 15 and settings.refresh_token_expire_days == 30
    assert settings.max_upload_mb == 10 and settings.algorithm == "HS256"


def test_port_and_database_url_from_environment() -> None:
    settings = Settings.from_env({"PORT": "9001", "DATABASE_URL": "postgres://u@h:5432/d", "POOL_SIZE": "3"})
    assert settings.port == 9001
    assert settings.database_url == "postgresql://u@h:5432/d" and settings.dialect == "postgresql"
    assert settings.pool_size == 3


@pytest.mark.parametrize("secret", ["", "changeme", "short-but-not-default"])
def test_production_refuses_a_missing_default_or_short_secret(secret: str) -> None:
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        Settings.from_env({"ENVIRONMENT": "production", "SECRET_KEY": secret})


def test_production_accepts_a_long_secret() -> None:
    settings = Settings.from_env({"ENVIRONMENT": "production", "SECRET_KEY": "x" * 40})
    assert settings.is_production


def test_bad_number_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="PORT"):
        Settings.from_env({"PORT": "eighty"})


def test_development_secret_is_made_once_and_kept_private(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = ensure_secret_key(settings)
    second = ensure_secret_key(settings)
    assert len(first.secret_key) >= 32 and first.secret_key == second.secret_key
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600
