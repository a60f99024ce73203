"""Encryption at rest for uploaded files: AES-256-GCM in chunks, so memory stays bounded and ranges stay cheap.

The key is `FILE_ENCRYPTION_KEY`: 32 random bytes written as 64 hex digits or as base64. Losing it loses every file
stored while it was set: there is no recovery, no backdoor and no second copy of the key anywhere in Elior.

A stored file is a 28-byte header, then the plaintext cut into chunks of `chunk_size` bytes, each sealed on its own:

    header  = b"ELIORENC" | version (1) | chunk_size (4, big-endian) | key check (8) | nonce prefix (7, random)
    chunk i = AES-256-GCM(key, nonce = prefix | i (4, big-endian) | last (1: 0 or 1), aad = header) -> data + tag (16)

This is the STREAM construction (Hoang et al., 2015): the counter in the nonce stops chunks being reordered or
swapped between files, the `last` flag stops a file being cut short at a chunk boundary, and the header as associated
data stops it being edited. The key check (a hash of the key, never the key) tells a wrong key from a damaged file.
Any chunk can be decrypted alone, which is how a `Range` request reads only what it needs.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import os
from typing import BinaryIO, Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"ELIORENC"
VERSION = 1
HEADER_SIZE = len(MAGIC) + 1 + 4 + 8 + 7
TAG_SIZE = 16
CHUNK_SIZE = 64 * 1024


class CryptoError(Exception):
    """The file cannot be decrypted: wrong key, or damaged bytes."""


class WrongKey(CryptoError):
    pass


def parse_key(text: str) -> bytes:
    """FILE_ENCRYPTION_KEY as 32 bytes, from 64 hex digits or from base64 (standard or URL-safe, padding optional)."""
    value = text.strip()
    if len(value) == 64:
        try:
            return bytes.fromhex(value)
        except ValueError:
            pass
    try:
        raw = base64.b64decode(value.replace("-", "+").replace("_", "/") + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ValueError("FILE_ENCRYPTION_KEY must be 32 random bytes written as 64 hex digits or as base64, "
                         "e.g. the output of: python3 -c 'import secrets; print(secrets.token_hex(32))'")
    return raw


def key_check(key: bytes) -> bytes:
    return hashlib.sha256(b"elior file key check\x00" + key).digest()[:8]


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


class Encryptor:
    """A file-like sink: `write()` plaintext, `finish()` once; the sealed bytes go to `out` as they are ready."""

    def __init__(self, key: bytes, out: BinaryIO, chunk_size: int = CHUNK_SIZE) -> None:
        self.aead = AESGCM(key)
        self.out = out
        self.chunk_size = chunk_size
        self.prefix = os.urandom(7)
        self.header = MAGIC + bytes([VERSION]) + chunk_size.to_bytes(4, "big") + key_check(key) + self.prefix
        self.index = 0
        self.buffer = bytearray()
        out.write(self.header)

    def write(self, data: bytes) -> None:
        self.buffer += data
        # Keep at least one byte back: the last chunk must be sealed as the last, and only finish() knows which.
        while len(self.buffer) > self.chunk_size:
            self._seal(bytes(self.buffer[:self.chunk_size]), last=False)
            del self.buffer[:self.chunk_size]

    def finish(self) -> None:
        self._seal(bytes(self.buffer), last=True)
        self.buffer.clear()

    def _seal(self, chunk: bytes, last: bool) -> None:
        if self.index >= 2 ** 32:
            raise CryptoError("file too large for one nonce prefix")
        self.out.write(self.aead.encrypt(_nonce(self.prefix, self.index, last), chunk, self.header))
        self.index += 1


class Decryptor:
    """Random access to an encrypted file: the plaintext size, and any byte range, one chunk at a time."""

    def __init__(self, key: bytes, handle: BinaryIO) -> None:
        self.handle = handle
        self.header = handle.read(HEADER_SIZE)
        if len(self.header) != HEADER_SIZE or not self.header.startswith(MAGIC) or self.header[8] != VERSION:
            raise CryptoError("not an Elior encrypted file")
        self.chunk_size = int.from_bytes(self.header[9:13], "big")
        if self.header[13:21] != key_check(key):
            raise WrongKey("the file was encrypted with another FILE_ENCRYPTION_KEY")
        if self.chunk_size <= 0:
            raise CryptoError("damaged header")
        self.prefix = self.header[21:28]
        self.aead = AESGCM(key)
        sealed = os.fstat(handle.fileno()).st_size - HEADER_SIZE
        step = self.chunk_size + TAG_SIZE
        self.chunks = max(1, -(-sealed // step))
        last_sealed = sealed - (self.chunks - 1) * step
        if last_sealed < TAG_SIZE:
            raise CryptoError("the file is truncated")
        self.size = (self.chunks - 1) * self.chunk_size + last_sealed - TAG_SIZE

    def chunk(self, index: int) -> bytes:
        step = self.chunk_size + TAG_SIZE
        self.handle.seek(HEADER_SIZE + index * step)
        sealed = self.handle.read(step)
        try:
            return self.aead.decrypt(_nonce(self.prefix, index, index == self.chunks - 1), sealed, self.header)
        except InvalidTag:
            raise CryptoError(f"chunk {index} failed authentication: the file is damaged or was altered") from None

    def read_range(self, start: int, end: int) -> Iterator[bytes]:
        """Plaintext bytes start..end (inclusive), decrypting only the chunks they lie in."""
        if end < start:
            return
        first, last = start // self.chunk_size, end // self.chunk_size
        for index in range(first, last + 1):
            data = self.chunk(index)
            base = index * self.chunk_size
            yield data[max(start - base, 0):end - base + 1]
