"""The audit tests' helpers: raw SQL on the app's database, the access log flushed, a client's log read back."""
from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from tests.helpers import Person, run


def raw_all(client: TestClient, sql: str, **values: Any) -> list[dict[str, Any]]:
    rows = run(client, client.app.state.db.raw.fetch_all, sql, values)  # type: ignore[attr-defined]
    return [dict(row._mapping) for row in rows]


def raw_execute(client: TestClient, sql: str, **values: Any) -> Any:
    return run(client, client.app.state.db.raw.execute, sql, values)  # type: ignore[attr-defined]


def flush(client: TestClient) -> int:
    """Write what the access log has queued now, instead of waiting for its writer's next second."""
    return run(client, client.app.state.access_log.flush)  # type: ignore[attr-defined,no-any-return]


def log_of(client: TestClient, who: Person, reader: Person | None = None, **query: Any) -> dict[str, Any]:
    flush(client)
    response = client.get(f"/api/clients/{who.id}/access-log", params=query, headers=(reader or who).headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def kinds(page: dict[str, Any]) -> list[tuple[int | None, str]]:
    return sorted((item["actor_id"], item["kind"]) for item in page["items"])
