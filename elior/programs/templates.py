"""A program's workout templates and their exercise lines: written from a validated body and read back, each in a
constant number of statements whatever the program's size (one for the templates, one for all their lines)."""
from __future__ import annotations

from typing import Any

import orjson

from elior.db.database import Database
from elior.web.errors import ValidationError


def _json(rows: Any) -> str:
    return orjson.dumps(rows).decode()


async def check_exercises(db: Database, templates: list[dict[str, Any]]) -> None:
    """422 naming every line whose exercise_id does not exist; one statement for the whole program."""
    ids = {line["exercise_id"] for template in templates for line in template["exercises"]}
    if not ids:
        return
    found = {row["id"] for row in await db.fetch_all("programs.templates.existing_exercises", ids=_json(sorted(ids)))}
    problems = [{"loc": ["body", "workouts", t, "exercises", n, "exercise_id"],
                 "msg": f"exercise {line['exercise_id']} does not exist", "type": "value_error.unknown_exercise"}
                for t, template in enumerate(templates) for n, line in enumerate(template["exercises"])
                if line["exercise_id"] not in found]
    if problems:
        raise ValidationError(problems)


async def write(db: Database, program_id: int, templates: list[dict[str, Any]], scope: dict[str, Any]) -> None:
    """Insert numbered templates (elior.programs.schemas.numbered) and their lines into a program of the caller's."""
    if not templates:
        return
    rows = [{key: t[key] for key in ("week", "day", "position", "title", "notes")} for t in templates]
    made = await db.fetch_all("programs.templates.insert", program_id=program_id, rows=_json(rows), **scope)
    ids = {(row["week"], row["day"], row["position"]): row["id"] for row in made}
    lines = [{**line, "template_id": ids[(t["week"], t["day"], t["position"])]}
             for t in templates for line in t["exercises"]]
    if lines:
        await db.execute("programs.templates.insert_lines", program_id=program_id, rows=_json(lines), **scope)


async def read(db: Database, program_id: int, scope: dict[str, Any]) -> list[dict[str, Any]]:
    """The program's templates in order, each with its lines: two statements."""
    templates = await db.fetch_all("programs.templates.of_program", program_id=program_id, **scope)
    by_id: dict[int, list[dict[str, Any]]] = {t["id"]: [] for t in templates}
    for line in await db.fetch_all("programs.templates.lines_of", program_id=program_id, **scope):
        by_id[line.pop("template_id")].append(line)
    return [{**t, "exercises": by_id[t["id"]]} for t in templates]

