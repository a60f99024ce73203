"""The token lifecycle: login, refresh rotation, reuse detection, logout, expiry, tampering, other logins ending."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import time
import warnings
from pathlib import Path
from typing import Any, Iterator

import hypothesis
import jwt
import pytest
from hypothesis import strategies as st
from jwt.warnings import InsecureKeyLengthWarning
from starlette.testclient import TestClient

from elior.app import create_app
from elior.settings import Settings
from elior.web import auth
from elior.web.tokens import hash_token
from tests.helpers import PASSWORD, Person, Studio, assert_error, run


def login(client: TestClient, person: Person, password: str = PASSWORD) -> dict[str, Any]:
    response = client.post("/api/auth/login", json={"email": person.email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def refresh(client: TestClient, tokens: dict[str, Any]) -> Any:
    return client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})


def claims_of(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})  # type: ignore[no-any-return]


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_login_answers_a_token_pair_and_the_user(client: TestClient, studio: Studio) -> None:
    tokens = login(client, studio.client_a1)
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 15 * 60
    assert tokens["user"]["id"] == studio.client_a1.id and "password_hash" not in tokens["user"]
    claims = claims_of(tokens["access_token"])
    assert {"sub", "role", "iat", "exp", "jti", "typ"} <= set(claims) and claims["typ"] == "access"
    assert client.get("/api/auth/me", headers=bearer(tokens)).json()["id"] == studio.client_a1.id


def test_refresh_tokens_are_stored_only_as_hashes(client: TestClient, studio: Studio) -> None:
    tokens = login(client, studio.client_a1)
    db = client.app.state.db  # type: ignore[attr-defined]
    assert run(client, db.fetch_one, "accounts.auth.refresh_lookup", token_hash=hash_token(tokens["refresh_token"]))
    assert run(client, db.fetch_one, "accounts.auth.refresh_lookup", token_hash=tokens["refresh_token"]) is None
    if db.path is not None:  # on SQLite, the plain token is nowhere in the database's files either
        stored = b"".join(path.read_bytes() for path in Path(db.path).parent.glob(Path(db.path).name + "*"))
        assert tokens["refresh_token"].encode() not in stored


def test_refresh_rotates_and_the_old_token_dies(client: TestClient, studio: Studio) -> None:
    first = login(client, studio.client_a1)
    response = refresh(client, first)
    assert response.status_code == 200
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert claims_of(second["access_token"])["sid"] == claims_of(first["access_token"])["sid"]
    assert client.get("/api/auth/me", headers=bearer(second)).status_code == 200
    assert refresh(client, second).status_code == 200  # the new one works once


def test_reused_refresh_token_revokes_the_whole_login(client: TestClient, studio: Studio) -> None:
    first = login(client, studio.client_a1)
    second = refresh(client, first).json()
    assert_error(refresh(client, first), 401)  # the rotated token again: reuse
    assert_error(client.get("/api/auth/me", headers=bearer(second)), 401)
    assert_error(refresh(client, second), 401)


def test_reuse_leaves_the_accounts_other_logins_alone(client: TestClient, studio: Studio) -> None:
    other = login(client, studio.client_a1)
    first = login(client, studio.client_a1)
    refresh(client, first)
    assert_error(refresh(client, first), 401)
    assert client.get("/api/auth/me", headers=bearer(other)).status_code == 200


def test_logout_ends_the_access_and_refresh_tokens_at_once(client: TestClient, studio: Studio) -> None:
    tokens = login(client, studio.client_a1)
    other = login(client, studio.client_a1)
    assert client.get("/api/auth/me", headers=bearer(tokens)).status_code == 200  # cached as valid
    response = client.post("/api/auth/logout", headers=bearer(tokens))
    assert response.status_code == 204 and response.content == b""
    assert_error(client.get("/api/auth/me", headers=bearer(tokens)), 401)
    assert_error(refresh(client, tokens), 401)
    assert client.get("/api/auth/me", headers=bearer(other)).status_code == 200


def test_logout_needs_a_token(client: TestClient) -> None:
    assert_error(client.post("/api/auth/logout"), 401)


def test_expired_access_token_is_anonymous(client: TestClient, studio: Studio) -> None:
    claims = claims_of(studio.client_a1.token)
    claims.update(iat=int(time.time()) - 3600, exp=int(time.time()) - 60)
    token = jwt.encode(claims, client.app.state.settings.secret_key, algorithm="HS256")  # type: ignore[attr-defined]
    assert_error(client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}), 401)


def test_expired_refresh_token_is_refused(settings: Settings, studio: Studio) -> None:
    app = create_app(settings.with_overrides(refresh_token_expire_days=0))
    with TestClient(app) as short_lived:
        tokens = login(short_lived, studio.client_a1)
        assert_error(refresh(short_lived, tokens), 401)


def test_alg_none_token_is_refused(client: TestClient, studio: Studio) -> None:
    claims = claims_of(studio.admin.token)
    token = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."
    assert_error(client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}), 401)


def test_token_signed_with_another_key_is_refused(client: TestClient, studio: Studio) -> None:
    token = jwt.encode(claims_of(studio.admin.token), "another-key-of-the-same-length-as-the-real-one", "HS256")
    assert_error(client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}), 401)


def test_token_with_another_algorithm_is_refused(client: TestClient, studio: Studio) -> None:
    secret = client.app.state.settings.secret_key  # type: ignore[attr-defined]
    with warnings.catch_warnings():  # pyjwt warns that the key is short for HS512: this token is an attack anyway
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        token = jwt.encode(claims_of(studio.admin.token), secret, algorithm="HS512")
    assert_error(client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}), 401)


def test_refresh_token_used_as_access_token_is_refused(client: TestClient, studio: Studio) -> None:
    tokens = login(client, studio.admin)
    assert_error(client.get("/api/auth/me", headers={"Authorization": f"Bearer {tokens['refresh_token']}"}), 401)


def test_access_token_used_as_refresh_token_is_refused(client: TestClient, studio: Studio) -> None:
    tokens = login(client, studio.admin)
    assert_error(client.post("/api/auth/refresh", json={"refresh_token": tokens["access_token"]}), 401)


def test_signed_token_of_another_type_is_refused(client: TestClient, studio: Studio) -> None:
    secret = client.app.state.settings.secret_key  # type: ignore[attr-defined]
    token = jwt.encode({**claims_of(studio.admin.token), "typ": "refresh"}, secret, algorithm="HS256")
    assert_error(client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}), 401)


def test_garbled_tokens_are_anonymous(client: TestClient) -> None:
    for header in ("Bearer ", "Bearer x.y.z", "Bearer " + "a" * 5000, "Basic dXNlcjpwYXNz", "Bearer \u00e9"):
        assert_error(client.get("/api/auth/me", headers={"Authorization": header.encode()}), 401)


def test_role_claim_is_not_trusted(client: TestClient, studio: Studio) -> None:
    """Even a validly signed token cannot raise its role: the role is read from the account."""
    secret = client.app.state.settings.secret_key  # type: ignore[attr-defined]
    token = jwt.encode({**claims_of(studio.client_a1.token), "role": "admin"}, secret, algorithm="HS256")
    assert_error(client.get("/api/users", headers={"Authorization": f"Bearer {token}"}), 403)


def test_token_naming_another_users_login_is_refused(client: TestClient, studio: Studio) -> None:
    secret = client.app.state.settings.secret_key  # type: ignore[attr-defined]
    token = jwt.encode({**claims_of(studio.admin.token), "sub": str(studio.client_a1.id)}, secret, algorithm="HS256")
    assert_error(client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}), 401)


def test_password_change_ends_the_other_logins(client: TestClient, studio: Studio) -> None:
    mine, other = login(client, studio.client_a1), login(client, studio.client_a1)
    response = client.post("/api/auth/password", headers=bearer(mine),
                           json={"current_password": PASSWORD, "new_password": "a brand new password"})
    assert response.status_code == 204
    assert client.get("/api/auth/me", headers=bearer(mine)).status_code == 200
    assert_error(client.get("/api/auth/me", headers=bearer(other)), 401)
    assert_error(refresh(client, other), 401)
    assert refresh(client, mine).status_code == 200
    login(client, studio.client_a1, "a brand new password")
    assert_error(client.post("/api/auth/login", json={"email": studio.client_a1.email, "password": PASSWORD}), 401)


@pytest.fixture
def two_processes(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, TestClient]]:
    """Two apps on one database, as two server processes would be, with a short login cache."""
    monkeypatch.setattr(auth, "SESSION_TTL_SECONDS", 0.2)
    with TestClient(create_app(settings)) as first, TestClient(create_app(settings)) as second:
        yield first, second


def test_logout_holds_in_another_process(two_processes: tuple[TestClient, TestClient]) -> None:
    from tests.helpers import make_person

    first, second = two_processes
    person = make_person(first, "client")
    tokens = login(first, person)
    assert second.get("/api/auth/me", headers=bearer(tokens)).status_code == 200  # now cached in the second
    assert first.post("/api/auth/logout", headers=bearer(tokens)).status_code == 204
    time.sleep(0.3)  # the other process's cache bound (SESSION_TTL_SECONDS, shortened here)
    assert_error(second.get("/api/auth/me", headers=bearer(tokens)), 401)
    assert_error(second.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]}), 401)


# --- token answers are not kept (RFC 6749 5.1) ---

def test_login_and_refresh_answers_are_never_cached(client: TestClient, studio: Studio) -> None:
    answers = {"login": client.post("/api/auth/login", json={"email": studio.client_a1.email, "password": PASSWORD})}
    answers["form login"] = client.post("/api/auth/login", data={"username": studio.client_a1.email,
                                                                 "password": PASSWORD})
    answers["refresh"] = refresh(client, answers["login"].json())
    for name, answer in answers.items():
        assert answer.status_code == 200, name
        assert answer.headers["cache-control"] == "no-store", name
        assert answer.headers["pragma"] == "no-cache", name


# --- a 401 says why (RFC 6750 3) ---

def challenge(response: Any) -> dict[str, str]:
    """The parameters of a `WWW-Authenticate: Bearer ...` challenge."""
    header = response.headers["www-authenticate"]
    assert header.split(" ")[0] == "Bearer", header
    return dict(re.findall(r'(\w+)="([^"]*)"', header))


def test_no_token_is_a_bare_challenge(client: TestClient) -> None:
    response = client.get("/api/auth/me")
    assert "sign in" in assert_error(response, 401)["detail"]
    assert response.headers["www-authenticate"] == "Bearer"  # no error code when no credentials were sent (3.1)


def test_an_expired_token_says_refresh(client: TestClient, studio: Studio) -> None:
    claims = claims_of(studio.client_a1.token)
    claims.update(iat=int(time.time()) - 3600, exp=int(time.time()) - 60)
    token = jwt.encode(claims, client.app.state.settings.secret_key, algorithm="HS256")  # type: ignore[attr-defined]
    response = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    detail = assert_error(response, 401)["detail"]
    params = challenge(response)
    assert params["error"] == "invalid_token" and "expired" in params["error_description"]
    assert "/api/auth/refresh" in params["error_description"] and detail == params["error_description"]


def test_a_revoked_token_says_sign_in_again(client: TestClient, studio: Studio) -> None:
    tokens = login(client, studio.client_a1)
    assert client.post("/api/auth/logout", headers=bearer(tokens)).status_code == 204
    response = client.get("/api/auth/me", headers=bearer(tokens))
    params = challenge(response)
    assert params["error"] == "invalid_token" and "revoked" in params["error_description"]
    assert "sign in again" in assert_error(response, 401)["detail"]


@pytest.mark.parametrize("token", ["x.y.z", "a" * 500, "not-a-jwt"])
def test_a_malformed_token_says_sign_in_again(client: TestClient, token: str) -> None:
    response = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    params = challenge(response)
    assert params["error"] == "invalid_token" and "malformed" in params["error_description"]
    assert_error(response, 401)


def test_a_forged_token_is_malformed_not_expired(client: TestClient, studio: Studio) -> None:
    """Expired is said only of a token this server signed: a forged old token must not send anyone to refresh."""
    claims = {**claims_of(studio.admin.token), "exp": int(time.time()) - 60}
    token = jwt.encode(claims, "another-key-of-the-same-length-as-the-real-one", "HS256")
    assert "malformed" in challenge(client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}))[
        "error_description"]


@pytest.mark.parametrize("case,word", [("unknown", "not one this server issued"), ("reused", "already used"),
                                       ("revoked", "revoked"), ("expired", "expired")])
def test_a_refused_refresh_says_why(settings: Settings, studio: Studio, case: str, word: str) -> None:
    days = 0 if case == "expired" else 30
    with TestClient(create_app(settings.with_overrides(refresh_token_expire_days=days))) as http:
        tokens = login(http, studio.client_a1)
        presented = {"refresh_token": "rt_" + "x" * 43 if case == "unknown" else tokens["refresh_token"]}
        if case == "reused":
            assert http.post("/api/auth/refresh", json=presented).status_code == 200
        if case == "revoked":
            assert http.post("/api/auth/logout", headers=bearer(tokens)).status_code == 204
        response = http.post("/api/auth/refresh", json=presented)
        params = challenge(response)
        assert params["error"] == "invalid_token" and word in params["error_description"]
        assert "sign in again" in assert_error(response, 401)["detail"]


# --- The HMAC verifier of elior.web.tokens against pyjwt's own, token for token (speed, issue 13) ---

def _signed(claims: dict[str, Any], secret: str, algorithm: str = "HS256", **header: Any) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        return jwt.encode(claims, secret, algorithm=algorithm, headers=header or None)


def _good_claims(now: int) -> dict[str, Any]:
    """The claims of a valid access token issued at `now`."""
    return {"sub": "7", "role": "client", "sid": 3, "iat": now, "exp": now + 600, "jti": "j" * 32, "typ": "access"}


def _hand_signed(header: str, payload: str, secret: str) -> str:
    """A token whose header segment is `header` as written, signed with HS256 over the segments as they are."""
    head = base64.urlsafe_b64encode(header.encode()).rstrip(b"=").decode()
    mac = hmac.new(secret.encode(), f"{head}.{payload}".encode(), hashlib.sha256).digest()
    return f"{head}.{payload}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


def test_the_header_the_fast_path_knows_is_the_one_pyjwt_signs(settings: Settings) -> None:
    from elior.web.tokens import SIGNED_HEADERS, make_access_token

    for algorithm, segment in SIGNED_HEADERS.items():
        assert _signed({"sub": "1"}, "k" * 64, algorithm).split(".")[0].encode() == segment
    token, _ = make_access_token(settings, user_id=1, role="client", login_id=1)
    assert token.split(".")[0].encode() == SIGNED_HEADERS[settings.algorithm]


def _pyjwt_verdict(settings: Settings, token: str) -> tuple[str, Any]:
    """What the decoder before the fast path answered: pyjwt's decode and the access-type check."""
    try:
        with warnings.catch_warnings():  # a 45-byte key is short for HS512: pyjwt warns, and still verifies
            warnings.simplefilter("ignore", InsecureKeyLengthWarning)
            claims = jwt.decode(token, settings.secret_key, algorithms=[settings.algorithm],
                                options={"require": ["sub", "exp", "iat", "jti", "typ", "sid", "role"]})
    except jwt.ExpiredSignatureError:
        return "expired", None
    except jwt.PyJWTError:
        return "malformed", None
    return ("valid", claims) if claims.get("typ") == "access" else ("malformed", None)


def _verdict(settings: Settings, token: str) -> tuple[str, Any]:
    from elior.web.tokens import TokenError, decode_access_token

    try:
        return "valid", decode_access_token(settings, token)
    except TokenError as error:
        return error.problem.reason, None


def test_the_hmac_verifier_answers_what_pyjwt_answers(settings: Settings) -> None:
    secret, now = settings.secret_key, int(time.time())
    good = _good_claims(now)
    header, payload, signature = _signed(good, secret).split(".")
    flipped = signature[:5] + ("A" if signature[5] != "A" else "B") + signature[6:]
    tokens = [
        _signed(good, secret),
        _signed({**good, "exp": now - 1}, secret),                       # expired
        _signed({**good, "exp": now}, secret),                           # expires this second: expired
        _signed({**good, "exp": now - 60}, "another-key-of-the-same-length-as-the-real-one"),  # forged and old
        _signed(good, secret, "HS512"), _signed(good, secret, "HS384"),  # another algorithm, the same key
        f"{b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.",              # alg none
        f"{header}.{payload}.{flipped}", f"{header}.{payload}", f"{header}.{payload}.{signature}.x", "", "...",
        f"{header}.{payload}.{signature}!!", f"{header}.{b64({'sub': 1})}.{signature}", "x.y.z", "\u00e9.a.b",
        _signed({**good, "typ": "refresh"}, secret),
        *(_signed({k: v for k, v in good.items() if k != claim}, secret) for claim in good),  # each claim missing
        _signed({**good, "sid": None}, secret),
        _signed({**good, "iat": now + 3600}, secret),                    # issued in the future
        _signed({**good, "iat": "soon"}, secret), _signed({**good, "exp": "later"}, secret),
        _signed({**good, "exp": float(now + 600)}, secret), _signed({**good, "iat": str(now)}, secret),
        _signed({**good, "nbf": now + 3600}, secret), _signed({**good, "nbf": now - 10}, secret),
        _signed({**good, "nbf": "x"}, secret),
        _signed({**good, "aud": "someone"}, secret), _signed({**good, "aud": ""}, secret),
        _signed({**good, "sub": 7}, secret), _signed({**good, "jti": 5}, secret),
        _signed({**good, "extra": [1, 2]}, secret), _signed(good, secret, kid="k1"),
        _signed(good, secret, typ="at+jwt"),
        f"{header}.{payload}.{signature}=", f"{header}.{payload}.{signature}==",  # padded: not the fast path
        _hand_signed('{"typ":"JWT","alg":"HS256"}', payload, secret),  # the same header spelt another way
        _hand_signed('{"alg":"HS256","typ":"JWT"} ', payload, secret), _hand_signed('{"alg":"HS256"}', payload, secret),
        _hand_signed("null", payload, secret), _hand_signed("[]", payload, secret),  # signed, but not a header
    ]
    assert _verdict(settings, tokens[0]) == ("valid", good)
    for token in tokens:
        assert _verdict(settings, token) == _pyjwt_verdict(settings, token), token
    # HS512 pinned in the settings: an HS256 token is now the one signed with another algorithm.
    hs512 = settings.with_overrides(algorithm="HS512")
    for token in tokens:
        assert _verdict(hs512, token) == _pyjwt_verdict(hs512, token), token


# --- The verifier is a parser of untrusted bytes: fuzzed against pyjwt, with a deadline per input ---

FUZZ = hypothesis.settings(deadline=dt.timedelta(milliseconds=500), max_examples=300, database=None,
                           suppress_health_check=[hypothesis.HealthCheck.too_slow,
                                                  hypothesis.HealthCheck.function_scoped_fixture])
SEGMENT = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/.", max_size=80)


@st.composite
def mutated_token(draw: st.DrawFn, token: str) -> str:
    """A token this server signed, with a few characters flipped, inserted, deleted or cut off."""
    chars = list(token)
    for _ in range(draw(st.integers(1, 4))):
        if not chars:
            break
        at = draw(st.integers(0, len(chars) - 1))
        operation = draw(st.sampled_from(["set", "insert", "delete", "truncate"]))
        if operation == "set":
            chars[at] = draw(st.sampled_from("Aa0_-=.+/~ \u00e9"))
        elif operation == "insert":
            chars[at:at] = draw(st.text(min_size=1, max_size=4))
        elif operation == "delete":
            del chars[at:at + draw(st.integers(1, 4))]
        else:
            del chars[at:]
    return "".join(chars)


def test_fuzzed_tokens_get_the_verdict_pyjwt_gives(settings: Settings) -> None:
    valid = _signed(_good_claims(int(time.time())), settings.secret_key)
    _, payload, _ = valid.split(".")

    @FUZZ
    @hypothesis.given(st.one_of(
        st.text(max_size=200), st.builds(".".join, st.lists(SEGMENT, min_size=1, max_size=4)),
        mutated_token(valid),
        # Signed with the real key: whatever the header holds, it is parsed and judged only after the signature.
        st.builds(lambda header: _hand_signed(header, payload, settings.secret_key), st.text(max_size=60))))
    def check(token: str) -> None:
        assert _verdict(settings, token) == _pyjwt_verdict(settings, token), token

    check()
