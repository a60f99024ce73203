"""A clamd client for one command, INSTREAM, over a unix socket or TCP; asyncio only, no extra package.

    verdict = await scan_file(settings, path)   # None when clean, the signature name when flagged

Fail closed: a clamd that cannot be reached, times out, or answers anything but OK/FOUND raises ScannerUnavailable,
which the upload answers with 503 and keeps nothing. With neither CLAMD_SOCKET nor CLAMD_HOST set there is no scanning.
"""
from __future__ import annotations

import asyncio
from pathlib import Path

import anyio

from elior.settings import Settings

SEND_CHUNK = 64 * 1024
CONNECT_SECONDS = 5.0
# clamd answers only once the whole stream is in; a large file with many signatures loaded can take a while.
REPLY_SECONDS = 60.0


class ScannerUnavailable(Exception):
    """clamd could not give a verdict; the message is for the log, not for the caller."""


def enabled(settings: Settings) -> bool:
    return bool(settings.clamd_socket or settings.clamd_host)


async def _connect(settings: Settings) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    if settings.clamd_socket:
        return await asyncio.wait_for(asyncio.open_unix_connection(settings.clamd_socket), CONNECT_SECONDS)
    return await asyncio.wait_for(asyncio.open_connection(settings.clamd_host, settings.clamd_port), CONNECT_SECONDS)


def parse_reply(reply: bytes) -> str | None:
    """`stream: OK` -> None; `stream: NAME FOUND` -> NAME; anything else (an ERROR line) raises."""
    text = reply.rstrip(b"\x00\n").decode("utf-8", "replace")
    _, _, verdict = text.partition(": ")
    if verdict == "OK":
        return None
    if verdict.endswith(" FOUND"):
        return verdict[: -len(" FOUND")]
    raise ScannerUnavailable(f"clamd answered: {text!r}")


async def scan_file(settings: Settings, path: Path) -> str | None:
    """Stream the file to clamd (`zINSTREAM`, length-prefixed chunks, a zero-length end) and read its verdict."""
    try:
        reader, writer = await _connect(settings)
    except (OSError, asyncio.TimeoutError) as error:
        raise ScannerUnavailable(f"cannot reach clamd: {error!r}") from None
    try:
        writer.write(b"zINSTREAM\x00")
        async with await anyio.open_file(path, "rb") as handle:
            while chunk := await handle.read(SEND_CHUNK):
                writer.write(len(chunk).to_bytes(4, "big") + chunk)
                await writer.drain()
        writer.write(b"\x00\x00\x00\x00")
        await writer.drain()
        reply = await asyncio.wait_for(reader.readuntil(b"\x00"), REPLY_SECONDS)
    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as error:
        # clamd closes the stream early past its StreamMaxLength: that is "no verdict", never "clean".
        raise ScannerUnavailable(f"clamd scan failed: {error!r}") from None
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except OSError:
            pass
    return parse_reply(reply)
