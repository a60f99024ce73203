"""uvicorn's WebSocket protocol (websockets, sans-I/O) with a small kernel send buffer and a socket that is let go.

A reader that stops reading makes every byte sent to it wait somewhere. Left alone: the kernel's send buffer grows to
`tcp_wmem` (4 MB here), then uvicorn's transport buffer, then the hub's queue; and when the server finally gives up,
`transport.close()` waits for a flush that never comes, so the socket and its buffers are kept anyway. Here:
- SO_SNDBUF is set on every live-update socket (WS_SEND_BUFFER_BYTES; the kernel doubles it for its bookkeeping), so
  the kernel holds a bounded amount; the hub then sees the stall within a few messages (elior/live/hub.py: a byte
  budget for its queue and a time budget for one send) and closes the socket;
- once the application is done with a socket that takes no bytes, the transport is aborted (a reset), since no close
  frame can reach that reader; any other socket is aborted if its closing handshake has not ended in time.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from typing import ClassVar

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

log = logging.getLogger("elior.realtime")

CLOSE_GRACE_SECONDS = 15.0  # uvicorn's own close timeout is 10 s; past that, the socket is reset


class BoundedWebSocket(WebSocketsSansIOProtocol):
    send_buffer_bytes: ClassVar[int] = 65536

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None and self.send_buffer_bytes > 0:
            with contextlib.suppress(OSError):  # not a TCP socket (a unix socket in a test): keep its default
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, self.send_buffer_bytes)

    async def run_asgi(self) -> None:
        await super().run_asgi()
        if self.disconnected:
            return
        if not self.writable.is_set():
            log.info("live socket reset: its reader takes no bytes")
            self.transport.abort()
        else:
            self.loop.call_later(CLOSE_GRACE_SECONDS, self._abort_if_open)

    def _abort_if_open(self) -> None:
        if not self.disconnected:
            self.transport.abort()


def protocol_for(send_buffer_bytes: int) -> type[BoundedWebSocket]:
    """The protocol class uvicorn instantiates per WebSocket, with this send buffer."""
    return type("ElioWebSocket", (BoundedWebSocket,), {"send_buffer_bytes": send_buffer_bytes})
