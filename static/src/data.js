// Small shared lookups: exercise names, the meal plan in force, photo thumbnails, and sums of nutrition.
import { all, get, request } from "./api.js";
import { t } from "./i18n.js";

let library = null;
const single = new Map();

/** id -> exercise for the ids given. Staff read the whole library once; a client reads only what it was given. */
export async function exercisesById(ids, staff) {
  if (staff) {
    library = library || all("/api/exercises", {}, 2000).then((items) => new Map(items.map((e) => [e.id, e])));
    const map = await library;
    const missing = ids.filter((id) => !map.has(id));
    if (!missing.length) return map;
    library = null; // the library changed since it was read: read it again next time
  }
  await Promise.all([...new Set(ids)].filter((id) => !single.has(id)).map((id) =>
    single.set(id, get(`/api/exercises/${id}`)
      .catch(() => ({ id, name: t("data.exercise_fallback", { id: String(id) }) }))).get(id)));
  const out = new Map();
  for (const id of ids) out.set(id, await single.get(id));
  return out;
}

export function forgetLibrary() { library = null; single.clear(); }

/** Whether a plan is in force on `day` (its start on or before, its end, if any, on or after). */
export const planActive = (p, day) => p.start_date <= day && (!p.end_date || p.end_date >= day);

/** The plan in force today (the latest started of them), else null: an ended or future plan takes no entry for today,
 * so it is never picked silently (the Meals page offers the others to choose from). */
export function activePlan(plans, today) {
  return [...plans].filter((p) => planActive(p, today))
    .sort((a, b) => (b.start_date || "").localeCompare(a.start_date || "") || b.id - a.id)[0] || null;
}

/** The plan in force today, else the newest one (what a trainer's overview shows). */
export function currentPlan(plans, today) {
  return activePlan(plans, today)
    || [...plans].sort((a, b) => (b.start_date || "").localeCompare(a.start_date || ""))[0] || null;
}

// A plan's period, one whole phrase per case (the word order differs by language): [open-ended, with an end].
const PLAN_WHEN = {
  active: ["data.plan_open_in_force", "data.plan_range_in_force"],
  future: ["data.plan_open_not_started", "data.plan_range_not_started"],
  past: ["data.plan_open_ended", "data.plan_range_ended"],
};

/** "2025-03-01 to 2025-04-30 (ended)" style words for a plan's period relative to today. */
export function planWhen(p, today) {
  const state = planActive(p, today) ? "active" : p.start_date > today ? "future" : "past";
  return t(PLAN_WHEN[state][p.end_date ? 1 : 0], { start: p.start_date, end: p.end_date });
}

// Thumbnails fetched with the token (or through a signed URL), one fetch per photo per page load.
const thumbs = new Map();
/** A URL an <img> may show for a photo's 320 px thumbnail (`?size=thumb`, the photo's own access checks). */
export function thumbUrl(filename, signedUrl) {
  if (signedUrl) return Promise.resolve(`${signedUrl}&size=thumb`);
  if (!thumbs.has(filename)) {
    thumbs.set(filename, request("GET", `/api/files/${encodeURIComponent(filename)}`, { query: { size: "thumb" },
      raw: true }).then((response) => response.blob()).then((blob) => URL.createObjectURL(blob)));
  }
  return thumbs.get(filename);
}

// The nutrition figures: [field, label key, unit]. Units stay as written in every language.
const MACRO_ROWS = [["kcal", "data.macro_energy", "kcal"], ["protein_g", "data.macro_protein", "g"],
  ["carbs_g", "data.macro_carbs", "g"], ["fat_g", "data.macro_fat", "g"]];

/** [field, label, unit] rows, the labels in the current language. */
export const macros = () => MACRO_ROWS.map(([key, label, unit]) => [key, t(label), unit]);

/** The nutrition fields, in the order tables show them. */
export const MACRO_FIELDS = MACRO_ROWS.map(([key]) => key);

export function sumMacros(rows) {
  const total = { kcal: 0, protein_g: 0, carbs_g: 0, fat_g: 0 };
  for (const row of rows) for (const key of MACRO_FIELDS) total[key] += Number(row?.[key]) || 0;
  return total;
}

// Workout and meal-entry statuses as shown to people.
const STATUS_KEYS = { planned: "data.status_planned", completed: "data.status_completed",
  skipped: "data.status_skipped", pending: "data.status_pending", approved: "data.status_approved",
  rejected: "data.status_rejected" };

/** A status in words ("completed" -> "Done"); an unknown one as given. */
export const statusText = (status) => (Object.hasOwn(STATUS_KEYS, status || "") ? t(STATUS_KEYS[status]) : status);

