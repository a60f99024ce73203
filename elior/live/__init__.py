"""Live updates: the event bus, the hub of open sockets, fan-out between processes, the WebSocket channels."""
