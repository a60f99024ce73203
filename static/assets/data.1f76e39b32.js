// Small shared lookups: exercise names, the current meal plan, and sums of nutrition.
import { all, get } from "./api.2764f6f883.js";

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
    single.set(id, get(`/api/exercises/${id}`).catch(() => ({ id, name: `Exercise ${id}` }))).get(id)));
  const out = new Map();
  for (const id of ids) out.set(id, await single.get(id));
  return out;
}

export function forgetLibrary() { library = null; single.clear(); }

/** The plan in force today, else the newest one. */
export function currentPlan(plans, today) {
  const live = plans.filter((p) => p.start_date <= today && (!p.end_date || p.end_date >= today));
  const pool = live.length ? live : plans;
  return [...pool].sort((a, b) => (b.start_date || "").localeCompare(a.start_date || ""))[0] || null;
}

export const MACROS = [["kcal", "Energy", "kcal"], ["protein_g", "Protein", "g"], ["carbs_g", "Carbs", "g"],
  ["fat_g", "Fat", "g"]];

export function sumMacros(rows) {
  const total = { kcal: 0, protein_g: 0, carbs_g: 0, fat_g: 0 };
  for (const row of rows) for (const [key] of MACROS) total[key] += Number(row?.[key]) || 0;
  return total;
}

export const STATUS_TEXT = { planned: "Planned", completed: "Done", skipped: "Skipped", pending: "Waiting for review",
  approved: "Approved", rejected: "Needs another look" };
