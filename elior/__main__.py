"""python -m elior [serve|migrate|...]: the studio owner's one command."""
from __future__ import annotations

import argparse
import asyncio
import sys

from elior import logs, settings as settings_module
from elior.settings import Settings


def serve(settings: Settings, host: str | None, port: int | None) -> None:
    import uvicorn

    from elior.app import create_app

    uvicorn.run(create_app(settings), host=host or settings.host, port=port or settings.port,
                log_config=None, proxy_headers=True, server_header=False, timeout_graceful_shutdown=10)


async def _migrate(settings: Settings) -> list[str]:
    from elior.db import Database
    from elior.migrations import migrate

    db = Database(settings.database_url)
    await db.connect()
    try:
        return await migrate(db)
    finally:
        await db.disconnect()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m elior", description="Elior, the studio's back end.")
    commands = parser.add_subparsers(dest="command")
    serve_parser = commands.add_parser("serve", help="serve the API and the browser app (the default)")
    serve_parser.add_argument("--host", help="address to listen on (default 127.0.0.1, or HOST)")
    serve_parser.add_argument("--port", type=int, help="port to listen on (default 8000, or PORT)")
    commands.add_parser("migrate", help="apply pending database migrations and exit")
    args = parser.parse_args(argv)

    settings = settings_module.load()
    logs.configure(settings.log_level)
    if args.command in (None, "serve"):
        serve(settings, getattr(args, "host", None), getattr(args, "port", None))
    elif args.command == "migrate":
        applied = asyncio.run(_migrate(settings))
        print(f"applied {len(applied)} migration(s): {', '.join(applied) or 'none pending'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
