"""Photo thumbnails through the API: made at upload, sealed like the photo, served with the photo's own checks
(`?size=thumb` on the file's URL, signed or with a bearer token), made on first request for older photos, removed with
the photo."""
from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from PIL import Image
from starlette.testclient import TestClient

from elior.media import crypto, storage
from elior.ops import backup
from elior.settings import Settings
from tests import samples
from tests.files.test_files import KEY_HEX, upload
from tests.helpers import Studio, assert_error
from tests.media.test_thumbnails import photo


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """The suite's settings, with per-test overrides given by `@pytest.mark.parametrize("settings", [...])`."""
    return settings.with_overrides(**getattr(request, "param", {}))


def jpeg_upload(client: TestClient, studio: Studio) -> dict:
    answer = upload(client, studio.client_a1, photo("jpeg", (1600, 1200)), name="big.jpg", claimed="image/jpeg")
    assert answer.status_code == 201, answer.text
    return answer.json()


def as_image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_photo_has_a_thumbnail_url_and_a_document_none(client: TestClient, studio: Studio) -> None:
    body = jpeg_upload(client, studio)
    assert body["thumbnail_url"] == body["url"] + "&size=thumb"
    pdf = upload(client, studio.client_a1, samples.pdf(), purpose="document", name="plan.pdf",
                 claimed="application/pdf").json()
    assert pdf["thumbnail_url"] is None
    listed = client.get("/api/files", headers=studio.client_a1.headers).json()["items"]
    assert {item["filename"]: item["thumbnail_url"] is not None for item in listed} == \
        {body["filename"]: True, pdf["filename"]: False}
    assert_error(client.get(f"/api/files/{pdf['filename']}?size=thumb", headers=studio.client_a1.headers), 404)


def test_the_thumbnail_is_a_small_jpeg_made_at_upload(client: TestClient, studio: Studio, settings: Settings) -> None:
    body = jpeg_upload(client, studio)
    on_disk = storage.thumbnail_path(settings, body["filename"])
    assert on_disk is not None and on_disk.is_file()  # made with the upload, not on first request
    full = client.get(f"/api/files/{body['filename']}", headers=studio.client_a1.headers)
    thumb = client.get(f"/api/files/{body['filename']}?size=thumb", headers=studio.trainer_a.headers)
    assert thumb.status_code == 200, thumb.text
    assert thumb.headers["content-type"] == "image/jpeg"
    assert thumb.headers["x-content-type-options"] == "nosniff"
    assert thumb.headers["etag"] != full.headers["etag"]
    assert as_image(thumb.content).size == (320, 240)
    assert len(thumb.content) * 5 < len(full.content)
    again = client.get(f"/api/files/{body['filename']}?size=thumb", headers={
        **studio.client_a1.headers, "If-None-Match": thumb.headers["etag"]})
    assert again.status_code == 304


def test_the_thumbnail_has_the_photos_access_rules(client: TestClient, studio: Studio) -> None:
    body = jpeg_upload(client, studio)
    name = body["filename"]
    assert client.get(body["thumbnail_url"]).status_code == 200  # the signed URL, no token
    assert_error(client.get(f"/api/files/{name}?size=thumb"), 401)
    for outsider in (studio.trainer_b, studio.client_b1, studio.client_a2):
        assert_error(client.get(f"/api/files/{name}?size=thumb", headers=outsider.headers), 404)
    forged = body["thumbnail_url"].replace("sig=", "sig=1")
    assert_error(client.get(forged), 403)
    assert_error(client.get(f"/api/files/{name}?size=huge", headers=studio.client_a1.headers), 422)


@pytest.mark.parametrize("settings", [{"file_encryption_key": KEY_HEX}], indirect=True)
def test_the_thumbnail_is_sealed_like_the_photo(client: TestClient, studio: Studio, settings: Settings) -> None:
    body = jpeg_upload(client, studio)
    on_disk = storage.thumbnail_path(settings, body["filename"])
    assert on_disk is not None and on_disk.read_bytes().startswith(crypto.MAGIC)
    assert b"\xff\xd8" not in on_disk.read_bytes()[:64]
    thumb = client.get(body["thumbnail_url"])
    assert thumb.status_code == 200 and as_image(thumb.content).size == (320, 240)


@pytest.mark.parametrize("settings", [{"file_encryption_key": KEY_HEX}], indirect=True)
def test_an_older_photo_gets_its_thumbnail_on_first_request(client: TestClient, studio: Studio,
                                                            settings: Settings) -> None:
    body = jpeg_upload(client, studio)
    on_disk = storage.thumbnail_path(settings, body["filename"])
    assert on_disk is not None
    on_disk.unlink()  # as for a photo stored before thumbnails existed
    thumb = client.get(f"/api/files/{body['filename']}?size=thumb", headers=studio.client_a1.headers)
    assert thumb.status_code == 200 and as_image(thumb.content).size == (320, 240)
    assert on_disk.is_file() and on_disk.read_bytes().startswith(crypto.MAGIC)  # cached on disk, sealed
    assert not [p for p in settings.upload_dir.iterdir() if p.name.startswith(".tmp-")]


def test_a_heic_photo_is_served_full_size_for_its_thumbnail(client: TestClient, studio: Studio) -> None:
    body = upload(client, studio.client_a1, samples.heic(), name="p.heic", claimed="image/heic").json()
    thumb = client.get(body["thumbnail_url"])
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/heic"


def test_deleting_the_photo_removes_its_thumbnail(client: TestClient, studio: Studio, settings: Settings) -> None:
    body = jpeg_upload(client, studio)
    on_disk = storage.thumbnail_path(settings, body["filename"])
    assert on_disk is not None and on_disk.is_file()
    assert client.delete(f"/api/files/{body['filename']}", headers=studio.client_a1.headers).status_code == 204
    assert not on_disk.exists()
    assert_error(client.get(body["thumbnail_url"]), 404)


def test_a_photo_pillow_refuses_is_kept_and_served_full_size(client: TestClient, studio: Studio,
                                                             settings: Settings) -> None:
    """The stripper judged it well-formed; a decoder refusing its pixels costs the thumbnail, not the upload."""
    body = upload(client, studio.client_a1, samples.jpeg()).json()  # a hand-made JPEG Pillow may or may not decode
    assert body["content_type"] == "image/jpeg"
    thumb = client.get(body["thumbnail_url"])
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"


def test_thumbnails_are_a_cache_left_out_of_backups(client: TestClient, studio: Studio, settings: Settings,
                                                    tmp_path: Path) -> None:
    """A backup carries the photos, not their thumbnails (made again on first request after a restore): the
    manifest's count is of uploads only."""
    body = jpeg_upload(client, studio)
    assert storage.thumbnail_path(settings, body["filename"]).is_file()  # type: ignore[union-attr]
    manifest = backup.backup(settings, tmp_path / "studio.tar.gz")
    assert manifest["uploads"] == 1
    with tarfile.open(tmp_path / "studio.tar.gz") as archive:
        names = archive.getnames()
    assert f"uploads/{body['filename']}" in names and not [n for n in names if "thumb" in n]
