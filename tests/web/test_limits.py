"""HTTP resource limits, met from outside with raw sockets against `python -m elior serve`: a huge head, too many
headers, a head or a body that never ends, connections past the cap, the keep-alive timeout; and a Range header with
a number no integer parser should be asked to read. Each answer is the envelope, never a held socket or a 500.

The waits below are bounds (a socket timeout well past the configured limit), not measurements.
"""
from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Iterator

import httpx2 as httpx  # the pinned client (requirements-dev.txt); the API of httpx
import pytest

from tests import samples
from tests.files_server import files_server
from tests.live.serve import Served, closed_by_peer, elior_serve, read_response

LIMITS = {"HEADER_TIMEOUT_SECONDS": "1", "BODY_TIMEOUT_SECONDS": "1", "KEEP_ALIVE_SECONDS": "1"}
BOUND = 15.0  # seconds a test waits for what the server must do within about 1


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    data = tmp_path_factory.mktemp("limits")
    with elior_serve(f"sqlite:///{data / 'elior.db'}", data, **LIMITS) as served:
        yield served


def send(server: Served, data: bytes) -> socket.socket:
    sock = server.connect(timeout=BOUND)
    sock.sendall(data)
    return sock


def assert_envelope(sock: socket.socket, status: int) -> dict[str, str]:
    code, headers, body = read_response(sock)
    assert code == status, body
    answer = json.loads(body)
    assert set(answer) == {"error", "detail", "status_code"} and answer["status_code"] == status, answer
    assert headers["connection"] == "close"
    assert closed_by_peer(sock)
    return headers


def test_a_one_megabyte_header_is_431(server: Served) -> None:
    head = b"GET /health HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 1_000_000 + b"\r\n\r\n"
    sock = server.connect(timeout=BOUND)
    try:
        sock.sendall(head)
    except (BrokenPipeError, ConnectionResetError):
        pass  # refused before all of it was sent: the answer is waiting to be read
    with sock:
        assert_envelope(sock, 431)


def test_ten_thousand_headers_are_431(server: Served) -> None:
    headers = b"".join(b"X-%d: v\r\n" % number for number in range(10_000))
    with send(server, b"GET /health HTTP/1.1\r\nHost: t\r\n" + headers + b"\r\n") as sock:
        assert_envelope(sock, 431)


def test_a_head_that_never_ends_is_408_and_closed(server: Served) -> None:
    with send(server, b"GET /health HTTP/1.1\r\nHost: t\r\nX-Half: ") as sock:
        assert_envelope(sock, 408)


def test_a_head_dribbled_a_byte_at_a_time_is_cut_off(server: Served) -> None:
    """Slowloris: every byte arrives well within any idle timeout, the head as a whole never does."""
    with send(server, b"GET /health HTTP/1.1\r\nHost: t\r\nX-Slow: ") as sock:
        sock.settimeout(0.2)
        deadline, answer = time.monotonic() + BOUND, b""
        while not answer and time.monotonic() < deadline:
            sock.sendall(b"a")
            try:
                answer = sock.recv(65536)
            except TimeoutError:
                continue
        assert answer.startswith(b"HTTP/1.1 408 "), "the server held a head still arriving after 15 s"


def test_a_request_that_is_not_http_is_400_in_the_envelope(server: Served) -> None:
    with send(server, b"HELLO THERE\x00\r\n\r\n") as sock:
        assert_envelope(sock, 400)


def test_a_connection_that_sends_nothing_is_closed(server: Served) -> None:
    with server.connect(timeout=BOUND) as sock:
        assert closed_by_peer(sock)


def test_a_body_that_stops_coming_is_dropped(server: Served) -> None:
    head = (b"POST /api/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n")
    with send(server, head + b'{"email": ') as sock:
        assert closed_by_peer(sock)
    assert "Traceback" not in server.log()  # a client that went away is not a crash of ours


def test_an_idle_keep_alive_connection_is_closed_after_the_setting(server: Served) -> None:
    with send(server, b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n") as sock:
        assert read_response(sock)[0] == 200
        sock.settimeout(4)  # uvicorn's default keep-alive is 5 s; KEEP_ALIVE_SECONDS=1 here
        assert closed_by_peer(sock)


def test_requests_within_the_limits_are_served_on_one_connection(server: Served) -> None:
    headers = b"".join(b"X-%d: %s\r\n" % (number, b"v" * 100) for number in range(90))
    with server.connect(timeout=BOUND) as sock:
        for _ in range(3):
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n" + headers + b"\r\n")
            status, _, body = read_response(sock)
            assert status == 200 and json.loads(body) == {"status": "ok"}


def test_a_head_just_under_the_limit_arriving_in_pieces_is_served(server: Served) -> None:
    head = b"GET /health HTTP/1.1\r\nHost: t\r\n" + b"".join(b"X-%d: %s\r\n" % (n, b"v" * 150) for n in range(95))
    assert 14_000 < len(head) < 16_000
    with server.connect(timeout=BOUND) as sock:
        for start in range(0, len(head), 1000):
            sock.sendall(head[start:start + 1000])
            time.sleep(0.01)
        sock.sendall(b"\r\n")
        assert read_response(sock)[0] == 200


def test_connections_past_the_cap_are_503_with_retry_after(tmp_path: Path) -> None:
    with elior_serve(f"sqlite:///{tmp_path / 'elior.db'}", tmp_path, MAX_CONNECTIONS="3",
                     HEADER_TIMEOUT_SECONDS="60") as served:
        time.sleep(0.5)  # the start-up probe's connection is gone
        held = [served.connect(timeout=BOUND) for _ in range(3)]
        try:
            with served.connect(timeout=BOUND) as extra:
                extra.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
                assert assert_envelope(extra, 503)["retry-after"] == "1"
            held.pop().close()
            time.sleep(0.5)
            with served.connect(timeout=BOUND) as again:
                again.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
                assert read_response(again)[0] == 200
        finally:
            for sock in held:
                sock.close()


def test_a_range_with_a_five_thousand_digit_number_is_416_not_500(database_url: str, tmp_path: Path) -> None:
    with files_server(database_url, tmp_path) as server:
        auth = {"Authorization": f"Bearer {server.token}"}
        with httpx.Client(base_url=server.url, headers=auth, timeout=30) as http:
            uploaded = http.post("/api/files/upload", data={"purpose": "document"},
                                 files={"file": ("plan.pdf", samples.pdf(), "application/pdf")})
            assert uploaded.status_code == 201, uploaded.text
            path = f"/api/files/{uploaded.json()['filename']}"
            size = len(http.get(path).content)
            huge = "9" * 5000
            past_the_end = http.get(path, headers={"Range": f"bytes={huge}-"})
            assert past_the_end.status_code == 416, past_the_end.text
            assert set(past_the_end.json()) == {"error", "detail", "status_code"}
            assert past_the_end.headers["content-range"] == f"bytes */{size}"
            to_the_end = http.get(path, headers={"Range": f"bytes=0-{huge}"})
            assert to_the_end.status_code == 206 and len(to_the_end.content) == size
            suffix = http.get(path, headers={"Range": f"bytes=-{huge}"})
            assert suffix.status_code == 206 and len(suffix.content) == size
