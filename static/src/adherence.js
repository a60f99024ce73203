// A meal plan's adherence, day by day (GET /api/meal-plans/{id}/adherence): a strip of day cells coloured by how
// the day's kcal compare with the plan (its daily target, else what its meals add up to), the percentage on each,
// and the numbers behind them (planned, target and eaten per macro) in a table on demand. The same for a client
// and for their trainer: adherenceView(plan) reads the plan by id, whoever looks.
import { get } from "./api.js";
import { MACRO_FIELDS } from "./data.js";
import { h, empty, fmtDate, fmtNum, isoDay, toast } from "./dom.js";
import { locale, t } from "./i18n.js";

const WINDOW = 14;  // days shown at once: two rows of seven on a phone
const LOW = 80, HIGH = 110;  // percent of the plan: under, on target, over

/** YYYY-MM-DD moved by `days` (calendar arithmetic in UTC, so no time zone shifts the date). */
function shift(day, days) {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const MACRO_LABEL = { kcal: "adherence.col_kcal", protein_g: "adherence.col_protein", carbs_g: "adherence.col_carbs",
  fat_g: "adherence.col_fat" };

/** What a day is measured against for `key`: the plan's target if set, else its meals' total; null if neither. */
function basis(data, key) {
  const target = Number(data.targets?.[key]) || 0;
  if (target) return { kind: "target", value: target };
  const planned = Number(data.planned?.[key]) || 0;
  return planned ? { kind: "planned", value: planned } : null;
}

function percent(data, day, key) {
  const against = basis(data, key);
  // Not the server's percent_of_target (rounded to 0.1): rounding that again would make 45.45% a "46%".
  return against ? (Number(day.logged[key]) || 0) / against.value * 100 : null;
}

function state(day, pct) {
  if (!day.entries.total) return "none";
  if (pct === null) return "logged";
  const shown = Math.round(pct);  // the colour agrees with the percentage written on the cell
  return shown < LOW ? "short" : shown > HIGH ? "over" : "done";
}

/** A day as a button (a cell people look at; tapping it shows that day's numbers in the table). */
function dayCell(data, day, today, onPick) {
  const pct = percent(data, day, "kcal");
  const kind = state(day, pct);
  const date = fmtDate(day.date);
  const count = day.entries.total;
  const label = kind === "none" ? t("adherence.day_none", { date })
    : pct === null ? t("adherence.day_count", { date, count })
      : t("adherence.day_percent", { date, count, eaten: Math.round(Number(day.logged.kcal) || 0),
        goal: Math.round(basis(data, "kcal").value), percent: Math.round(pct) });
  const at = new Date(`${day.date}T00:00:00`);
  return h("button", { type: "button", class: `day ${kind}${day.date === today ? " today" : ""}`, "aria-label": label,
    title: label, dataset: { day: day.date, state: kind }, onclick: () => onPick(day.date) },
  h("span", { class: "day-name", "aria-hidden": "true" }, at.toLocaleDateString(locale(), { weekday: "short" })),
  h("span", { class: "day-date", "aria-hidden": "true" }, at.toLocaleDateString(locale(), { day: "numeric" })),
  h("span", { class: "day-percent", "aria-hidden": "true" }, kind === "none" ? "–"
    : pct === null ? "✓" : t("adherence.percent", { value: Math.round(pct) })));
}

function numbersTable(data) {
  const macroCell = (day, key) => {
    const pct = percent(data, day, key);
    const eaten = fmtNum(day.logged[key], 0);
    return h("td", { dataset: { macro: key } }, pct === null ? eaten
      : t("adherence.eaten_percent", { eaten, percent: fmtNum(pct, 0) }));
  };
  const plain = (label, values) => h("tr", { class: "reference" }, h("th", { scope: "row" }, label), h("td", {}, ""),
    MACRO_FIELDS.map((key) => h("td", { dataset: { macro: key } }, fmtNum(values?.[key], 0))));
  const hasTargets = MACRO_FIELDS.some((key) => Number(data.targets?.[key]));
  return h("div", { class: "table-wrap" }, h("table", { class: "compact adherence-table" },
    h("caption", {}, t("adherence.table_caption")),
    h("thead", {}, h("tr", {}, [t("adherence.col_day"), t("adherence.col_meals"),
      ...MACRO_FIELDS.map((key) => t(MACRO_LABEL[key]))].map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", {}, plain(t("adherence.row_planned"), data.planned),
      hasTargets ? plain(t("adherence.row_target"), data.targets) : null,
      data.days.map((day) => h("tr", { dataset: { day: day.date } }, h("th", { scope: "row", tabindex: "-1" },
        fmtDate(day.date)),
        h("td", {}, fmtNum(day.entries.total, 0)), MACRO_FIELDS.map((key) => macroCell(day, key)))))));
}

function summary(data) {
  const against = basis(data, "kcal");
  if (!against) return h("p", { class: "small muted" }, t("adherence.no_basis"));
  const onTarget = data.days.filter((day) => state(day, percent(data, day, "kcal")) === "done").length;
  return h("div", {}, h("p", { class: "adherence-summary" },
    t("adherence.summary", { count: onTarget, days: data.days.length })),
  h("p", { class: "small muted" }, t(against.kind === "target" ? "adherence.legend_target" : "adherence.legend_planned",
    { goal: Math.round(against.value) })));
}

/** The plan's days, WINDOW at a time, ending today (or the plan's end); earlier and later days on demand. */
export async function adherenceView(plan, { today = isoDay(0) } = {}) {
  const box = h("div", { class: "adherence", dataset: { plan: plan.id } });
  if (plan.start_date > today) {
    box.append(empty(t("adherence.not_started", { date: fmtDate(plan.start_date) })));
    return box;
  }
  const latest = plan.end_date && plan.end_date < today ? plan.end_date : today;
  let last = latest;
  async function load(focus) {
    const first = shift(last, 1 - WINDOW) < plan.start_date ? plan.start_date : shift(last, 1 - WINDOW);
    const data = await get(`/api/meal-plans/${plan.id}/adherence`, { from: first, to: last });
    const earlier = h("button", { type: "button", class: "small", disabled: first <= plan.start_date,
      onclick: () => { last = shift(first, -1); load("earlier").catch((e) => toast(e.message, "error")); } },
    t("adherence.earlier"));
    const later = h("button", { type: "button", class: "small", disabled: last >= latest,
      onclick: () => { last = shift(last, WINDOW) > latest ? latest : shift(last, WINDOW);
        load("later").catch((e) => toast(e.message, "error")); } }, t("adherence.later"));
    const range = t("adherence.range", { from: fmtDate(data.from), to: fmtDate(data.to) });
    const numbers = h("details", {}, h("summary", {}, t("adherence.show_numbers")), numbersTable(data));
    const pick = (day) => {
      numbers.open = true;
      numbers.querySelectorAll("tr.picked").forEach((row) => row.classList.remove("picked"));
      const row = numbers.querySelector(`tr[data-day="${day}"]`);
      row?.classList.add("picked");
      row?.querySelector("th")?.focus();
    };
    box.replaceChildren(summary(data),
      h("div", { class: "week-strip adherence-days", role: "group", "aria-label": range },
        data.days.map((d) => dayCell(data, d, today, pick))),
      h("div", { class: "adherence-nav" }, earlier, h("span", { class: "small muted", "aria-live": "polite" }, range),
        later), numbers);
    // After paging, focus the same button (or its twin when the end was reached): the keyboard stays in place.
    const [wanted, other] = focus === "earlier" ? [earlier, later] : [later, earlier];
    if (focus) (wanted.disabled ? other : wanted).focus();
  }
  await load(null);
  return box;
}
