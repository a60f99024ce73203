// One day of a program in the builder: its workout templates and their exercise lines, edited in place. The
// builder (programs.js) keeps the whole program in memory; every control writes into it as the trainer types.
// Controls are named as the API's 422 `loc` names them (workouts.3.exercises.0.reps_min), so errors land on them.
import { field, h, num, uid } from "./dom.js";
import { t } from "./i18n.js";
import { bounds, stored, typedValue, weightUnit } from "./units.js";

export const DAYS = [1, 2, 3, 4, 5, 6, 7];
const SET_TYPES = [["normal", "program_day.set_normal"], ["warmup", "program_day.set_warmup"],
  ["drop", "program_day.set_drop"], ["amrap", "program_day.set_amrap"]];
const LINE_KEYS = ["exercise_id", "sets", "reps_min", "reps_max", "weight_kg", "rpe", "rir", "rest_seconds", "tempo",
  "set_type", "superset_group", "duration_seconds", "distance_m", "notes", "progression_kg", "progression_pct"];
// Labels are keys (the catalogue is loaded after this module); weights (`*_kg`) are shown and typed in the user's
// unit, their bounds given here in kilograms.
const MAIN = [["sets", "program_day.sets", { min: 1, max: 100, step: 1 }],
  ["reps_min", "program_day.reps", { min: 0, max: 1000, step: 1 }],
  ["reps_max", "program_day.reps_up_to", { min: 0, max: 1000, step: 1 }],
  ["weight_kg", "program_day.weight", { min: 0, max: 1000 }],
  ["rpe", "program_day.rpe", { min: 1, max: 10, step: 0.5 }], ["rir", "program_day.rir", { min: 0, max: 10, step: 1 }],
  ["rest_seconds", "program_day.rest", { min: 0, max: 3600, step: 5 }]];
const MORE = [["duration_seconds", "program_day.time", { min: 0, max: 86400, step: 5 }],
  ["distance_m", "program_day.distance", { min: 0, max: 1000000 }],
  ["progression_kg", "program_day.progression_weight", { min: -100, max: 100, step: 0.5 }],
  ["progression_pct", "program_day.progression_pct", { min: -50, max: 50, step: 0.5 }]];

/** A line as the builder keeps it: a fixed rep count is a range of one ("Reps" filled, "Reps up to" empty). */
function lineFromApi(line) {
  const kept = Object.fromEntries(LINE_KEYS.map((key) => [key, line[key] ?? null]));
  if (line.reps !== null && line.reps !== undefined) Object.assign(kept, { reps_min: line.reps, reps_max: null });
  return { ...kept, set_type: line.set_type || "normal", exercise_name: line.exercise_name, key: uid("l") };
}

export function fromApi(program) {
  return { id: program.id, title: program.title, description: program.description || "", weeks: program.weeks,
    workouts: program.workouts.map((t) => ({ key: uid("t"), week: t.week, day: t.day, title: t.title,
      notes: t.notes || "", exercises: t.exercises.map(lineFromApi) })) };
}

/** The templates in the order they are sent: by week, day, then as placed on the day. */
export const ordered = (state) => [...state.workouts].sort((a, b) => a.week - b.week || a.day - b.day);
export const onDay = (state, week, day) => state.workouts.filter((t) => t.week === week && t.day === day);

function lineToApi(line, index) {
  const out = Object.fromEntries(LINE_KEYS.map((key) => [key, line[key] ?? null]));
  const [low, high] = [line.reps_min, line.reps_max];
  // One number is a fixed count; two different ones a range (the API takes one or the other, never both).
  if (high === null || high === low) Object.assign(out, { reps: low, reps_min: null, reps_max: null });
  else out.reps = null;
  return { ...out, set_type: line.set_type || "normal", position: index + 1 };
}

export function toApi(state) {
  return { title: state.title, description: state.description || null, weeks: state.weeks,
    workouts: ordered(state).map((t) => ({ week: t.week, day: t.day, title: t.title, notes: t.notes || null,
      exercises: t.exercises.map(lineToApi) })) };
}

export const cloneTemplate = (t, week, day) => ({ ...t, key: uid("t"), week, day,
  exercises: t.exercises.map((line) => ({ ...line, key: uid("l") })) });

/** Write a control's value into `target[key]` as the trainer types (numbers as numbers, empty as null). */
function bound(wrapper, target, key, changed) {
  const control = wrapper.querySelector("input, select, textarea");
  control.addEventListener("input", () => {
    const raw = control.value.trim();
    // Numbers are kept as the API stores them: a weight typed in pounds is kept in kilograms.
    target[key] = raw === "" ? null : control.type === "number" ? stored(key, Number(raw)) : raw;
    changed(key === "title");
  });
  return wrapper;
}

function lineEditor(line, n, template, base, ui) {
  const lines = template.exercises;
  const name = (key) => `${base}.exercises.${n}.${key}`;
  const about = { name: line.exercise_name, n: n + 1 };
  const numbers = (list) => list.map(([key, text, attrs]) => {
    const range = key.endsWith("_kg") ? bounds(key, attrs.min, attrs.max) : {};
    return bound(num(t(text, { unit: weightUnit() }), name(key), typedValue(key, line[key]),
      { inputmode: attrs.step === 1 ? "numeric" : "decimal", ...attrs, ...range }), line, key, ui.changed);
  });
  const move = (delta) => {
    const to = n + delta;
    lines.splice(n, 1);
    lines.splice(to, 0, line);
    // Focus stays on the button pressed, or on its twin once the line reaches an end (the pressed one is disabled).
    const edge = delta < 0 ? to === 0 : to === lines.length - 1;
    ui.redraw(`[data-line="${line.key}"] .${(delta < 0) !== edge ? "up" : "down"}`);
  };
  const more = MORE.some(([key]) => line[key] !== null) || line.notes;
  return h("li", { dataset: { line: line.key } }, h("fieldset", { class: "line" },
    h("legend", {}, `${n + 1}. ${line.exercise_name}`,
      line.superset_group ? h("span", { class: "pill superset" },
        t("program_day.superset_pill", { group: line.superset_group })) : null),
    h("div", { class: "line-grid" },
      bound(field(t("program_day.set_type"), name("set_type"), { choices: SET_TYPES.map(([v, key]) => [v, t(key)]),
        value: line.set_type }), line, "set_type", ui.changed),
      ...numbers(MAIN),
      bound(field(t("program_day.tempo"), name("tempo"), { value: line.tempo,
        attrs: { placeholder: "3-1-X-0", maxlength: 20 } }), line, "tempo", ui.changed),
      bound(field(t("program_day.superset"), name("superset_group"), { value: line.superset_group,
        attrs: { placeholder: "A", maxlength: 10 } }), line, "superset_group", ui.changed)),
    h("details", { open: more ? true : null }, h("summary", {}, t("program_day.more")),
      h("div", { class: "line-grid" }, ...numbers(MORE)),
      bound(field(t("program_day.line_notes"), name("notes"), { value: line.notes }), line, "notes", ui.changed)),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "small up", disabled: n === 0,
        "aria-label": t("program_day.move_up_aria", about), onclick: () => move(-1) }, t("program_day.move_up")),
      h("button", { type: "button", class: "small down", disabled: n === lines.length - 1,
        "aria-label": t("program_day.move_down_aria", about), onclick: () => move(1) }, t("program_day.move_down")),
      h("button", { type: "button", class: "small danger", "aria-label": t("program_day.remove_aria", about),
        onclick: () => {
          lines.splice(n, 1);
          ui.redraw(lines.length ? `[data-line="${lines[Math.min(n, lines.length - 1)].key}"] button:enabled`
            : `[data-template="${template.key}"] .picker-input`);
        } }, t("program_day.remove")))));
}

/** Add an exercise by typing its name (the page's datalist offers the library); Enter adds it too. */
function picker(template, ui) {
  const id = uid("f");
  const input = h("input", { id, class: "picker-input", list: ui.datalist, autocomplete: "off",
    placeholder: t("program_day.picker_placeholder"), "aria-describedby": `${id}-error` });
  const error = h("p", { class: "field-error", id: `${id}-error`, hidden: true });
  const addIt = () => {
    const wanted = input.value.trim().toLowerCase();
    const exercise = ui.library.find((e) => e.name.toLowerCase() === wanted)
      || (wanted && ui.library.find((e) => e.name.toLowerCase().startsWith(wanted)));
    if (!exercise) {
      error.textContent = wanted ? t("program_day.picker_unknown") : t("program_day.picker_empty");
      error.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    const line = lineFromApi({ exercise_id: exercise.id, exercise_name: exercise.name, sets: 3, reps: 10 });
    template.exercises.push(line);
    ui.redraw(`[data-line="${line.key}"] input[type=number]`);
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); addIt(); }
  });
  return h("div", { class: "picker row" },
    h("div", { class: "field" }, h("label", { for: id }, t("program_day.picker_label")), input, error),
    h("button", { type: "button", onclick: addIt }, t("program_day.add_exercise")));
}

function templateEditor(template, k, count, base, ui) {
  const remove = () => {
    ui.state.workouts.splice(ui.state.workouts.indexOf(template), 1);
    ui.redraw(".add-workout");
  };
  return h("fieldset", { class: "template", dataset: { template: template.key } },
    h("legend", {}, count > 1 ? t("program_day.workout_n_of", { n: k + 1, count }) : t("program_day.workout")),
    h("div", { class: "row" },
      bound(field(t("program_day.title"), `${base}.title`, { required: true, value: template.title,
        attrs: { maxlength: 200, class: "template-title" } }), template, "title", ui.changed),
      bound(field(t("program_day.client_notes"), `${base}.notes`, { value: template.notes }), template, "notes",
        ui.changed)),
    template.exercises.length ? h("ol", { class: "lines plain" },
      template.exercises.map((line, n) => lineEditor(line, n, template, base, ui)))
      : h("p", { class: "empty" }, t("program_day.no_exercises")),
    picker(template, ui),
    h("div", { class: "actions" }, h("button", { type: "button", class: "small danger",
      "aria-label": t("program_day.remove_workout_aria", { name: template.title || k + 1 }), onclick: remove },
    t("program_day.remove_workout"))));
}

/** The panel of the selected day: `ui` holds the state, the library, and redraw/changed/copyDay from the builder. */
export function dayPanel(ui) {
  const { state, selected } = ui;
  const { week, day } = selected;
  const all = ordered(state);
  const here = onDay(state, week, day);
  const headingId = uid("s");
  const target = h("select", { id: uid("f"), class: "copy-target" }, state.weeks && Array.from({ length: state.weeks },
    (_, w) => DAYS.map((d) => (w + 1 === week && d === day ? null
      : h("option", { value: `${w + 1}-${d}` }, t("program_day.week_day", { week: w + 1, day: d }))))));
  const add = () => {
    const template = { key: uid("t"), week, day, title: "", notes: "", exercises: [] };
    state.workouts.push(template);
    ui.redraw(`[data-template="${template.key}"] .template-title`);
  };
  return h("section", { class: "card day-panel", "aria-labelledby": headingId, dataset: { week, day } },
    h("div", { class: "page-head" }, h("h2", { id: headingId }, t("program_day.week_day", { week, day })),
      h("button", { type: "button", class: "add-workout", onclick: add }, t("program_day.add_workout"))),
    here.length ? here.map((t, k) => templateEditor(t, k, here.length, `workouts.${all.indexOf(t)}`, ui))
      : h("p", { class: "empty" }, t("program_day.rest_day")),
    here.length ? h("div", { class: "row copy-day" },
      h("div", { class: "field" }, h("label", { for: target.id }, t("program_day.copy_to")), target),
      h("button", { type: "button", onclick: () => ui.copyDay(here, target.value) }, t("program_day.copy_day")))
      : null);
}
