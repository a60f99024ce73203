"""First load of the trainer's dashboard in headless Chromium, on loopback, against a real server.

    python3 bench/spa_load.py [--runs 5] [--clients 30] [--database-url postgresql://...]

A trainer with `--clients` clients (each with a workout, a meal plan with a pending meal entry, and progress) opens
/clients in a fresh browser profile (cold cache) already holding a session (the refresh token in sessionStorage,
as after a reload), then once more in the same profile (warm cache). Reported per run, then the median:
- requests and bytes on the wire (CDP Network.loadingFinished encodedDataLength: headers + compressed bodies),
  split into the app's files (HTML, JS, CSS) and API calls;
- first contentful paint (the "paint" entries) and the first meaningful render: the `elior:view` mark the app sets
  once the client list is drawn with its data, and `elior:attention` once every row's "needs attention" flags
  (workouts, progress, pending meal entries) are filled in (performance.mark, relative to navigation start).
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import _pg_admin, _server_url  # noqa: E402
from tests.spa_support import (  # noqa: E402
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    PASSWORD,
    Api,
    Server,
    launch,
    missing_browser,
    register_by_invite,
)


def seed(server: Server, clients: int) -> str:
    owner = Api(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    email, trainer = register_by_invite(server, owner, "trainer", "Bench Trainer")
    exercise = trainer.call("POST", "/api/exercises", 201, json={"name": "Squat", "muscle_group": "legs"})
    today = date.today()
    for n in range(clients):
        client_email = f"client{n}-{uuid.uuid4().hex[:6]}@bench.test"
        person = trainer.call("POST", "/api/users", 201, json={"email": client_email, "password": PASSWORD,
                                                               "full_name": f"Client {n:02d}", "role": "client"})
        trainer.call("POST", "/api/workouts", 201, json={
            "client_id": person["id"], "title": "Full body", "scheduled_for": (today + timedelta(days=1)).isoformat(),
            "exercises": [{"exercise_id": exercise["id"], "position": 1, "sets": 3, "reps": 10}]})
        plan = trainer.call("POST", "/api/meal-plans", 201, json={
            "client_id": person["id"], "title": "Plan", "start_date": today.isoformat(),
            "targets": {"kcal": 2200, "protein_g": 150, "carbs_g": 220, "fat_g": 70}})
        client = Api(server, client_email, PASSWORD)
        client.call("POST", f"/api/meal-plans/{plan['id']}/entries", 201, json={
            "date": today.isoformat(), "meal_name": "Lunch", "kcal": 600})
        client.call("POST", "/api/progress", 201, json={"date": today.isoformat(), "weight_kg": 70 + n % 20})
    return email


def one_load(page: Any, cdp: Any, url: str) -> dict[str, Any]:
    seen: dict[str, dict[str, Any]] = {}
    cdp.on("Network.responseReceived", lambda e: seen.setdefault(e["requestId"], {}).update(
        url=e["response"]["url"], cached=e["response"].get("fromDiskCache", False)))
    cdp.on("Network.loadingFinished", lambda e: seen.setdefault(e["requestId"], {}).update(
        bytes=e["encodedDataLength"]))
    page.goto(url)
    page.wait_for_function("() => performance.getEntriesByName('elior:attention').length > 0", timeout=30_000)
    page.wait_for_load_state("networkidle")
    timing = page.evaluate("""() => {
        const paint = performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint');
        const view = performance.getEntriesByName('elior:view')[0];
        const flags = performance.getEntriesByName('elior:attention')[0];
        return {fcp: paint ? paint.startTime : null, view: view.startTime, path: view.detail,
                attention: flags.startTime};
    }""")
    done = [r for r in seen.values() if "bytes" in r and "url" in r and not r["url"].startswith("data:")]
    api = [r for r in done if "/api/" in r["url"]]
    app = [r for r in done if "/api/" not in r["url"]]
    return {"requests": len(done), "bytes": sum(r["bytes"] for r in done),
            "app_requests": len(app), "app_bytes": sum(r["bytes"] for r in app),
            "api_requests": len(api), "api_bytes": sum(r["bytes"] for r in api),
            "fcp_ms": timing["fcp"], "render_ms": timing["view"], "attention_ms": timing["attention"],
            "path": timing["path"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    reason = missing_browser()
    if reason:
        print(f"skipped: {reason}")
        return 0
    from playwright.sync_api import sync_playwright

    scratch = None
    database_url = args.database_url
    if database_url and database_url.startswith("postgres"):
        # A database of the bench's own on that server, dropped at the end: the named one is never written to.
        scratch = f"elior_bench_{uuid.uuid4().hex[:8]}"
        asyncio.run(_pg_admin(database_url, f'CREATE DATABASE "{scratch}"'))
        database_url = _server_url(database_url, scratch)
    server = Server(database_url=database_url)
    try:
        server.start()
        email = seed(server, args.clients)
        results: dict[str, list[dict[str, Any]]] = {"cold": [], "warm": []}
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for _ in range(args.runs):
                # A fresh profile per run: nothing cached. The session is the one a reload would find.
                tokens = httpx.post(f"{server.url}/api/auth/login", json={"email": email, "password": PASSWORD},
                                    timeout=20).json()
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                context.add_init_script(
                    "if (!sessionStorage.getItem('elior.refresh')) "
                    f"sessionStorage.setItem('elior.refresh', {tokens['refresh_token']!r});")
                # Cold, then warm: the same tab loads the page again (its sessionStorage holds the rotated token).
                page = context.new_page()
                for kind in ("cold", "warm"):
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    results[kind].append(one_load(page, cdp, f"{server.url}/clients"))
                    cdp.detach()
                context.close()
            browser.close()
    finally:
        server.stop()
        if scratch:
            asyncio.run(_pg_admin(args.database_url, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))

    print(f"trainer dashboard (/clients), {args.clients} clients, {args.runs} runs, "
          f"{'PostgreSQL' if args.database_url else 'SQLite'}, loopback, headless Chromium")
    for kind, runs in results.items():
        assert all(r["path"] == "/clients" for r in runs), [r["path"] for r in runs]
        med = {key: statistics.median(r[key] for r in runs) for key in runs[0] if key != "path"}
        print(f"{kind:>4}: {med['requests']:.0f} requests, {med['bytes'] / 1024:.1f} KB on the wire "
              f"(app files: {med['app_requests']:.0f} requests, {med['app_bytes'] / 1024:.1f} KB; "
              f"API: {med['api_requests']:.0f} requests, {med['api_bytes'] / 1024:.1f} KB); "
              f"first contentful paint {med['fcp_ms']:.0f} ms, client list drawn {med['render_ms']:.0f} ms "
              f"(min {min(r['render_ms'] for r in runs):.0f}, max {max(r['render_ms'] for r in runs):.0f}), "
              f"attention flags filled {med['attention_ms']:.0f} ms (medians)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
