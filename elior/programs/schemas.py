"""What a program is on the wire: its workout templates and their exercise lines, and the rules across fields that
a field alone cannot say (a rep range or a rep count, RPE or RIR, a progression only on a weight)."""
from __future__ import annotations

from typing import Any

from elior.web.errors import ValidationError
from elior.web.schema import PAGE, Array, Date, Int, Number, Schema, Str

MAX_WEEKS = 52
MAX_TEMPLATES = MAX_WEEKS * 7  # one workout a day for a year; a day may hold more, the program not
MAX_LINES = 100  # per workout, as elior.training.workouts allows
MAX_PROGRAM_LINES = 5000  # per program: a 12-week plan of 4 workouts of 6 lines has 288
MAX_PER_DAY = 20  # workouts on one day of a program: two a day is a lot, twenty a mistake
MAX_CLIENTS = 100  # per assign request: a studio's whole roster in one go, not an unbounded list
SET_TYPES = ("normal", "warmup", "drop", "amrap")

LINE = Schema("ProgramLine", {
    "exercise_id": Int(required=True, minimum=1),
    "position": Int(minimum=1, maximum=MAX_LINES, description="order in the workout; omitted: the order of the list"),
    "sets": Int(required=True, minimum=1, maximum=100),
    "reps": Int(nullable=True, minimum=0, maximum=1000, description="a fixed count; or give reps_min/reps_max"),
    "reps_min": Int(nullable=True, minimum=0, maximum=1000),
    "reps_max": Int(nullable=True, minimum=0, maximum=1000),
    "weight_kg": Number(nullable=True, minimum=0, maximum=1000, description="the load of week 1"),
    "rpe": Number(nullable=True, minimum=1, maximum=10, description="target effort; or rir, not both"),
    "rir": Int(nullable=True, minimum=0, maximum=10, description="target reps in reserve"),
    "rest_seconds": Int(nullable=True, minimum=0, maximum=3600),
    "tempo": Str(nullable=True, max_length=20, pattern=r"[0-9Xx]{1,2}(-[0-9Xx]{1,2}){2,3}",
                 description="eccentric-pause-concentric(-pause) in seconds, X for explosive", example="3-1-X-0"),
    "set_type": Str(enum=SET_TYPES, default="normal"),
    "superset_group": Str(nullable=True, max_length=10, pattern=r"[A-Za-z0-9]{1,10}",
                          description="lines sharing a label are done back to back", example="A"),
    "duration_seconds": Int(nullable=True, minimum=0, maximum=86400, description="timed work instead of reps"),
    "distance_m": Number(nullable=True, minimum=0, maximum=1_000_000, description="cardio distance instead of reps"),
    "notes": Str(nullable=True, max_length=2000),
    "progression_kg": Number(nullable=True, minimum=-100, maximum=100,
                             description="kg added to weight_kg each week after the first"),
    "progression_pct": Number(nullable=True, minimum=-50, maximum=50,
                              description="percent of week 1's weight_kg added each week after the first"),
})
TEMPLATE = Schema("ProgramWorkout", {
    "week": Int(required=True, minimum=1, maximum=MAX_WEEKS),
    "day": Int(required=True, minimum=1, maximum=7, description="1 is the assignment's start date, 7 six days on"),
    "position": Int(minimum=1, maximum=MAX_PER_DAY,
                    description="order among the day's workouts; omitted: the list's order"),
    "title": Str(required=True, min_length=1, max_length=200),
    "notes": Str(nullable=True, max_length=5000),
    "exercises": Array(items=LINE, max_items=MAX_LINES, default=()),
})
_FIELDS = {
    "title": Str(required=True, min_length=1, max_length=200),
    "description": Str(nullable=True, max_length=5000),
    "weeks": Int(required=True, minimum=1, maximum=MAX_WEEKS),
    "workouts": Array(items=TEMPLATE, max_items=MAX_TEMPLATES, default=()),
}
PROGRAM = Schema("ProgramCreate", _FIELDS)
PROGRAM_UPDATE = Schema("ProgramCreateFields", _FIELDS).partial("ProgramUpdate")
COPY = Schema("ProgramCopy", {"title": Str(min_length=1, max_length=200, description="omitted: \"<title> (copy)\"")})
LIST_QUERY = Schema("ProgramQuery", {
    "q": Str(max_length=200, description="in the title"),
    "owner_id": Int(minimum=1, description="admins: one trainer's programs"),
    **PAGE,
})
CLIENTS = Array(items=Int(minimum=1), required=True, min_items=1, max_items=MAX_CLIENTS)
ASSIGN = Schema("ProgramAssign", {
    "client_ids": CLIENTS,
    "start_date": Date(required=True, description="day 1 of week 1; not before yesterday"),
})
UNASSIGN = Schema("ProgramUnassign", {"client_ids": CLIENTS})

LINE_OUT = Schema("ProgramLineOut", {**LINE.fields, "exercise_name": Str()})
TEMPLATE_OUT = Schema("ProgramWorkoutOut", {"id": Int(), **TEMPLATE.fields, "exercises": Array(items=LINE_OUT)})
_SUMMARY = {
    "id": Int(), "owner_id": Int(), "owner_name": Str(), "title": Str(),
    "description": Str(nullable=True, max_length=5000), "weeks": Int(), "workout_count": Int(),
    "active_clients": Int(description="clients it is assigned to now"),
    "created_at": Str(), "updated_at": Str(),
}
PROGRAM_SUMMARY = Schema("ProgramSummary", _SUMMARY)
PROGRAM_OUT = Schema("Program", {**_SUMMARY, "workouts": Array(items=TEMPLATE_OUT, max_items=MAX_TEMPLATES)})
PROGRAM_PAGE = Schema("ProgramPage", {"items": Array(items=PROGRAM_SUMMARY), "total": Int(), "limit": Int(),
                                      "offset": Int()})
ASSIGNMENT = Schema("ProgramAssignment", {
    "id": Int(), "program_id": Int(), "client_id": Int(), "client_name": Str(), "start_date": Date(),
    "created_at": Str(), "ended_at": Str(nullable=True),
    "workouts": Int(description="scheduled workouts it holds now, logged or not"),
})
ASSIGNED = ASSIGNMENT.extend("ProgramAssigned", {
    "removed": Int(description="future workouts not yet logged of the assignment this one replaced, deleted")})
FAILURE = Schema("ProgramAssignFailure", {"client_id": Int(), "detail": Str()})
ASSIGN_OUT = Schema("ProgramAssignResult", {
    "program_id": Int(), "start_date": Date(),
    "assigned": Array(items=ASSIGNED, max_items=MAX_CLIENTS,
                      description="one per client, each written in its own transaction"),
    "failed": Array(items=FAILURE, max_items=MAX_CLIENTS,
                    description="clients left with nothing of this request, and why"),
})
UNASSIGN_OUT = Schema("ProgramUnassignResult", {"items": Array(items=Schema("ProgramUnassigned", {
    "client_id": Int(), "removed": Int(description="future workouts not yet logged, deleted"),
    "ended": Int(description="assignments ended")}), max_items=MAX_CLIENTS)})
ASSIGNMENT_LIST = Schema("ProgramAssignmentList", {"items": Array(items=ASSIGNMENT, max_items=10_000)})


def check_program(body: dict[str, Any], weeks: int) -> None:
    """422 for what no single field can check, naming every problem's place in the body."""
    problems: list[dict[str, Any]] = []

    def problem(loc: tuple[str | int, ...], msg: str, kind: str) -> None:
        problems.append({"loc": ["body", *loc], "msg": msg, "type": kind})

    templates = list(body.get("workouts") or ())
    slots: set[tuple[int, int, int]] = set()
    per_day: dict[tuple[int, int], int] = {}
    for t, template in enumerate(templates):
        day = (template["week"], template["day"])
        per_day[day] = per_day.get(day, 0) + 1
        if per_day[day] == MAX_PER_DAY + 1:
            problem(("workouts", t), f"a day holds at most {MAX_PER_DAY} workouts", "value_error.too_many")
        if template["week"] > weeks:
            problem(("workouts", t, "week"), f"must be at most the program's {weeks} weeks", "value_error.week")
        if template.get("position") is not None:
            slot = (template["week"], template["day"], template["position"])
            if slot in slots:
                problem(("workouts", t, "position"), "another workout has this week, day and position",
                        "value_error.duplicate_position")
            slots.add(slot)
        positions = [line["position"] for line in template["exercises"] if line.get("position") is not None]
        if len(positions) != len(set(positions)):
            problem(("workouts", t, "exercises"), "positions must be distinct", "value_error.duplicate_position")
        for n, line in enumerate(template["exercises"]):
            for loc, msg, kind in line_problems(line):
                problem(("workouts", t, "exercises", n, *loc), msg, kind)
    if sum(len(template["exercises"]) for template in templates) > MAX_PROGRAM_LINES:
        problem(("workouts",), f"a program holds at most {MAX_PROGRAM_LINES} exercise lines", "value_error.too_many")
    if problems:
        raise ValidationError(problems)


def line_problems(line: dict[str, Any]) -> list[tuple[tuple[str, ...], str, str]]:
    found = []
    low, high = line.get("reps_min"), line.get("reps_max")
    if line.get("reps") is not None and (low is not None or high is not None):
        found.append((("reps",), "give reps or a range (reps_min, reps_max), not both", "value_error.conflict"))
    if low is not None and high is not None and low > high:
        found.append((("reps_min",), "must not be above reps_max", "value_error.range"))
    if line.get("rpe") is not None and line.get("rir") is not None:
        found.append((("rir",), "give an RPE or an RIR target, not both", "value_error.conflict"))
    if line.get("progression_kg") is not None and line.get("progression_pct") is not None:
        found.append((("progression_pct",), "give progression_kg or progression_pct, not both",
                      "value_error.conflict"))
    progresses = line.get("progression_kg") is not None or line.get("progression_pct") is not None
    if progresses and line.get("weight_kg") is None:
        found.append((("weight_kg",), "a progression needs the weight of week 1", "value_error.missing"))
    return found


def numbered(templates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Templates and their lines with every position filled: the given ones kept in order, the rest after them in
    the list's order, numbered 1..n within each day (templates) and each workout (lines)."""
    by_day: dict[tuple[int, int], list[tuple[int, dict[str, Any]]]] = {}
    for index, template in enumerate(templates):
        by_day.setdefault((template["week"], template["day"]), []).append((index, template))
    result = []
    for (week, day), group in sorted(by_day.items()):
        group.sort(key=lambda pair: (pair[1].get("position") or MAX_TEMPLATES + pair[0], pair[0]))
        for position, (_, template) in enumerate(group, start=1):
            lines = sorted(enumerate(template["exercises"]),
                           key=lambda pair: (pair[1].get("position") or MAX_LINES + pair[0], pair[0]))
            result.append({"week": week, "day": day, "position": position, "title": template["title"],
                           "notes": template.get("notes"),
                           "exercises": [{**{key: line.get(key) for key in LINE.fields}, "position": number,
                                          "set_type": line.get("set_type") or "normal",
                                          "tempo": line["tempo"].upper() if line.get("tempo") else None}
                                         for number, (_, line) in enumerate(lines, start=1)]})
    return result
