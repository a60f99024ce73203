"""Rate limits: a token bucket per user (signed in) or per address (anonymous) over /api/, 429 with Retry-After."""
from __future__ import annotations

from typing import Iterator

import pytest
from starlette.testclient import TestClient

from elior.app import create_app
from elior.settings import Settings
from elior.web.ratelimit import TokenBuckets
from elior.web.responses import JSONResponse
from elior.web.routing import SIGNED_IN, Call, api
from tests.helpers import Studio, assert_error, make_person

BURST = 5


@pytest.fixture
def limited(settings: Settings) -> Iterator[TestClient]:
    """An app allowing 6 requests a minute (one every 10 s) with bursts of 5."""
    app = create_app(settings.with_overrides(rate_limit_per_minute=6, rate_limit_burst=BURST))

    async def probe(call: Call) -> JSONResponse:
        return JSONResponse({"user": call.user.id})

    app.router.routes.insert(0, api("GET", "/api/probe", probe, access=SIGNED_IN))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_bucket_grants_the_burst_then_refuses() -> None:
    buckets = TokenBuckets(per_minute=60, burst=3)
    assert [buckets.take("k", now=100.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("k", now=100.0) == pytest.approx(1.0)


def test_bucket_refills_at_the_configured_rate() -> None:
    buckets = TokenBuckets(per_minute=60, burst=2)
    buckets.take("k", now=0.0)
    buckets.take("k", now=0.0)
    assert buckets.take("k", now=0.5) == pytest.approx(0.5)
    assert buckets.take("k", now=1.0) == 0.0


def test_bucket_never_holds_more_than_the_burst() -> None:
    buckets = TokenBuckets(per_minute=60, burst=2)
    buckets.take("k", now=0.0)
    granted = [buckets.take("k", now=3600.0) for _ in range(3)]
    assert granted[:2] == [0.0, 0.0] and granted[2] > 0


def test_bucket_memory_is_bounded() -> None:
    buckets = TokenBuckets(per_minute=60, burst=2, max_buckets=100)
    for key in range(1000):
        buckets.take(key, now=0.0)
    assert len(buckets) == 100


def test_user_past_the_burst_gets_429_with_retry_after(limited: TestClient) -> None:
    person = make_person(limited, "trainer")
    statuses = [limited.get("/api/probe", headers=person.headers).status_code for _ in range(BURST)]
    assert statuses == [200] * BURST
    response = limited.get("/api/probe", headers=person.headers)
    body = assert_error(response, 429)
    assert "too many requests" in body["detail"]
    assert 1 <= int(response.headers["retry-after"]) <= 10


def test_one_user_does_not_starve_another(limited: TestClient) -> None:
    greedy, patient = make_person(limited, "client"), make_person(limited, "client")
    for _ in range(BURST + 3):
        limited.get("/api/probe", headers=greedy.headers)
    assert limited.get("/api/probe", headers=patient.headers).status_code == 200


def test_anonymous_requests_are_limited_per_address(limited: TestClient) -> None:
    statuses = [limited.get("/api/probe").status_code for _ in range(BURST + 1)]
    assert statuses == [401] * BURST + [429]
    other = limited.get("/api/probe", headers={"X-Forwarded-For": "ignored"})  # TestClient's address is fixed
    assert other.status_code == 429


def test_signed_in_users_do_not_share_their_address_bucket(limited: TestClient) -> None:
    for _ in range(BURST + 1):
        limited.get("/api/probe")  # the address's bucket is now empty
    person = make_person(limited, "trainer")
    assert limited.get("/api/probe", headers=person.headers).status_code == 200


def test_health_and_the_app_are_never_limited(limited: TestClient) -> None:
    for _ in range(BURST * 3):
        assert limited.get("/health").status_code == 200
        assert limited.get("/some/page").status_code == 200


def test_zero_per_minute_turns_limits_off(settings: Settings) -> None:
    app = create_app(settings.with_overrides(rate_limit_per_minute=0, rate_limit_burst=1))
    with TestClient(app, raise_server_exceptions=False) as client:
        statuses = {client.get("/api/nothing-here").status_code for _ in range(20)}
    assert statuses == {404}


def test_default_settings_allow_a_busy_user(client: TestClient, studio: Studio) -> None:
    # The defaults (600 a minute, bursts of 200) let a busy app page through a hundred requests at once.
    statuses = {client.get("/api/system/metrics", headers=studio.admin.headers).status_code for _ in range(100)}
    assert statuses == {200}
