"""python -m elior [serve|migrate|...]: the studio owner's one command."""
from __future__ import annotations

import argparse
import asyncio
import sys

from elior import settings as settings_module
from elior.mail.config import MailConfig
from elior.ops import logs, privacy
from elior.settings import Settings


def _free_port(host: str) -> int:
    """A port the OS has free now, for `--port 0`: chosen here rather than by uvicorn's bind, because the setup link
    is logged before uvicorn binds and must name the port the owner can open."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def serve(settings: Settings, host: str | None, port: int | None) -> None:
    from elior.app import create_app
    from elior.ops.shutdown import serve as run_server

    # The overrides go into the settings too, so the first-start setup URL in the log names the real address
    # (elior/accounts/bootstrap.py turns 0.0.0.0 into 127.0.0.1 there).
    host = host or settings.host
    port = settings.port if port is None else port
    settings = settings.with_overrides(host=host, port=port or _free_port(host))
    # uvicorn, plus the graceful shutdown of elior/shutdown.py (sockets closed with 1001 on SIGTERM).
    # Live updates: client frames over 64 KB are refused before they are buffered, and no per-message deflate
    # (its zlib state doubled the memory of an open socket, measured by bench/live_updates.py; messages are small).
    run_server(create_app(settings), settings.host, settings.port, ws_max_size=65536, ws_per_message_deflate=False)


def _backup_or_restore(command: str, settings: Settings, file: str) -> int:
    from pathlib import Path

    from elior.ops import backup

    try:
        if command == "backup":
            manifest = backup.backup(settings, Path(file))
            print(f"backup written to {file}: the {manifest['dialect']} database and {manifest['uploads']} upload(s)")
        else:
            manifest = backup.restore(settings, Path(file))
            print(f"restored {file} (taken {manifest['created_at']}): the database and {manifest['uploads']} upload(s)")
    except backup.BackupError as error:
        print(f"elior: {error}", file=sys.stderr)
        return 1
    return 0


async def _migrate(settings: Settings) -> list[str]:
    from elior.db.database import Database
    from elior.db.migrations import migrate

    db = Database(settings.database_url)
    await db.connect()
    try:
        return await migrate(db)
    finally:
        await db.disconnect()


def _ask_admin(email: str | None, full_name: str | None) -> dict[str, str]:
    """The new admin's details: flags, then prompts; the password without echo, or one line of stdin if piped."""
    import getpass

    email = email or input("Email: ").strip()
    full_name = full_name or (input("Full name: ").strip() if sys.stdin.isatty() else "") or "Admin"
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            raise SystemExit("elior: the two passwords differ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    return {"email": email, "password": password, "full_name": full_name}


async def _create_admin(settings: Settings, details: dict[str, str]) -> int:
    from elior.accounts import bootstrap
    from elior.accounts.passwords import PasswordHasher
    from elior.db.database import Database
    from elior.db.migrations import migrate
    from elior.web.errors import ApiError

    try:
        values = bootstrap.ADMIN.validate(details)
    except ApiError as error:
        problems = "; ".join(f"{p['loc'][-1]} {p['msg']}" for p in error.detail)
        raise SystemExit(f"elior: {problems}") from None
    db = Database(settings.database_url)
    await db.connect()
    try:
        await migrate(db)
        user_id = await bootstrap.create_admin(db, PasswordHasher.for_settings(settings), email=values["email"],
                                               password=values["password"], full_name=values["full_name"],
                                               only_if_first=False)
    except ApiError as error:
        raise SystemExit(f"elior: {error.detail}") from None
    finally:
        await db.disconnect()
    assert user_id is not None
    return user_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m elior", description="Elior, the studio's back end.")
    commands = parser.add_subparsers(dest="command")
    serve_parser = commands.add_parser("serve", help="serve the API and the browser app (the default)")
    serve_parser.add_argument("--host", help="address to listen on (default 127.0.0.1, or HOST)")
    serve_parser.add_argument("--port", type=int, help="port to listen on (default 8000, or PORT)")
    commands.add_parser("migrate", help="apply pending database migrations and exit")
    admin_parser = commands.add_parser("create-admin", help="create an admin account (asks for the password)")
    admin_parser.add_argument("--email", help="the admin's email (asked when missing)")
    admin_parser.add_argument("--full-name", help="the admin's name (default: Admin)")
    backup_parser = commands.add_parser("backup", help="write the database and uploads to one .tar.gz (live)")
    backup_parser.add_argument("file", help="the archive to write (must not exist)")
    restore_parser = commands.add_parser("restore", help="restore a backup into an empty data folder and database")
    restore_parser.add_argument("file", help="the archive written by `backup`")
    # load one client's export archive, all or nothing
    import_parser = commands.add_parser("import", help="load a client's export archive (all or nothing, new ids)")
    import_parser.add_argument("file", help="the ZIP written by an export")
    import_parser.add_argument("--trainer", help="email of the trainer to give the client to (default: none)")
    # one client's archive, or the whole studio's, with a progress bar on stderr
    export_parser = commands.add_parser("export", help="write a client's data (or every client's) to one ZIP")
    export_who = export_parser.add_mutually_exclusive_group(required=True)
    export_who.add_argument("--client", type=int, metavar="ID", help="the client's id")
    export_who.add_argument("--all", action="store_true", help="every client of the studio")
    export_parser.add_argument("file", help="the ZIP to write (must not exist)")
    args = parser.parse_args(argv)

    settings = settings_module.load(MailConfig.from_settings)
    privacy.make_private(settings)  # 0600 files in 0700 folders, whatever the umask: for serve, backup and restore
    logs.configure(settings.log_level)
    if args.command in (None, "serve"):
        serve(settings, getattr(args, "host", None), getattr(args, "port", None))
    elif args.command == "migrate":
        applied = asyncio.run(_migrate(settings))
        print(f"applied {len(applied)} migration(s): {', '.join(applied) or 'none pending'}")
    elif args.command == "create-admin":
        user_id = asyncio.run(_create_admin(settings, _ask_admin(args.email, args.full_name)))
        print(f"admin created: user {user_id}")
    elif args.command in ("backup", "restore"):
        return _backup_or_restore(args.command, settings, args.file)
    elif args.command == "import":
        from elior.exports import importer

        return asyncio.run(importer.command(settings, args.file, args.trainer))
    elif args.command == "export":
        from elior.exports import cli as export_cli

        return asyncio.run(export_cli.command(settings, args.file, args.client, args.all))
    return 0


if __name__ == "__main__":
    sys.exit(main())
