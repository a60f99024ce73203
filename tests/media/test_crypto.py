"""Encryption at rest: chunked AES-256-GCM round trips, refuses tampering, and keeps memory bounded."""
from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import pytest

from elior.media import crypto
from elior.settings import Settings, SettingsError

KEY = os.urandom(32)
CHUNK = crypto.CHUNK_SIZE


def seal(data: bytes, key: bytes = KEY) -> bytes:
    out = io.BytesIO()
    encryptor = crypto.Encryptor(key, out)
    for i in range(0, len(data), 10_000):  # written in pieces, as the stripper does
        encryptor.write(data[i:i + 10_000])
        assert len(encryptor.buffer) <= CHUNK  # never more than one chunk held back
    encryptor.finish()
    return out.getvalue()


def opened(sealed: bytes, tmp_path: Path, key: bytes = KEY) -> crypto.Decryptor:
    path = tmp_path / "sealed.bin"
    path.write_bytes(sealed)
    return crypto.Decryptor(key, open(path, "rb"))


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 77])
def test_round_trip_of_every_size(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    decryptor = opened(seal(data), tmp_path)
    assert decryptor.size == size
    assert b"".join(decryptor.read_range(0, size - 1)) == data
    decryptor.handle.close()


def test_range_decrypts_only_what_it_needs(tmp_path: Path) -> None:
    data = os.urandom(4 * CHUNK)
    decryptor = opened(seal(data), tmp_path)
    assert b"".join(decryptor.read_range(CHUNK + 5, 2 * CHUNK + 9)) == data[CHUNK + 5:2 * CHUNK + 10]
    decryptor.handle.close()


def test_sealed_bytes_do_not_contain_the_plaintext() -> None:
    data = b"private progress photo " * 10_000
    assert b"private progress photo" not in seal(data)


def test_cut_at_a_chunk_boundary_is_detected(tmp_path: Path) -> None:
    sealed = seal(os.urandom(3 * CHUNK + 10))
    cut = sealed[:crypto.HEADER_SIZE + 2 * (CHUNK + crypto.TAG_SIZE)]
    decryptor = opened(cut, tmp_path)
    with pytest.raises(crypto.CryptoError):
        b"".join(decryptor.read_range(0, decryptor.size - 1))
    decryptor.handle.close()


def test_swapped_chunks_are_detected(tmp_path: Path) -> None:
    sealed = seal(os.urandom(3 * CHUNK + 10))
    step, h = CHUNK + crypto.TAG_SIZE, crypto.HEADER_SIZE
    swapped = sealed[:h] + sealed[h + step:h + 2 * step] + sealed[h:h + step] + sealed[h + 2 * step:]
    decryptor = opened(swapped, tmp_path)
    with pytest.raises(crypto.CryptoError):
        decryptor.chunk(0)
    decryptor.handle.close()


def test_flipped_bit_is_detected(tmp_path: Path) -> None:
    sealed = bytearray(seal(b"hello" * 100))
    sealed[crypto.HEADER_SIZE + 3] ^= 1
    decryptor = opened(bytes(sealed), tmp_path)
    with pytest.raises(crypto.CryptoError):
        decryptor.chunk(0)
    decryptor.handle.close()


def test_wrong_key_is_told_apart(tmp_path: Path) -> None:
    path = tmp_path / "sealed.bin"
    path.write_bytes(seal(b"data"))
    with open(path, "rb") as handle, pytest.raises(crypto.WrongKey):
        crypto.Decryptor(os.urandom(32), handle)


def test_parse_key_takes_hex_and_base64() -> None:
    assert crypto.parse_key(KEY.hex()) == KEY
    assert crypto.parse_key(base64.b64encode(KEY).decode()) == KEY
    assert crypto.parse_key(base64.urlsafe_b64encode(KEY).decode().rstrip("=")) == KEY


@pytest.mark.parametrize("bad", ["short", "00" * 31, base64.b64encode(os.urandom(16)).decode(), "zz" * 32])
def test_parse_key_refuses_anything_but_32_bytes(bad: str) -> None:
    with pytest.raises(ValueError):
        crypto.parse_key(bad)


def test_bad_key_in_the_environment_stops_the_start() -> None:
    with pytest.raises(SettingsError, match="FILE_ENCRYPTION_KEY"):
        Settings.from_env({"FILE_ENCRYPTION_KEY": "not-a-key"})
    assert Settings.from_env({"FILE_ENCRYPTION_KEY": KEY.hex()}).file_encryption_key == KEY.hex()
