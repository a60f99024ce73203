"""Files through the API: real files built in the test, uploaded, stripped, refused, served, shared and deleted."""
from __future__ import annotations

import hashlib
import secrets
import socket
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
from starlette.testclient import TestClient

from elior.files.endpoints import signed_url
from elior.media import crypto
from elior.settings import Settings
from tests import samples
from tests.files_server import FilesServer, files_server
from tests.helpers import Person, Studio, assert_error

KEY_HEX = secrets.token_hex(32)
MB = 1024 * 1024


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """The suite's settings, with per-test overrides given by `@pytest.mark.parametrize("settings", [...])`."""
    return settings.with_overrides(**getattr(request, "param", {}))


def upload(client: TestClient, person: Person, data: bytes, purpose: str = "progress_photo",
           client_id: int | None = None, name: str = "photo.png", claimed: str = "image/png") -> Any:
    fields = {"purpose": purpose, **({"client_id": str(client_id)} if client_id is not None else {})}
    return client.post("/api/files/upload", headers=person.headers, data=fields, files={"file": (name, data, claimed)})


def stored_files(settings: Settings) -> list[Path]:
    return sorted(settings.upload_dir.iterdir()) if settings.upload_dir.exists() else []


def total_files(client: TestClient, studio: Studio) -> int:
    return int(client.get("/api/files", headers=studio.admin.headers).json()["total"])


def assert_nothing_kept(client: TestClient, studio: Studio, settings: Settings) -> None:
    assert stored_files(settings) == []
    assert total_files(client, studio) == 0


# --- accepted, stripped ---

def test_upload_answers_the_contract_shape(client: TestClient, studio: Studio) -> None:
    response = upload(client, studio.client_a1, samples.png())
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"filename", "content_type", "size", "purpose", "client_id", "url", "thumbnail_url",
                         "created_at"}
    assert body["content_type"] == "image/png" and body["purpose"] == "progress_photo"
    assert body["client_id"] == studio.client_a1.id and body["filename"].endswith(".png")
    assert body["url"].startswith(f"/api/files/{body['filename']}?sig=")
    assert body["created_at"].endswith("Z")


def test_upload_name_is_made_by_the_server(client: TestClient, studio: Studio) -> None:
    body = upload(client, studio.client_a1, samples.png(), name="../../etc/passwd.png").json()
    assert "passwd" not in body["filename"] and "/" not in body["filename"]


def test_upload_png_is_stored_without_exif_and_text(client: TestClient, studio: Studio, settings: Settings) -> None:
    body = upload(client, studio.client_a1, samples.png()).json()
    on_disk = (settings.upload_dir / body["filename"]).read_bytes()
    assert on_disk.startswith(b"\x89PNG") and b"IDAT" in on_disk and on_disk.endswith(b"IEND\xaeB`\x82")
    for leak in (b"eXIf", b"tEXt", b"tIME", samples.SECRET_MAKE, samples.SECRET_TEXT):
        assert leak not in on_disk
    assert body["size"] == len(on_disk)


def test_upload_jpeg_loses_gps_and_keeps_orientation(client: TestClient, studio: Studio, settings: Settings) -> None:
    original = samples.jpeg(trailer=b"appended bytes")
    assert samples.SECRET_MAKE in original and b"\x88\x25" in original  # the GPS IFD pointer tag is there
    body = upload(client, studio.client_a1, original, name="photo.jpg", claimed="image/jpeg").json()
    assert body["content_type"] == "image/jpeg"
    on_disk = (settings.upload_dir / body["filename"]).read_bytes()
    for leak in (samples.SECRET_MAKE, samples.SECRET_TEXT, b"\x88\x25", b"Photoshop", b"appended bytes"):
        assert leak not in on_disk
    # The one EXIF left holds the orientation (6: rotate 90) and nothing else.
    from elior.media.exif import orientation_only_exif
    assert orientation_only_exif(6) in on_disk
    assert on_disk.endswith(b"\xff\xd9") and b"\xff\xc0" in on_disk and b"\xff\xda" in on_disk


def test_upload_webp_drops_exif_xmp_and_fixes_the_header(client: TestClient, studio: Studio,
                                                         settings: Settings) -> None:
    body = upload(client, studio.client_a1, samples.webp(), name="p.webp", claimed="image/webp").json()
    on_disk = (settings.upload_dir / body["filename"]).read_bytes()
    assert b"EXIF" not in on_disk and b"XMP " not in on_disk and samples.SECRET_TEXT not in on_disk
    assert int.from_bytes(on_disk[4:8], "little") == len(on_disk) - 8
    assert on_disk[12:16] == b"VP8X" and on_disk[20] & 0x0C == 0 and b"VP8L" in on_disk


def test_upload_heic_blanks_its_exif_item(client: TestClient, studio: Studio, settings: Settings) -> None:
    original = samples.heic()
    body = upload(client, studio.client_a1, original, name="p.heic", claimed="image/heic").json()
    assert body["content_type"] == "image/heic"
    on_disk = (settings.upload_dir / body["filename"]).read_bytes()
    assert len(on_disk) == len(original) and b"HEVC-PLACEHOLDER" in on_disk
    assert samples.SECRET_MAKE not in on_disk and b"\x88\x25" not in on_disk


def test_upload_pdf_document_is_kept_as_sent(client: TestClient, studio: Studio, settings: Settings) -> None:
    document = samples.pdf()
    body = upload(client, studio.trainer_a, document, purpose="document", client_id=studio.client_a1.id,
                  name="plan.pdf", claimed="application/pdf").json()
    assert body["content_type"] == "application/pdf" and body["size"] == len(document)
    assert (settings.upload_dir / body["filename"]).read_bytes() == document


# --- refused, nothing kept ---

def test_html_renamed_png_is_415_and_nothing_kept(client: TestClient, studio: Studio, settings: Settings) -> None:
    assert_error(upload(client, studio.client_a1, samples.html_as_png(), name="cat.png"), 415)
    assert_nothing_kept(client, studio, settings)


def test_html_page_with_a_png_appended_is_415(client: TestClient, studio: Studio, settings: Settings) -> None:
    assert_error(upload(client, studio.client_a1, samples.SCRIPT + samples.png()), 415)
    assert_nothing_kept(client, studio, settings)


def test_png_html_polyglot_is_kept_only_as_an_inert_png(client: TestClient, studio: Studio,
                                                        settings: Settings) -> None:
    polyglot = samples.png_html_polyglot()
    assert b"<script>" in polyglot
    body = upload(client, studio.client_a1, polyglot, claimed="text/html").json()
    on_disk = (settings.upload_dir / body["filename"]).read_bytes()
    assert b"<script" not in on_disk and b"<html" not in on_disk  # text chunk and trailer are gone
    served = client.get(body["url"])
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-security-policy"] == "sandbox"
    assert b"<script" not in served.content


def test_pdf_as_a_photo_is_415(client: TestClient, studio: Studio, settings: Settings) -> None:
    assert_error(upload(client, studio.client_a1, samples.pdf(), purpose="meal_photo", claimed="image/jpeg"), 415)
    assert_nothing_kept(client, studio, settings)


def test_photo_as_a_document_is_415(client: TestClient, studio: Studio, settings: Settings) -> None:
    assert_error(upload(client, studio.client_a1, samples.png(), purpose="document"), 415)
    assert_nothing_kept(client, studio, settings)


def test_truncated_png_is_415_and_nothing_kept(client: TestClient, studio: Studio, settings: Settings) -> None:
    assert_error(upload(client, studio.client_a1, samples.png()[:60]), 415)
    assert_nothing_kept(client, studio, settings)


def test_unknown_purpose_is_422(client: TestClient, studio: Studio, settings: Settings) -> None:
    body = assert_error(upload(client, studio.client_a1, samples.png(), purpose="selfie"), 422)
    assert body["detail"][0]["loc"] == ["body", "purpose"]
    assert_nothing_kept(client, studio, settings)


def test_unknown_form_field_is_422(client: TestClient, studio: Studio) -> None:
    response = client.post("/api/files/upload", headers=studio.client_a1.headers,
                           data={"purpose": "avatar", "owner_id": "1"}, files={"file": ("a.png", samples.png())})
    assert assert_error(response, 422)["detail"][0]["loc"] == ["body", "owner_id"]


def test_missing_file_is_422(client: TestClient, studio: Studio) -> None:
    response = client.post("/api/files/upload", headers=studio.client_a1.headers,
                           data={"purpose": "avatar"}, files={"other": ("", b"")})
    assert_error(response, 422)


def test_json_body_is_415(client: TestClient, studio: Studio) -> None:
    assert_error(client.post("/api/files/upload", headers=studio.client_a1.headers, json={"purpose": "avatar"}), 415)


def test_upload_needs_a_bearer_token(client: TestClient) -> None:
    assert_error(client.post("/api/files/upload", files={"file": ("a.png", samples.png())}), 401)


def test_30_mb_body_is_413_and_nothing_kept(client: TestClient, studio: Studio, settings: Settings) -> None:
    assert_error(upload(client, studio.client_a1, samples.png() + bytes(30 * MB)), 413)
    assert_nothing_kept(client, studio, settings)


@pytest.mark.parametrize("settings", [{"max_upload_mb": 1}], indirect=True)
def test_file_one_byte_over_the_cap_is_413(client: TestClient, studio: Studio, settings: Settings) -> None:
    document = samples.pdf()
    assert upload(client, studio.client_a1, document + bytes(MB - len(document)), purpose="document").status_code \
        == 201
    assert_error(upload(client, studio.client_a1, document + bytes(MB - len(document) + 1), purpose="document"), 413)
    assert total_files(client, studio) == 1


# --- streaming, on a real uvicorn ---

@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[FilesServer]:
    with files_server(database_url, tmp_path / "live") as running:
        yield running


def _stream_upload(server: FilesServer, total: int, chunked: bool) -> tuple[bytes, int]:
    """Send a multipart upload of `total` file bytes in 256 KB pieces; stop when the server answers early."""
    boundary = "elior-test-boundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\ndocument\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode() + b"%PDF-1.4\n"
    tail = f"\r\n--{boundary}--\r\n".encode()
    framing = ("Transfer-Encoding: chunked\r\n" if chunked
               else f"Content-Length: {len(head) + total + len(tail)}\r\n")
    request = (f"POST /api/files/upload HTTP/1.1\r\nHost: {server.host}\r\nAuthorization: Bearer {server.token}\r\n"
               f"Content-Type: multipart/form-data; boundary={boundary}\r\n{framing}\r\n").encode()
    piece = bytes(256 * 1024)
    sent = 0
    with socket.create_connection((server.host, server.port), timeout=20) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)  # little hidden in the client's buffers
        def send(data: bytes) -> None:
            sock.sendall(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
        sock.sendall(request)
        send(head)
        try:
            while sent < total:
                send(piece)
                sent += len(piece)
                sock.setblocking(False)
                try:
                    if sock.recv(1, socket.MSG_PEEK):
                        break  # the server has answered already
                except BlockingIOError:
                    pass
                finally:
                    sock.setblocking(True)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed while we were still sending
        sock.settimeout(20)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer, sent


def test_streamed_upload_past_the_cap_is_413_before_it_is_all_sent(server: FilesServer) -> None:
    answer, sent = _stream_upload(server, 30 * MB, chunked=True)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    # Answered once ~10 MB were in (plus what the kernel buffers), not after the 30 MB the client meant to send.
    assert sent < 25 * MB
    assert list(server.upload_dir.iterdir()) == []  # the partial file went with the refusal


def test_declared_length_past_the_cap_is_413_before_any_body(server: FilesServer) -> None:
    answer, sent = _stream_upload(server, 30 * MB, chunked=False)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 25 * MB


# --- quota ---

@pytest.mark.parametrize("settings", [{"upload_quota_mb": 1}], indirect=True)
def test_upload_past_the_quota_is_413_with_a_clear_message(client: TestClient, studio: Studio,
                                                           settings: Settings) -> None:
    big = samples.pdf(pad_to=600 * 1024)
    assert upload(client, studio.client_a1, big, purpose="document").status_code == 201
    body = assert_error(upload(client, studio.client_a1, big, purpose="document"), 413)
    assert "quota" in body["detail"] and "1 MB" in body["detail"]
    assert total_files(client, studio) == 1 and len(stored_files(settings)) == 1


@pytest.mark.parametrize("settings", [{"upload_quota_mb": 1}], indirect=True)
def test_quota_is_per_client(client: TestClient, studio: Studio) -> None:
    big = samples.pdf(pad_to=600 * 1024)
    assert upload(client, studio.client_a1, big, purpose="document").status_code == 201
    assert upload(client, studio.client_a2, big, purpose="document").status_code == 201


@pytest.mark.parametrize("settings", [{"upload_quota_mb": 1}], indirect=True)
def test_deleting_frees_quota(client: TestClient, studio: Studio) -> None:
    big = samples.pdf(pad_to=600 * 1024)
    first = upload(client, studio.client_a1, big, purpose="document").json()
    assert client.delete(f"/api/files/{first['filename']}", headers=studio.client_a1.headers).status_code == 204
    assert upload(client, studio.client_a1, big, purpose="document").status_code == 201


# --- who may read and delete ---

@pytest.fixture
def a1_photo(client: TestClient, studio: Studio) -> dict[str, Any]:
    response = upload(client, studio.client_a1, samples.png())
    assert response.status_code == 201
    return response.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("who", ["client_a1", "trainer_a", "admin"])
def test_owner_their_trainer_and_admin_read_a_file(client: TestClient, studio: Studio, a1_photo: dict[str, Any],
                                                   who: str) -> None:
    response = client.get(f"/api/files/{a1_photo['filename']}", headers=getattr(studio, who).headers)
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"


@pytest.mark.parametrize("who", ["trainer_b", "client_a2", "client_b1"])
def test_others_get_404_for_a_file(client: TestClient, studio: Studio, a1_photo: dict[str, Any], who: str) -> None:
    person = getattr(studio, who)
    path = f"/api/files/{a1_photo['filename']}"
    assert_error(client.get(path, headers=person.headers), 404)
    assert_error(client.delete(path, headers=person.headers), 404)
    names = [item["filename"] for item in client.get("/api/files", headers=person.headers).json()["items"]]
    assert a1_photo["filename"] not in names
    assert client.get(path, headers=studio.client_a1.headers).status_code == 200  # still there


def test_read_without_token_or_signature_is_401(client: TestClient, a1_photo: dict[str, Any]) -> None:
    assert_error(client.get(f"/api/files/{a1_photo['filename']}"), 401)


def test_trainer_uploads_for_their_client(client: TestClient, studio: Studio) -> None:
    response = upload(client, studio.trainer_a, samples.png(), client_id=studio.client_a1.id)
    assert response.status_code == 201 and response.json()["client_id"] == studio.client_a1.id
    filename = response.json()["filename"]
    assert client.get(f"/api/files/{filename}", headers=studio.client_a1.headers).status_code == 200


def test_trainer_upload_for_another_trainers_client_is_404(client: TestClient, studio: Studio,
                                                            settings: Settings) -> None:
    assert_error(upload(client, studio.trainer_b, samples.png(), client_id=studio.client_a1.id), 404)
    assert_nothing_kept(client, studio, settings)


def test_client_upload_for_another_client_is_404(client: TestClient, studio: Studio) -> None:
    assert_error(upload(client, studio.client_a2, samples.png(), client_id=studio.client_a1.id), 404)


def test_trainer_upload_without_client_id_is_422(client: TestClient, studio: Studio) -> None:
    body = assert_error(upload(client, studio.trainer_a, samples.png()), 422)
    assert body["detail"][0]["loc"] == ["body", "client_id"]


def test_trainer_avatar_belongs_to_the_trainer(client: TestClient, studio: Studio) -> None:
    body = upload(client, studio.trainer_a, samples.png(), purpose="avatar").json()
    assert body["client_id"] is None
    path = f"/api/files/{body['filename']}"
    assert client.get(path, headers=studio.trainer_a.headers).status_code == 200
    assert client.get(path, headers=studio.admin.headers).status_code == 200
    assert_error(client.get(path, headers=studio.trainer_b.headers), 404)
    assert_error(client.get(path, headers=studio.client_a1.headers), 404)


def test_admin_uploads_for_any_client(client: TestClient, studio: Studio) -> None:
    response = upload(client, studio.admin, samples.png(), client_id=studio.client_b1.id)
    assert response.status_code == 201
    filename = response.json()["filename"]
    assert client.get(f"/api/files/{filename}", headers=studio.trainer_b.headers).status_code == 200


@pytest.mark.parametrize("who", ["client_a1", "trainer_a", "admin"])
def test_delete_removes_row_and_bytes(client: TestClient, studio: Studio, settings: Settings,
                                      a1_photo: dict[str, Any], who: str) -> None:
    path = f"/api/files/{a1_photo['filename']}"
    response = client.delete(path, headers=getattr(studio, who).headers)
    assert response.status_code == 204 and response.content == b""
    assert not (settings.upload_dir / a1_photo["filename"]).exists()
    assert_error(client.get(path, headers=studio.admin.headers), 404)
    assert_error(client.get(a1_photo["url"]), 404)


# --- signed URLs ---

def test_signed_url_serves_without_a_token(client: TestClient, a1_photo: dict[str, Any], settings: Settings) -> None:
    response = client.get(a1_photo["url"])
    assert response.status_code == 200
    assert response.content == (settings.upload_dir / a1_photo["filename"]).read_bytes()
    assert response.headers["content-disposition"].startswith("inline")


def test_tampered_signature_is_403(client: TestClient, a1_photo: dict[str, Any]) -> None:
    url = a1_photo["url"]
    # Flip a character in the middle of the MAC: the last base64 character may carry only padding bits, so
    # changing it can leave the decoded signature as it was.
    middle = len(url) - 10
    flipped = url[:middle] + ("A" if url[middle] != "A" else "B") + url[middle + 1:]
    assert_error(client.get(flipped), 403)
    expires, _, mac = url.split("sig=")[1].partition(".")
    assert_error(client.get(url.replace(f"sig={expires}.", f"sig={int(expires) + 86400}.")), 403)


def test_signature_for_another_file_is_403(client: TestClient, studio: Studio, a1_photo: dict[str, Any]) -> None:
    other = upload(client, studio.client_b1, samples.png()).json()
    sig = a1_photo["url"].split("?")[1]
    assert_error(client.get(f"/api/files/{other['filename']}?{sig}"), 403)


def test_expired_signature_is_403(client: TestClient, a1_photo: dict[str, Any], settings: Settings) -> None:
    old = signed_url(settings, a1_photo["filename"], now=time.time() - settings.file_url_expire_minutes * 60 - 5)
    assert_error(client.get(old), 403)
    fresh = signed_url(settings, a1_photo["filename"])
    assert client.get(fresh).status_code == 200


def test_signature_made_with_another_secret_is_403(client: TestClient, a1_photo: dict[str, Any],
                                                   settings: Settings) -> None:
    forged = signed_url(settings.with_overrides(secret_key="another-secret-key-of-enough-length-0000"),
                        a1_photo["filename"])
    assert_error(client.get(forged), 403)


# --- path tricks ---

@pytest.mark.parametrize("trick", [
    "..%2F..%2Fsecret.txt", "%2e%2e%2f%2e%2e%2fsecret.txt", "..", "%2e%2e", "%2Fetc%2Fpasswd",
    "%2F%2Fetc%2Fpasswd", "..%5C..%5Csecret.txt", "secret.txt", ".tmp-0123456789abcdef01234567",
    "..%252F..%252Fsecret.txt", "%00.png",
])
def test_path_tricks_never_leave_upload_dir(client: TestClient, studio: Studio, settings: Settings,
                                            a1_photo: dict[str, Any], trick: str) -> None:
    secret = settings.upload_dir.parent / "secret.txt"
    secret.write_text("TOP SECRET outside the upload dir")
    (settings.upload_dir / "secret.txt").write_text("TOP SECRET not made by the server")
    for method in ("GET", "DELETE"):
        response = client.request(method, f"/api/files/{trick}", headers=studio.admin.headers)
        assert response.status_code in (404, 405, 422), (trick, response.status_code)
        assert b"TOP SECRET" not in response.content and b"root:" not in response.content
    assert secret.exists() and (settings.upload_dir / "secret.txt").exists()


# --- serving: headers, ETag, Range ---

def test_pdf_is_served_as_an_attachment(client: TestClient, studio: Studio) -> None:
    body = upload(client, studio.client_a1, samples.pdf(), purpose="document").json()
    response = client.get(body["url"])
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'attachment; filename="{body["filename"]}"'
    assert response.headers["content-security-policy"] == "sandbox"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_etag_answers_304_when_unchanged(client: TestClient, a1_photo: dict[str, Any]) -> None:
    first = client.get(a1_photo["url"])
    assert first.headers["etag"] == f'"{hashlib.sha256(first.content).hexdigest()}"'
    again = client.get(a1_photo["url"], headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize("header, expected", [("bytes=0-9", (0, 9)), ("bytes=100-", (100, None)),
                                              ("bytes=-50", (-50, None)), ("bytes=10-999999", (10, None))])
def test_range_answers_206_with_the_slice(client: TestClient, studio: Studio, header: str,
                                          expected: tuple[int, int | None]) -> None:
    document = samples.pdf(pad_to=5000)
    body = upload(client, studio.client_a1, document, purpose="document").json()
    response = client.get(body["url"], headers={"Range": header})
    assert response.status_code == 206
    start, end = expected
    want = document[start:] if end is None else document[start:end + 1]
    assert response.content == want
    first = start if start >= 0 else len(document) + start
    assert response.headers["content-range"] == f"bytes {first}-{first + len(want) - 1}/{len(document)}"


def test_range_outside_the_file_is_416(client: TestClient, a1_photo: dict[str, Any]) -> None:
    response = client.get(a1_photo["url"], headers={"Range": "bytes=999999-"})
    assert_error(response, 416)
    assert response.headers["content-range"] == f"bytes */{a1_photo['size']}"


def test_if_range_with_another_etag_gets_the_whole_file(client: TestClient, a1_photo: dict[str, Any]) -> None:
    response = client.get(a1_photo["url"], headers={"Range": "bytes=0-9", "If-Range": '"stale"'})
    assert response.status_code == 200 and len(response.content) == a1_photo["size"]


# --- listing ---

def test_list_filters_by_client_and_purpose(client: TestClient, studio: Studio) -> None:
    upload(client, studio.client_a1, samples.png())
    upload(client, studio.client_a1, samples.pdf(), purpose="document")
    upload(client, studio.client_a2, samples.png())
    upload(client, studio.client_b1, samples.png())
    page = client.get("/api/files", headers=studio.trainer_a.headers).json()
    assert set(page) == {"items", "total", "limit", "offset"} and page["total"] == 3
    only = client.get(f"/api/files?client_id={studio.client_a1.id}&purpose=document",
                      headers=studio.trainer_a.headers).json()
    assert only["total"] == 1 and only["items"][0]["content_type"] == "application/pdf"
    assert client.get(only["items"][0]["url"]).status_code == 200
    assert client.get(f"/api/files?client_id={studio.client_b1.id}", headers=studio.trainer_a.headers).json()[
        "total"] == 0


def test_list_pages_and_refuses_unknown_queries(client: TestClient, studio: Studio) -> None:
    for _ in range(3):
        upload(client, studio.client_a1, samples.png())
    page = client.get("/api/files?limit=2&offset=2", headers=studio.client_a1.headers).json()
    assert page["total"] == 3 and len(page["items"]) == 1 and page["limit"] == 2 and page["offset"] == 2
    assert_error(client.get("/api/files?limit=101", headers=studio.client_a1.headers), 422)
    assert_error(client.get("/api/files?purpose=selfie", headers=studio.client_a1.headers), 422)
    assert_error(client.get("/api/files?owner=1", headers=studio.client_a1.headers), 422)


def test_list_costs_a_constant_number_of_queries(client: TestClient, studio: Studio) -> None:
    stats = client.app.state.db.stats  # type: ignore[attr-defined]

    def files_queries() -> int:  # the login's session check (a 5 s cache) is not the list's cost
        return sum(n for name, n in stats.by_name.items() if name.startswith("files."))

    upload(client, studio.client_a1, samples.png())
    before = files_queries()
    client.get("/api/files", headers=studio.client_a1.headers)
    one = files_queries() - before
    for _ in range(4):
        upload(client, studio.client_a1, samples.png())
    before = files_queries()
    client.get("/api/files", headers=studio.client_a1.headers)
    assert files_queries() - before == one


# --- encryption at rest ---

@pytest.mark.parametrize("settings", [{"file_encryption_key": KEY_HEX}], indirect=True)
def test_encrypted_file_round_trips_and_is_not_plain_on_disk(client: TestClient, studio: Studio,
                                                             settings: Settings) -> None:
    marker = b"PLAINTEXT-MARKER-" + secrets.token_hex(8).encode()
    document = samples.pdf(text=marker, pad_to=300 * 1024)
    body = upload(client, studio.client_a1, document, purpose="document").json()
    on_disk = (settings.upload_dir / body["filename"]).read_bytes()
    assert on_disk.startswith(crypto.MAGIC)
    assert marker not in on_disk and b"%PDF" not in on_disk and b"0123456789abcdef" not in on_disk
    assert body["size"] == len(document)
    served = client.get(body["url"])
    assert served.content == document
    assert served.headers["etag"] == f'"{hashlib.sha256(document).hexdigest()}"'


@pytest.mark.parametrize("settings", [{"file_encryption_key": KEY_HEX}], indirect=True)
def test_encrypted_range_across_chunks(client: TestClient, studio: Studio) -> None:
    document = samples.pdf(pad_to=300 * 1024)
    body = upload(client, studio.client_a1, document, purpose="document").json()
    start, end = crypto.CHUNK_SIZE - 10, 3 * crypto.CHUNK_SIZE + 5
    response = client.get(body["url"], headers={"Range": f"bytes={start}-{end}"})
    assert response.status_code == 206 and response.content == document[start:end + 1]


@pytest.mark.parametrize("settings", [{"file_encryption_key": KEY_HEX}], indirect=True)
def test_encrypted_photo_is_stripped_before_sealing(client: TestClient, studio: Studio) -> None:
    body = upload(client, studio.client_a1, samples.jpeg(), name="p.jpg").json()
    served = client.get(body["url"]).content
    assert served.startswith(b"\xff\xd8") and samples.SECRET_MAKE not in served


@pytest.mark.parametrize("settings", [{"file_encryption_key": KEY_HEX}], indirect=True)
def test_damaged_encrypted_file_is_a_500_without_details(client: TestClient, studio: Studio,
                                                         settings: Settings) -> None:
    body = upload(client, studio.client_a1, samples.pdf(), purpose="document").json()
    path = settings.upload_dir / body["filename"]
    data = bytearray(path.read_bytes())
    data[-20] ^= 0x01
    path.write_bytes(bytes(data))
    response = client.get(body["url"])
    assert response.status_code == 500 and str(settings.upload_dir) not in response.text


def test_deleting_a_user_removes_their_files_bytes(client: TestClient, studio: Studio, settings: Settings,
                                                  a1_photo: dict[str, Any]) -> None:
    by_trainer = upload(client, studio.trainer_a, samples.pdf(), purpose="document", client_id=studio.client_a1.id)
    names = [a1_photo["filename"], by_trainer.json()["filename"]]
    assert all((settings.upload_dir / name).exists() for name in names)
    assert client.delete(f"/api/users/{studio.client_a1.id}", headers=studio.admin.headers).status_code == 204
    assert not any((settings.upload_dir / name).exists() for name in names)


def test_head_answers_headers_without_a_body(client: TestClient, a1_photo: dict[str, Any]) -> None:
    response = client.head(a1_photo["url"])
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-length"] == str(a1_photo["size"])


def test_openapi_describes_the_file_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/files/upload", "/api/files", "/api/files/{filename}"} <= set(paths)
    assert "multipart/form-data" in paths["/api/files/upload"]["post"]["requestBody"]["content"]
