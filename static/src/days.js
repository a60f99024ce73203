// Calendar days as "YYYY-MM-DD" strings in the user's own time zone (the day a workout is planned for), and the
// little arithmetic the calendar and the assign dialog need. Dates are made at local midnight, never parsed as UTC.
import { locale } from "./i18n.js";

const pad = (n) => String(n).padStart(2, "0");

export const toIso = (date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

export function fromIso(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return new Date(year, month - 1, day);
}

/** A real calendar day written as YYYY-MM-DD (so a hand-edited ?date= cannot break the page). */
export const isIso = (value) => /^\d{4}-\d{2}-\d{2}$/.test(value || "") && toIso(fromIso(value)) === value;

export function addDays(iso, n) {
  const date = fromIso(iso);
  date.setDate(date.getDate() + n);
  return toIso(date);
}

/** The Monday of the week holding `iso` (weeks start on Monday, as the API's calendar does). */
export const mondayOf = (iso) => addDays(iso, -((fromIso(iso).getDay() + 6) % 7));

/** The first Monday after `iso`: a week ahead when `iso` is itself a Monday. */
export const nextMonday = (iso) => addDays(iso, (8 - fromIso(iso).getDay()) % 7 || 7);

export const monthStart = (iso) => `${iso.slice(0, 7)}-01`;

export function monthEnd(iso) {
  const date = fromIso(iso);
  return toIso(new Date(date.getFullYear(), date.getMonth() + 1, 0));
}

/** The first day of the month `n` months from the one holding `iso`. */
export function addMonths(iso, n) {
  const date = fromIso(iso);
  return toIso(new Date(date.getFullYear(), date.getMonth() + n, 1));
}

export const dayLabel = (iso, options = { weekday: "short", day: "numeric", month: "short" }) =>
  fromIso(iso).toLocaleDateString(locale(), options);  // in the chosen language

export const longDay = (iso) => dayLabel(iso, { weekday: "long", day: "numeric", month: "long" });
