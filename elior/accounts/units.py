"""Units: the one home of the conversion factors on the server (static/src/units.js is the browser's twin).

Storage and the API stay metric (`weight_kg`, `*_cm`, as the contract names them); a user's `units_weight`
("kg"|"lb") and `units_length` ("cm"|"in") only steer what the edges show and accept: the browser app, and the progress
CSV export, whose headers name the unit of their column. The factors are exact by definition (the international
pound and inch of 1959).

Rounding is chosen so that a value typed in pounds comes back as the same pounds and is stored as the same kilograms
when typed again: kilograms from pounds are kept to the gram (3 decimals), pounds are shown to 0.1 lb (45 g), and
the gram of rounding moves a pound value by at most 0.0011 lb, far inside the 0.05 lb that the display rounds away.
"""
from __future__ import annotations

from elior.db.database import Database

KG_PER_LB = 0.45359237
CM_PER_IN = 2.54
WEIGHT_UNITS = ("kg", "lb")
LENGTH_UNITS = ("cm", "in")
DEFAULT = {"units_weight": "kg", "units_length": "cm"}
STORED_DECIMALS = 3  # kilograms and centimetres made from pounds and inches: to the gram and the hundredth of a mm
SHOWN_DECIMALS = 2  # what an export writes in the user's units


def _round(value: float, digits: int) -> float:
    return round(value + 0.0, digits)  # + 0.0: -0.0 prints as "-0.0", which no one entered


def weight_to_kg(value: float | None, unit: str) -> float | None:
    """A weight typed in `unit` as the kilograms stored."""
    if value is None:
        return None
    return float(value) if unit == "kg" else _round(float(value) * KG_PER_LB, STORED_DECIMALS)


def weight_from_kg(kg: float | None, unit: str, digits: int = SHOWN_DECIMALS) -> float | None:
    """Stored kilograms in `unit`, rounded for showing."""
    if kg is None:
        return None
    return float(kg) if unit == "kg" else _round(float(kg) / KG_PER_LB, digits)


def length_to_cm(value: float | None, unit: str) -> float | None:
    if value is None:
        return None
    return float(value) if unit == "cm" else _round(float(value) * CM_PER_IN, STORED_DECIMALS)


def length_from_cm(cm: float | None, unit: str, digits: int = SHOWN_DECIMALS) -> float | None:
    if cm is None:
        return None
    return float(cm) if unit == "cm" else _round(float(cm) / CM_PER_IN, digits)


def column(metric: str, units: dict[str, str]) -> str:
    """The name of a metric's column in the caller's units: `weight_kg` -> `weight_lb`, `waist_cm` -> `waist_in`."""
    if metric.endswith("_kg"):
        return metric[:-3] + "_" + units.get("units_weight", "kg")
    if metric.endswith("_cm"):
        return metric[:-3] + "_" + units.get("units_length", "cm")
    return metric


def convert(metric: str, value: float | None, units: dict[str, str]) -> float | None:
    """A stored metric value (named by its metric field) in the caller's units; other metrics unchanged."""
    if metric.endswith("_kg"):
        return weight_from_kg(value, units.get("units_weight", "kg"))
    if metric.endswith("_cm"):
        return length_from_cm(value, units.get("units_length", "cm"))
    return value


async def of_user(db: Database, user_id: int) -> dict[str, str]:
    """A user's units ({"units_weight", "units_length"}); the metric default for a user not found."""
    row = await db.fetch_one("accounts.users.units", id=user_id)
    return {name: (row or {}).get(name) or default for name, default in DEFAULT.items()}
