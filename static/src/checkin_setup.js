// Setting a client's check-ins up: the trainer's templates (questions of five kinds) and the client's schedule
// (weekly on a weekday, or every N days). Shown on the trainer's check-in review of one client.
import { all, get, post, put } from "./api.js";
import { h, field, num, formAlert, onSubmit, empty, fmtDate, isoDay, toast } from "./dom.js";

const KINDS = [["scale", "Scale 1–10"], ["number", "Number with a unit"], ["text", "Text"], ["yes_no", "Yes / no"],
  ["photo", "Photo"]];
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

function describe(schedule) {
  const when = schedule.cadence === "weekly" ? `weekly on ${WEEKDAYS[schedule.weekday]}`
    : `every ${schedule.every_days} days`;
  return `${schedule.title}, ${when}, since ${fmtDate(schedule.start_date)}.`;
}

function questionRow(onRemove) {
  const row = h("fieldset", { class: "question-row" }, h("legend", {}),
    h("div", { class: "row" },
      field("Kind", "kind", { choices: KINDS, value: "scale" }),
      field("Question", "prompt", { required: true, attrs: { maxlength: 500 } }),
      field("Unit (numbers)", "unit", { attrs: { maxlength: 20, placeholder: "kg, steps…" } })),
    h("button", { type: "button", class: "link-button small remove", onclick: () => onRemove(row) }));
  return row;
}

/** A new template: a title and its questions, one row each (rows added and removed in place). */
function templateForm(onMade) {
  const rows = h("div", { class: "question-rows" });
  // Names follow the rows' order (questions.N.kind ...), so that a 422's loc finds its row after any removal.
  const renumber = () => [...rows.children].forEach((row, i) => {
    row.querySelector("legend").textContent = `Question ${i + 1}`;
    row.querySelectorAll("[name]").forEach((control) => {
      control.name = `questions.${i}.${control.name.split(".").pop()}`;
    });
    const remove = row.querySelector("button.remove");
    remove.textContent = `Remove question ${i + 1}`;
    remove.hidden = rows.children.length === 1;
  });
  const remover = (row) => { row.remove(); renumber(); rows.querySelector("select")?.focus(); };
  const addRow = () => {
    rows.append(questionRow(remover));
    renumber();
    rows.lastElementChild.querySelector("select")?.focus();
  };
  rows.append(questionRow(remover));
  renumber();
  const form = h("form", { class: "template-form", novalidate: true, "aria-label": "New check-in template" },
    formAlert(), field("Template title", "title", { required: true, value: "Weekly check-in", attrs: { maxlength: 200 } }),
    rows, h("div", { class: "actions" }, h("button", { type: "button", class: "small", onclick: addRow }, "Add a question"),
      h("button", { type: "submit", class: "primary small" }, "Save template")));
  onSubmit(form, async (v) => {
    const questions = [...rows.children].map((row) => {
      const value = (key) => row.querySelector(`[name$=".${key}"]`).value.trim();
      return { kind: value("kind"), prompt: value("prompt"), unit: value("kind") === "number" ? value("unit") || null : null };
    });
    const made = await post("/api/check-in-templates", { title: v.title, questions });
    toast(`Template “${made.title}” saved.`);
    onMade(made);
  });
  return form;
}

function scheduleForm(clientId, templates, schedule, onSaved) {
  const cadence = field("How often", "cadence", { choices: [["weekly", "Weekly"], ["every_n_days", "Every N days"]],
    value: schedule?.cadence || "weekly" });
  const weekday = field("Due on", "weekday", { choices: WEEKDAYS.map((d, i) => [i, d]),
    value: schedule?.weekday ?? (new Date().getDay() + 6) % 7 });
  const every = num("Every how many days", "every_days", schedule?.every_days ?? 14, { min: 1, max: 365, step: 1 });
  const sync = () => {
    const weekly = cadence.querySelector("select").value === "weekly";
    weekday.hidden = !weekly;
    every.hidden = weekly;
  };
  cadence.addEventListener("change", sync);
  sync();
  const form = h("form", { class: "schedule-form", novalidate: true, "aria-label": "Check-in schedule" }, formAlert(),
    field("Template", "template_id", { choices: templates.map((t) => [t.id, t.title]),
      value: schedule?.template_id ?? templates[0]?.id }),
    h("div", { class: "row" }, cadence, weekday, every,
      field("Starting", "start_date", { type: "date", value: schedule?.start_date?.slice(0, 10) || isoDay(0) })),
    h("button", { type: "submit", class: "primary small" }, schedule ? "Change the schedule" : "Start check-ins"));
  onSubmit(form, async (v) => {
    const weekly = v.cadence === "weekly";
    const body = { template_id: Number(v.template_id), cadence: v.cadence, start_date: v.start_date,
      weekday: weekly ? Number(v.weekday) : null, every_days: weekly ? null : v.every_days };
    for (const key of ["weekday", "every_days"]) if (body[key] === null) delete body[key];
    const saved = await put(`/api/check-ins/schedules/${clientId}`, body);
    toast(`Check-ins: ${describe(saved)}`);
    onSaved(saved);
  });
  return form;
}

/** The schedule as it stands (when a period is under way, the API has one) and the forms to change it. */
export async function checkinSetup(clientId, current, onChanged) {
  // Only asked for with a period under way: without one there may be no schedule, and a 404 would be noise.
  const [schedule, templates] = await Promise.all([current ? get(`/api/check-ins/schedules/${clientId}`) : null,
    all("/api/check-in-templates")]);
  const box = h("div", { class: "setup" });
  const paint = (list, open = !schedule && !list.length) => {
    box.replaceChildren(schedule ? h("p", { class: "small" }, describe(schedule)) : null,
      h("details", { class: "setup-details", open: open || null },
        h("summary", {}, schedule ? "Change the schedule or the questions" : "Set up check-ins"),
        list.length ? scheduleForm(clientId, list, schedule, () => onChanged()) : empty("Make a template first."),
        h("h3", {}, "New template"), templateForm((made) => {
          paint([made, ...list], true);
          box.querySelector("[name=template_id]")?.focus();
        })));
  };
  paint(templates);
  return box;
}
