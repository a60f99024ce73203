// One exercise's personal records and logged sessions for one client (GET /api/exercises/{id}/history), weights
// in the viewer's units. Mounted by the client's Today card and History page (client.js); a trainer's page mounts
// the same with the client's id: exerciseHistory(id, {clientId}) for the panel itself, historyToggle(...) for a
// name that opens it in place, exerciseButtons(...) for a row of names sharing one panel.
import { get } from "./api.js";
import { h, empty, fmtDate, fmtNum, toast, uid } from "./dom.js";
import { locale, t } from "./i18n.js";
import { fromKg, weightUnit } from "./units.js";

const PAGE = 10;  // sessions shown first, and added by each "Show earlier sessions"
const MAX = 1000;  // the API's largest limit

/** Which records are shown, in this order: the value is a weight (kg) or a count. */
const RECORDS = [
  ["e1rm_kg", "records.e1rm", true], ["heaviest_kg", "records.heaviest", true],
  ["most_reps", "records.most_reps", false], ["volume_kg", "records.volume", true]];

const weight = (kg, digits = 1) => t("records.weight", { value: fmtNum(fromKg(kg), digits), unit: weightUnit() });

function recordList(records) {
  return h("ul", { class: "records" }, RECORDS.map(([key, label, isWeight]) => {
    const record = records?.[key];
    const value = !record ? "–" : isWeight ? weight(record.value, key === "volume_kg" ? 0 : 1)
      : t("records.reps", { count: record.value });
    return h("li", { class: "record", dataset: { record: key } },
      h("span", { class: "record-label" }, t(label)), " ",
      h("strong", { class: "record-value" }, value),
      record ? h("span", { class: "small muted record-date" }, " ", t("records.on_date",
        { date: fmtDate(record.performed_at) })) : null);
  }));
}

/** "10 × 20 kg", or "12 reps" for a set without weight. */
function bestSet(best) {
  if (!best || best.reps === null || best.reps === undefined) return "–";
  if (best.weight_kg === null || best.weight_kg === undefined) return t("records.reps", { count: best.reps });
  return t("records.set_weight", { reps: best.reps, weight: weight(best.weight_kg) });
}

function sessionTable(sessions) {
  const head = [t("records.col_date"), t("records.col_sets"), t("records.col_reps"), t("records.col_best"),
    t("records.col_volume", { unit: weightUnit() })];
  return h("div", { class: "table-wrap" }, h("table", { class: "compact sessions", tabindex: "-1" },
    h("caption", {}, t("records.sessions_caption")),
    h("thead", {}, h("tr", {}, head.map((text) => h("th", { scope: "col" }, text)))),
    // The API answers oldest first; the newest is what a person looks for.
    h("tbody", {}, [...sessions].reverse().map((s) => h("tr", { dataset: { log: s.log_id } },
      h("td", {}, fmtDate(s.performed_at)), h("td", {}, fmtNum(s.sets, 0)), h("td", {}, fmtNum(s.reps, 0)),
      h("td", {}, bestSet(s.best_set)), h("td", {}, fmtNum(fromKg(s.volume_kg), 0)))))));
}

/** The panel for one exercise: its records (over every session) and the latest sessions, more on demand.
 * `clientId` is required for staff (whose history?) and left out by a client (their own). */
export async function exerciseHistory(exerciseId, { clientId = null, name = null } = {}) {
  const titleId = uid("x");
  const box = h("div", { class: "exercise-history", role: "region", "aria-labelledby": titleId,
    dataset: { exercise: exerciseId } });
  let limit = PAGE;
  async function load() {
    const data = await get(`/api/exercises/${exerciseId}/history`, { client_id: clientId, limit });
    const title = h("h3", { id: titleId }, t("records.title", { name: data.exercise_name || name || "?" }));
    if (!data.sessions.length) {
      box.replaceChildren(title, empty(t("records.none")));
      return;
    }
    const more = data.sessions.length >= limit && limit < MAX;
    const button = more ? h("button", { type: "button", class: "small load-more" }, t("records.show_more")) : null;
    button?.addEventListener("click", () => {
      button.disabled = true;
      limit = Math.min(MAX, limit + PAGE);
      // Focus stays where the person was: on the button, or on the table once everything is shown.
      load().then(() => (box.querySelector(".load-more") || box.querySelector(".sessions"))?.focus())
        .catch((error) => { button.disabled = false; toast(error.message, "error"); });
    });
    box.replaceChildren(title, h("h4", {}, t("records.records_heading")), recordList(data.records),
      h("h4", {}, t("records.sessions_heading")), sessionTable(data.sessions),
      h("p", { class: "small muted", "aria-live": "polite" }, t(more ? "records.shown_latest" : "records.shown_all",
        { count: data.sessions.length })),
      ...(button ? [button] : []));  // replaceChildren would print a null
  }
  await load();
  return box;
}

/** An exercise's name as a button that opens (and closes) its history panel at the end of `host`. */
export function historyToggle(exerciseId, name, host, { clientId = null } = {}) {
  const button = h("button", { type: "button", class: "link-button exercise-link", "aria-expanded": "false",
    dataset: { exercise: exerciseId }, title: t("records.open_hint", { name }) }, h("strong", {}, name));
  let panel = null;
  button.addEventListener("click", async () => {
    if (panel) {
      panel.remove();
      panel = null;
      button.setAttribute("aria-expanded", "false");
      return;
    }
    button.disabled = true;
    try {
      panel = await exerciseHistory(exerciseId, { clientId, name });
      panel.id = uid("history");
      button.setAttribute("aria-controls", panel.id);
      button.setAttribute("aria-expanded", "true");
      host.append(panel);
    } catch (error) {
      toast(error.message, "error");
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** A row of exercise names (offered as they are read, each once) sharing one history panel below them. */
export function exerciseButtons({ clientId = null, emptyText = "" } = {}) {
  const seen = new Map();
  const row = h("div", { class: "exercise-buttons", role: "group", "aria-label": t("records.exercises_label") });
  const panel = h("div", { class: "exercise-panel", "aria-live": "polite" });
  const none = emptyText ? empty(emptyText) : null;
  const node = h("div", { class: "exercise-records" }, none, row, panel);
  function open(exercise, button) {
    const wasOpen = button.getAttribute("aria-pressed") === "true";
    row.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", "false"));
    if (wasOpen) { panel.replaceChildren(); return; }
    button.setAttribute("aria-pressed", "true");
    exerciseHistory(exercise.id, { clientId, name: exercise.name })
      .then((box) => { if (button.getAttribute("aria-pressed") === "true") panel.replaceChildren(box); })
      .catch((error) => toast(error.message, "error"));
  }
  function offer(exercises) {
    for (const exercise of exercises) {
      if (!exercise || seen.has(exercise.id)) continue;
      const button = h("button", { type: "button", class: "small", "aria-pressed": "false",
        dataset: { exercise: exercise.id } }, exercise.name);
      button.addEventListener("click", () => open(exercise, button));
      seen.set(exercise.id, button);
      row.append(button);
    }
    // Sorted by name, so a name is found where one looks for it however the pages came in.
    row.append(...[...row.children].sort((a, b) => a.textContent.localeCompare(b.textContent, locale())));
    if (seen.size) none?.remove();
  }
  return { node, offer };
}
