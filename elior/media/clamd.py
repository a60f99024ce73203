"""A clamd client for one command, INSTREAM, over a unix socket or TCP; asyncio only, no extra package.

    verdict = await scan_file(settings, path)   # None when clean, the signature name when flagged

Fail closed: a clamd that cannot be reached, times out, or answers anything but OK/FOUND raises ScannerUnavailable,
which the upload answers with 503 and keeps nothing. With neither CLAMD_SOCKET nor CLAMD_HOST set there is no scanning.
Each step has its own bound (settings): connecting, sending the whole file (a scanner that stops reading would
otherwise hold the upload forever once the socket buffers fill), and waiting for the verdict.
"""
from __future__ import annotations

import asyncio
from pathlib import Path

import anyio

from elior.settings import Settings

SEND_CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """clamd could not give a verdict; the message is for the log, not for the caller."""


def enabled(settings: Settings) -> bool:
    return bool(settings.clamd_socket or settings.clamd_host)


async def _connect(settings: Settings) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    if settings.clamd_socket:
        opening = asyncio.open_unix_connection(settings.clamd_socket)
    else:
        opening = asyncio.open_connection(settings.clamd_host, settings.clamd_port)
    return await asyncio.wait_for(opening, settings.clamd_connect_timeout)


async def _send(writer: asyncio.StreamWriter, path: Path) -> None:
    writer.write(b"zINSTREAM\x00")
    async with await anyio.open_file(path, "rb") as handle:
        while chunk := await handle.read(SEND_CHUNK):
            writer.write(len(chunk).to_bytes(4, "big") + chunk)
            await writer.drain()
    writer.write(b"\x00\x00\x00\x00")
    await writer.drain()


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
    step = "send"
    try:
        await asyncio.wait_for(_send(writer, path), settings.clamd_send_timeout)
        step = "reply"
        # clamd answers only once the whole stream is in; a large file with many signatures loaded can take a while.
        reply = await asyncio.wait_for(reader.readuntil(b"\x00"), settings.clamd_reply_timeout)
    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as error:
        writer.transport.abort()  # not close(): that would wait to flush what a stalled scanner never reads
        # clamd closes the stream early past its StreamMaxLength: that is "no verdict", never "clean".
        raise ScannerUnavailable(f"clamd scan failed at the {step}: {error!r}") from None
    except BaseException:  # cancelled: the upload's client went away
        writer.transport.abort()
        raise
    writer.close()  # everything was sent and the verdict read: nothing left to flush
    return parse_reply(reply)
