// The workout editor: exercises picked from the library, ordered, with sets, reps, weight and rest.
// "Copy" opens this editor pre-filled from another workout, for another client or date. Weights are shown and typed
// in the signed-in user's unit (units.js: 135 lb) and sent as the API's kilograms (61.235 kg).
import { all, get, post, put } from "./api.js";
import { forgetLibrary } from "./data.js";
import { h, field, num, formAlert, onSubmit, link, empty, isoDay, toast, uid } from "./dom.js";
import { t } from "./i18n.js";
import { bounds, toKg, typedValue, weightUnit } from "./units.js";

function exerciseRow(exercise, spec, rows) {
  const row = h("fieldset", { class: "exercise-row", dataset: { exerciseId: exercise.id } });
  const legend = h("legend", {});
  const move = (delta) => {
    const sibling = delta < 0 ? row.previousElementSibling : row.nextElementSibling;
    if (!sibling) return;
    if (delta < 0) rows.insertBefore(row, sibling); else rows.insertBefore(sibling, row);
    renumber(rows);
    row.querySelector(delta < 0 ? ".up" : ".down").focus();
  };
  row.append(legend,
    h("input", { type: "hidden", name: "exercise_id", value: exercise.id }),
    h("div", { class: "row" },
      num(t("workout_editor.sets"), "sets", spec.sets ?? 3,
        { min: 1, max: 100, step: 1, inputmode: "numeric", required: true }),
      num(t("workout_editor.reps"), "reps", spec.reps ?? 10, { min: 0, max: 1000, step: 1, inputmode: "numeric" }),
      // Shown and typed in the user's unit (135 lb), sent as kilograms (61.235) by the submit below.
      num(t("workout_editor.weight", { unit: weightUnit() }), "weight_kg", typedValue("weight_kg", spec.weight_kg),
        bounds("weight_kg", 0, 1000)),
      num(t("workout_editor.rest"), "rest_seconds", spec.rest_seconds ?? 90,
        { min: 0, max: 3600, step: 5, inputmode: "numeric" })),
    field(t("workout_editor.exercise_notes"), "notes", { value: spec.notes || "" }),
    // Each button's aria-label key names the row (renumber fills it in once the row has its place).
    h("div", { class: "actions" },
      h("button", { type: "button", class: "small up", dataset: { aria: "workout_editor.move_up_aria" },
        onclick: () => move(-1) }, t("workout_editor.move_up")),
      h("button", { type: "button", class: "small down", dataset: { aria: "workout_editor.move_down_aria" },
        onclick: () => move(1) }, t("workout_editor.move_down")),
      h("button", { type: "button", class: "small danger", dataset: { aria: "workout_editor.remove_aria" },
        onclick: () => {
          const next = row.nextElementSibling || row.previousElementSibling;
          row.remove(); renumber(rows);
          (next?.querySelector("button") || rows.closest("form").querySelector(".picker input"))?.focus();
        } }, t("workout_editor.remove"))));
  row.dataset.name = exercise.name;
  return row;
}

/** Names follow the order on screen, so that a 422 about exercises.2.reps lands on the third row's reps. */
function renumber(rows) {
  [...rows.children].forEach((row, i) => {
    row.querySelector("legend").textContent = `${i + 1}. ${row.dataset.name}`;
    for (const control of row.querySelectorAll("[name]")) {
      const base = control.dataset.base || control.name;
      control.dataset.base = base;
      control.name = `exercises.${i}.${base}`;
    }
    for (const button of row.querySelectorAll("button")) {
      button.setAttribute("aria-label", t(button.dataset.aria, { name: row.dataset.name, n: i + 1 }));
    }
  });
}

function picker(library, onPick) {
  const search = h("input", { type: "search", id: uid("f"), placeholder: t("workout_editor.search_placeholder") });
  const list = h("select", { id: uid("f"), size: 6, class: "picker-list" });
  const paint = () => {
    const q = search.value.trim().toLowerCase();
    list.replaceChildren(...library.filter((e) => !q || e.name.toLowerCase().includes(q) ||
      (e.muscle_group || "").toLowerCase().includes(q)).map((e) =>
      h("option", { value: e.id }, e.muscle_group ? `${e.name} (${e.muscle_group})` : e.name)));
    if (list.options.length) list.selectedIndex = 0;
  };
  const addSelected = () => {
    const chosen = library.find((e) => String(e.id) === list.value);
    if (chosen) onPick(chosen);
  };
  search.addEventListener("input", paint);
  search.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); addSelected(); } });
  list.addEventListener("dblclick", addSelected);
  list.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); addSelected(); } });
  paint();
  return h("div", { class: "picker" },
    h("div", { class: "field" }, h("label", { for: search.id }, t("workout_editor.search_label")), search),
    h("div", { class: "field" }, h("label", { for: list.id }, t("workout_editor.list_label")), list),
    h("button", { type: "button", onclick: addSelected }, t("workout_editor.add")));
}

export async function workoutEditor(ctx) {
  const editing = ctx.params.id ? Number(ctx.params.id) : null;
  const copyFrom = ctx.query.get("copy");
  forgetLibrary();
  const [clients, library, source] = await Promise.all([
    all("/api/users", { role: "client" }), all("/api/exercises", {}, 2000),
    editing || copyFrom ? get(`/api/workouts/${editing || copyFrom}`) : null]);
  library.sort((a, b) => a.name.localeCompare(b.name));
  const byId = new Map(library.map((e) => [e.id, e]));
  const clientId = source?.client_id ?? (Number(ctx.query.get("client")) || clients[0]?.id);
  const rows = h("div", { class: "exercise-rows" });
  const addRow = (exercise, spec = {}) => {
    rows.append(exerciseRow(exercise, spec, rows));
    renumber(rows);
  };
  for (const spec of [...(source?.exercises || [])].sort((a, b) => a.position - b.position)) {
    addRow(byId.get(spec.exercise_id) || { id: spec.exercise_id,
      name: t("workout_editor.exercise_fallback", { id: spec.exercise_id }) }, spec);
  }
  const title = t(editing ? "workout_editor.title_edit" : copyFrom ? "workout_editor.title_copy"
    : "workout_editor.title_new");
  const form = h("form", { class: "editor", novalidate: true, "aria-label": title }, formAlert(),
    h("div", { class: "row" },
      field(t("workout_editor.client"), "client_id", { choices: clients.map((c) => [c.id, c.full_name]), value: clientId,
        required: true, attrs: editing ? { disabled: true } : {} }),
      field(t("workout_editor.date"), "scheduled_for", { type: "date", required: true,
        value: copyFrom ? isoDay(1) : source?.scheduled_for || isoDay(1) }),
      field(t("workout_editor.workout_title"), "title", { required: true, value: source?.title || "", attrs: { maxlength: 200 } })),
    field(t("workout_editor.client_notes"), "notes", { type: "textarea", value: source?.notes || "" }),
    h("h2", {}, t("workout_editor.exercises")),
    library.length ? picker(library, (exercise) => {
      addRow(exercise);
      rows.lastElementChild.querySelector("input[type=number]").focus();
    }) : empty(t("workout_editor.library_empty")),
    link("/exercises", t("workout_editor.open_library")),
    rows,
    h("div", { class: "actions sticky" }, h("button", { type: "submit", class: "primary" }, t("workout_editor.save")),
      link(`/clients/${clientId}`, t("common.cancel"), { class: "button" })));
  onSubmit(form, async (v) => {
    const exercises = [...rows.children].map((row, i) => {
      const pick = (name) => v[`exercises.${i}.${name}`];
      return { exercise_id: Number(pick("exercise_id")), position: i + 1, sets: pick("sets"), reps: pick("reps"),
        weight_kg: toKg(pick("weight_kg")), rest_seconds: pick("rest_seconds"), notes: pick("notes") };
    });
    if (!exercises.length) throw { status: 422, detail: [{ loc: ["body", "exercises"], msg: t("workout_editor.no_exercises") }] };
    const body = { title: v.title, scheduled_for: v.scheduled_for, notes: v.notes, exercises };
    let saved;
    if (editing) {
      saved = await put(`/api/workouts/${editing}`, body);
    } else {
      saved = await post("/api/workouts", { ...body, client_id: Number(v.client_id) });
    }
    toast(t(editing ? "workout_editor.saved" : "workout_editor.created"));
    ctx.navigate(`/clients/${saved.client_id ?? v.client_id}`);
  });
  return h("div", {}, h("h1", {}, title), form);
}
