"""Make docs/img/trainer-client-page.png: a seeded studio on a real server, shot by Debian's chromium.

    python3 docs/tools/screenshot.py [--out docs/img/trainer-client-page.png]

It starts `python -m elior serve` on a free port with a temporary database (tests/spa_support.py's Server), seeds
one trainer's client through the API as people would (invites, a month of workouts and weigh-ins, a meal plan,
today's meals), signs the trainer in through the sign-in page, and shoots the client's page at a desk's viewport.
The PNG must stay under 200 KB, to keep the repository light.
"""
from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx2 as httpx  # noqa: E402

from tests.spa_support import (  # noqa: E402 - the repository root first, so `tests` imports from a checkout
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    PASSWORD,
    Api,
    Server,
    launch,
    missing_browser,
)

VIEWPORT = {"width": 1280, "height": 1100}
MAX_BYTES = 200 * 1024


def invite(server: Server, inviter: Api, role: str, email: str, full_name: str) -> Api:
    """A new account made the way people make them: an invite, then registration with its code."""
    code = inviter.call("POST", "/api/invites", 201, json={"role": role})["code"]
    answer = httpx.post(f"{server.url}/api/auth/register", timeout=20,
                        json={"email": email, "password": PASSWORD, "full_name": full_name, "invite_code": code})
    assert answer.status_code == 201, answer.text
    return Api(server, email, PASSWORD)


def seed(server: Server) -> tuple[str, int]:
    """A trainer with a client who has trained and weighed in for a month; the trainer's email and the client's id."""
    owner = Api(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    trainer_email = "tara@studio.test"
    trainer = invite(server, owner, "trainer", trainer_email, "Tara Trainer")
    client = invite(server, trainer, "client", "cleo@studio.test", "Cleo Client")
    client_id = client.user["id"]
    exercises = [trainer.call("POST", "/api/exercises", 201, json={"name": name, "muscle_group": group})["id"]
                 for name, group in (("Back squat", "legs"), ("Bench press", "chest"), ("Deadlift", "back"))]
    today = date.today()
    for week in range(4, -2, -1):  # four weeks logged, this week's session, next week's planned
        day = today - timedelta(days=7 * week)
        workout = trainer.call("POST", "/api/workouts", 201, json={
            "client_id": client_id, "title": "Full body A" if week % 2 else "Full body B",
            "scheduled_for": day.isoformat(),
            "exercises": [{"exercise_id": exercise, "sets": 3, "reps": 5, "weight_kg": 60 + 10 * n + (4 - week) * 2.5,
                           "rest_seconds": 120} for n, exercise in enumerate(exercises)]})
        if week > 0:
            client.call("POST", f"/api/workouts/{workout['id']}/log", 201, json={
                "performed_at": f"{day.isoformat()}T18:00:00Z", "duration_minutes": 55, "rating": 4,
                "sets": [{"exercise_id": x["exercise_id"], "set_number": s, "reps": 5, "weight_kg": x["weight_kg"]}
                         for x in workout["exercises"] for s in (1, 2, 3)]})
    for n in range(8):
        day = today - timedelta(days=28 - 4 * n)
        client.call("POST", "/api/progress", 201, json={
            "date": day.isoformat(), "weight_kg": round(84 - 0.35 * n, 1), "body_fat_pct": round(22 - 0.3 * n, 1),
            "measurements": {"waist_cm": round(92 - 0.5 * n, 1), "hips_cm": 101 - 0.2 * n}})
    plan = trainer.call("POST", "/api/meal-plans", 201, json={
        "client_id": client_id, "title": "Lean month", "start_date": (today - timedelta(days=28)).isoformat(),
        "targets": {"kcal": 2300, "protein_g": 160, "carbs_g": 240, "fat_g": 75},
        "meals": [
            {"name": "Breakfast", "time": "07:30", "items": [
                {"food": "Oats", "quantity_g": 80, "kcal": 300, "protein_g": 10, "carbs_g": 54, "fat_g": 6},
                {"food": "Greek yoghurt", "quantity_g": 200, "kcal": 190, "protein_g": 20, "carbs_g": 8, "fat_g": 9}]},
            {"name": "Lunch", "time": "13:00", "items": [
                {"food": "Chicken and rice", "quantity_g": 400, "kcal": 650, "protein_g": 50, "carbs_g": 80,
                 "fat_g": 12}]},
            {"name": "Dinner", "time": "19:30", "items": [
                {"food": "Salmon, potatoes, greens", "quantity_g": 450, "kcal": 720, "protein_g": 45, "carbs_g": 60,
                 "fat_g": 30}]}]})
    for meal, text, kcal, protein in (("Breakfast", "oats with yoghurt", 480, 29), ("Lunch", "chicken and rice", 690,
                                                                                     52)):
        client.call("POST", f"/api/meal-plans/{plan['id']}/entries", 201, json={
            "date": today.isoformat(), "meal_name": meal, "description": text, "kcal": kcal, "protein_g": protein})
    return trainer_email, client_id


def shoot(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    server = Server().start()
    try:
        trainer_email, client_id = seed(server)
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_context(viewport=VIEWPORT).new_page()
            page.goto(f"{server.url}/signin")
            page.get_by_label("Email").fill(trainer_email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_selector("header.top")
            page.goto(f"{server.url}/clients/{client_id}")
            page.wait_for_selector("text=Today: targets against what was logged")
            page.wait_for_load_state("networkidle")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
            browser.close()
    finally:
        server.stop()
    size = out.stat().st_size
    print(f"{out}: {size // 1024} KB")
    if size > MAX_BYTES:
        raise SystemExit(f"{out} is over {MAX_BYTES // 1024} KB: shoot a smaller viewport")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "trainer-client-page.png")
    args = parser.parse_args()
    reason = missing_browser()
    if reason:
        print(f"cannot shoot: {reason}", file=sys.stderr)
        return 1
    shoot(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
