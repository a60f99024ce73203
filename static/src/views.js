// Pieces shown to trainers and clients alike: a list of workouts, a workout's log, targets against what was eaten.
import { get } from "./api.js";
import { MACROS, STATUS_TEXT, sumMacros } from "./data.js";
import { h, link, empty, fmtDate, fmtNum } from "./dom.js";

export function workoutList(workouts, names, { staff, onOpenLog }) {
  if (!workouts.length) return empty("None.");
  return h("ul", { class: "workouts" }, workouts.map((w) => {
    const logBox = h("div", { class: "log-box" });
    return h("li", { class: `workout ${w.status}`, dataset: { workout: w.id } },
      h("div", { class: "workout-head" },
        h("strong", {}, w.title), h("span", { class: `pill ${w.status}` }, STATUS_TEXT[w.status] || w.status),
        h("span", { class: "muted" }, fmtDate(w.scheduled_for))),
      h("p", { class: "small" }, (w.exercises || []).map((x) => `${names.get(x.exercise_id)?.name || "?"} ${x.sets}×${x.reps ?? "–"}`
        + (x.weight_kg ? ` @ ${fmtNum(x.weight_kg)} kg` : "")).join(" · ")),
      h("div", { class: "actions" },
        staff && w.status === "planned" ? link(`/workouts/${w.id}/edit`, "Edit", { class: "button small" }) : null,
        staff ? link(`/workouts/new?copy=${w.id}`, "Copy", { class: "button small" }) : null,
        w.status === "completed" ? h("button", { type: "button", class: "small", onclick: () => onOpenLog(w, logBox) },
          "Show log") : null),
      logBox);
  }));
}

export async function showLog(workout, box, names) {
  const log = await get(`/api/workouts/${workout.id}/log`);
  box.replaceChildren(h("table", { class: "compact" },
    h("caption", {}, `Logged ${fmtDate(log.performed_at)}`, log.duration_minutes ? `, ${log.duration_minutes} min` : "",
      log.rating ? `, rated ${log.rating}/5` : ""),
    h("thead", {}, h("tr", {}, ["Exercise", "Set", "Reps", "kg", "RPE"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, (log.sets || []).map((s) => h("tr", {}, h("td", {}, names.get(s.exercise_id)?.name || "?"),
      h("td", {}, s.set_number), h("td", {}, s.reps), h("td", {}, fmtNum(s.weight_kg)), h("td", {}, fmtNum(s.rpe)))))),
  ...(log.notes ? [h("p", { class: "note-text" }, log.notes)] : []));  // replaceChildren would print a null
}

export function targetsVsLogged(plan, entries) {
  const logged = sumMacros(entries);
  const targets = plan.targets || {};
  return h("ul", { class: "macro-bars" }, MACROS.map(([key, label, unit]) => {
    const goal = Number(targets[key]) || 0;
    const have = logged[key];
    const bar = h("span", { class: "bar-fill" });
    bar.style.width = `${goal ? Math.min(100, (have / goal) * 100) : 0}%`;
    if (goal && have > goal * 1.1) bar.classList.add("over");
    return h("li", {}, h("span", { class: "macro-label" }, label),
      h("span", { class: "bar", role: "presentation" }, bar),
      h("span", { class: "macro-value" }, `${fmtNum(have, 0)} / ${goal ? fmtNum(goal, 0) : "–"} ${unit}`));
  }));
}

