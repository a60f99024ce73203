// Setting a client's check-ins up: the trainer's templates (questions of five kinds) and the client's schedule
// (weekly on a weekday, or every N days). Shown on the trainer's check-in review of one client.
import { all, get, post, put } from "./api.js";
import { h, field, num, formAlert, onSubmit, empty, fmtDate, isoDay, toast } from "./dom.js";
import { locale, t } from "./i18n.js";

const KINDS = [["scale", "checkin_setup.kind_scale"], ["number", "checkin_setup.kind_number"],
  ["text", "checkin_setup.kind_text"], ["yes_no", "checkin_setup.kind_yes_no"], ["photo", "checkin_setup.kind_photo"]];
const kindChoices = () => KINDS.map(([value, key]) => [value, t(key)]);
/** The weekday's name in the current language, 0 = Monday (the API's numbering): 5 January 1970 was a Monday. */
const weekdayName = (i) => new Intl.DateTimeFormat(locale(), { weekday: "long", timeZone: "UTC" })
  .format(Date.UTC(1970, 0, 5 + i));

function describe(schedule) {
  const params = { title: schedule.title, since: fmtDate(schedule.start_date) };
  return schedule.cadence === "weekly"
    ? t("checkin_setup.describe_weekly", { ...params, weekday: weekdayName(schedule.weekday) })
    : t("checkin_setup.describe_every", { ...params, count: schedule.every_days });
}

function questionRow(onRemove) {
  const row = h("fieldset", { class: "question-row" }, h("legend", {}),
    h("div", { class: "row" },
      field(t("checkin_setup.kind"), "kind", { choices: kindChoices(), value: "scale" }),
      field(t("checkin_setup.question"), "prompt", { required: true, attrs: { maxlength: 500 } }),
      field(t("checkin_setup.unit"), "unit", { attrs: { maxlength: 20, placeholder: t("checkin_setup.unit_example") } })),
    h("button", { type: "button", class: "link-button small remove", onclick: () => onRemove(row) }));
  return row;
}

/** A new template: a title and its questions, one row each (rows added and removed in place). */
function templateForm(onMade) {
  const rows = h("div", { class: "question-rows" });
  // Names follow the rows' order (questions.N.kind ...), so that a 422's loc finds its row after any removal.
  const renumber = () => [...rows.children].forEach((row, i) => {
    row.querySelector("legend").textContent = t("checkin_setup.question_n", { n: i + 1 });
    row.querySelectorAll("[name]").forEach((control) => {
      control.name = `questions.${i}.${control.name.split(".").pop()}`;
    });
    const remove = row.querySelector("button.remove");
    remove.textContent = t("checkin_setup.remove_question", { n: i + 1 });
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
  const form = h("form", { class: "template-form", novalidate: true, "aria-label": t("checkin_setup.new_template_label") },
    formAlert(), field(t("checkin_setup.template_title"), "title", { required: true,
      value: t("checkin_setup.template_title_default"), attrs: { maxlength: 200 } }),
    rows, h("div", { class: "actions" },
      h("button", { type: "button", class: "small", onclick: addRow }, t("checkin_setup.add_question")),
      h("button", { type: "submit", class: "primary small" }, t("checkin_setup.save_template"))));
  onSubmit(form, async (v) => {
    const questions = [...rows.children].map((row) => {
      const value = (key) => row.querySelector(`[name$=".${key}"]`).value.trim();
      return { kind: value("kind"), prompt: value("prompt"), unit: value("kind") === "number" ? value("unit") || null : null };
    });
    const made = await post("/api/check-in-templates", { title: v.title, questions });
    toast(t("checkin_setup.template_saved", { title: made.title }));
    onMade(made);
  });
  return form;
}

function scheduleForm(clientId, templates, schedule, onSaved) {
  const cadence = field(t("checkin_setup.how_often"), "cadence", { choices: [["weekly", t("checkin_setup.weekly")],
    ["every_n_days", t("checkin_setup.every_n_days")]], value: schedule?.cadence || "weekly" });
  const weekday = field(t("checkin_setup.due_on"), "weekday", { choices: Array.from({ length: 7 }, (_, i) =>
    [i, weekdayName(i)]), value: schedule?.weekday ?? (new Date().getDay() + 6) % 7 });
  const every = num(t("checkin_setup.every_how_many"), "every_days", schedule?.every_days ?? 14,
    { min: 1, max: 365, step: 1 });
  const sync = () => {
    const weekly = cadence.querySelector("select").value === "weekly";
    weekday.hidden = !weekly;
    every.hidden = weekly;
  };
  cadence.addEventListener("change", sync);
  sync();
  const form = h("form", { class: "schedule-form", novalidate: true, "aria-label": t("checkin_setup.schedule_label") },
    formAlert(), field(t("checkin_setup.template"), "template_id", { choices: templates.map((x) => [x.id, x.title]),
      value: schedule?.template_id ?? templates[0]?.id }),
    h("div", { class: "row" }, cadence, weekday, every,
      field(t("checkin_setup.starting"), "start_date",
        { type: "date", value: schedule?.start_date?.slice(0, 10) || isoDay(0) })),
    h("button", { type: "submit", class: "primary small" }, schedule ? t("checkin_setup.change_schedule")
      : t("checkin_setup.start")));
  onSubmit(form, async (v) => {
    const weekly = v.cadence === "weekly";
    const body = { template_id: Number(v.template_id), cadence: v.cadence, start_date: v.start_date,
      weekday: weekly ? Number(v.weekday) : null, every_days: weekly ? null : v.every_days };
    for (const key of ["weekday", "every_days"]) if (body[key] === null) delete body[key];
    const saved = await put(`/api/check-ins/schedules/${clientId}`, body);
    toast(t("checkin_setup.saved", { schedule: describe(saved) }));
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
        h("summary", {}, schedule ? t("checkin_setup.change_all") : t("checkin_setup.set_up")),
        list.length ? scheduleForm(clientId, list, schedule, () => onChanged())
          : empty(t("checkin_setup.template_first")),
        h("h3", {}, t("checkin_setup.new_template")), templateForm((made) => {
          paint([made, ...list], true);
          box.querySelector("[name=template_id]")?.focus();
        })));
  };
  paint(templates);
  return box;
}
