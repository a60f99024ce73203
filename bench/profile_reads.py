"""Where a request's Python time goes: the app called in-process, ASGI to ASGI, no socket, no uvicorn.

    python3 bench/profile_reads.py [--requests 3000] [--profile "workouts list"] [--root DIR]

Builds the app from `elior.app.create_app` on a temporary SQLite file with the caches off (`CACHE_TTL_SCALE=0`)
and rate limits off, seeds the same studio as bench/http_load.py through the API (50 workouts of 5 exercise rows,
20 progress entries), then calls each endpoint `--requests` times, one after another, and prints the microseconds
of CPU per request (time.process_time: the app's own cost, without the HTTP server or the client). `--profile NAME`
runs that endpoint under cProfile and prints the 35 heaviest functions by their own time and by cumulative time.

It is the inner figure of bench/http_load.py's "CPU us per request": what the app costs above uvicorn and httptools.
"""
from __future__ import annotations

import argparse
import asyncio
import cProfile
import datetime as dt
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
ADMIN, PASSWORD = "admin@bench.test", "bench admin password"


async def call(app: Any, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, bytes]:
    """One request through the ASGI interface, as uvicorn would make it."""
    raw_path, _, query = path.partition("?")
    headers = [(b"host", b"127.0.0.1")]  # no Accept-Encoding: wrk sends none either
    payload = b"" if body is None else orjson.dumps(body)
    if token:
        headers.append((b"authorization", b"Bearer " + token.encode()))
    if body is not None:
        headers += [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": raw_path, "raw_path": raw_path.encode(), "query_string": query.encode(), "root_path": "",
             "headers": headers, "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000), "state": {}}
    sent = False
    status, chunks = 0, []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": payload, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


async def api(app: Any, method: str, path: str, body: Any = None, token: str | None = None,
              expect: int = 200) -> Any:
    status, content = await call(app, method, path, body, token)
    if status != expect:
        raise SystemExit(f"{method} {path}: {status} {content[:300]!r}")
    return orjson.loads(content) if content else None


async def seed(app: Any) -> dict[str, Any]:
    admin = (await api(app, "POST", "/api/auth/login", {"email": ADMIN, "password": PASSWORD}))["access_token"]

    async def person(role: str, name: str, token: str) -> tuple[int, str]:
        email = f"{name}@bench.test"
        user = await api(app, "POST", "/api/users", {"email": email, "password": PASSWORD, "full_name": name,
                                                     "role": role}, admin if role == "trainer" else token, 201)
        login = await api(app, "POST", "/api/auth/login", {"email": email, "password": PASSWORD})
        return user["id"], login["access_token"]

    _, trainer = await person("trainer", "trainer", admin)
    client_id, client = await person("client", "client", trainer)
    exercises = [(await api(app, "POST", "/api/exercises", {"name": f"Exercise {i}", "muscle_group": "legs",
                                                            "equipment": "barbell"}, trainer, 201))["id"]
                 for i in range(10)]
    first = dt.date.today() - dt.timedelta(days=60)
    workouts = []
    for i in range(50):
        rows = [{"exercise_id": exercises[(i + j) % 10], "sets": 3 + j % 3, "reps": 8 + j, "weight_kg": 40 + 2.5 * j,
                 "rest_seconds": 90, "notes": f"row {j}"} for j in range(5)]
        workouts.append((await api(app, "POST", "/api/workouts", {
            "client_id": client_id, "title": f"Session {i}", "notes": "strength block",
            "scheduled_for": (first + dt.timedelta(days=i)).isoformat(), "exercises": rows}, trainer, 201))["id"])
    for i in range(20):
        await api(app, "POST", "/api/progress", {
            "client_id": client_id, "date": (first + dt.timedelta(days=3 * i)).isoformat(), "weight_kg": 80 - i * 0.3,
            "body_fat_pct": 22 - i * 0.1, "notes": "weekly check-in",
            "measurements": {"chest_cm": 100, "waist_cm": 85 - i * 0.2, "hips_cm": 98, "arm_cm": 35,
                             "thigh_cm": 58}}, trainer, 201)
    return {"client_id": client_id, "client": client, "trainer": trainer, "workouts": workouts}


def endpoints(seeded: dict[str, Any]) -> dict[str, tuple[str, str, str | None]]:
    return {
        "health": ("GET", "/health", None),
        "me": ("GET", "/api/auth/me", seeded["client"]),
        "progress list": ("GET", "/api/progress?limit=20", seeded["client"]),
        "workouts list": ("GET", f"/api/workouts?client_id={seeded['client_id']}&limit=20", seeded["trainer"]),
        "workout get": ("GET", f"/api/workouts/{seeded['workouts'][7]}", seeded["trainer"]),
    }


def make_app(prefix: str) -> Any:
    """The app on a temporary SQLite file, caches and rate limits off (the project's own checkout, on sys.path)."""
    from elior.app import create_app
    from elior.settings import Settings

    folder = tempfile.mkdtemp(prefix=prefix)
    return create_app(Settings.from_env({"ELIOR_DATA_DIR": folder, "RATE_LIMIT_PER_MINUTE": "0",
                                         "CACHE_TTL_SCALE": "0", "BCRYPT_ROUNDS": "4", "LOG_LEVEL": "WARNING",
                                         "ELIOR_ADMIN_EMAIL": ADMIN, "ELIOR_ADMIN_PASSWORD": PASSWORD,
                                         "SECRET_KEY": "x" * 40}))


async def main(args: argparse.Namespace) -> None:
    app = make_app("elior-profile-")
    async with app.router.lifespan_context(app):
        seeded = await seed(app)
        targets = endpoints(seeded)
        print(f"{'endpoint':<16}{'CPU us/req':>12}{'bytes':>8}")
        for name, (method, path, token) in targets.items():
            for _ in range(200):
                await call(app, method, path, None, token)
            started = time.process_time()
            for _ in range(args.requests):
                status, content = await call(app, method, path, None, token)
            assert status == 200, (name, status, content[:200])
            print(f"{name:<16}{(time.process_time() - started) / args.requests * 1e6:>12.1f}{len(content):>8}")
        if args.profile:
            method, path, token = targets[args.profile]
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests):
                await call(app, method, path, None, token)
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("tottime").print_stats(35)
            stats.sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--profile", help="an endpoint to run under cProfile")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout of the project to import")
    parsed = parser.parse_args()
    sys.path.insert(0, str(parsed.root.resolve()))
    os.chdir(parsed.root.resolve())
    try:
        import uvloop
        uvloop.install()
    except ImportError:
        pass
    asyncio.run(main(parsed))
