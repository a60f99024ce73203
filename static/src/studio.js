// The owner's studio (issue 19): the session types on offer, a week of bookings per trainer, and a package of credits
// recorded for a client (paid outside Elior; the note says how); and the studio's language, the one shown to whoever
// has not chosen their own (GET/PUT /api/studio).
import { all, get, post, put } from "./api.js";
import { statusText, timeOf } from "./booking.js";
import { addDays, dayLabel, isIso, mondayOf } from "./days.js";
import { empty, field, formAlert, h, isoDay, num, onSubmit, section, toast } from "./dom.js";
import { LANGUAGES, t } from "./i18n.js";

function typeRow(type, reload) {
  const toggle = h("button", { type: "button", class: "small",
    "aria-label": t(type.is_active ? "studio.retire_label" : "studio.offer_again_label", { name: type.name }),
    onclick: async () => {
      try {
        await put(`/api/session-types/${type.id}`, { is_active: !type.is_active });
      } catch (error) {
        toast(error.message, "error");
      }
      await reload();
    } }, t(type.is_active ? "studio.retire" : "studio.offer_again"));
  return h("tr", { dataset: { type: type.id }, class: type.is_active ? null : "retired" },
    h("th", { scope: "row" }, type.name), h("td", {}, t("studio.minutes", { count: type.duration_minutes })),
    h("td", {}, String(type.capacity)), h("td", {}, t("studio.minutes", { count: type.buffer_minutes })),
    h("td", {}, type.uses_credit ? t("studio.yes") : t("studio.no")), h("td", {}, toggle));
}

async function typesSection(onChange) {
  const body = h("tbody", {});
  async function reload() {
    const types = await all("/api/session-types", { active: false });
    body.replaceChildren(...types.map((type) => typeRow(type, reload)));
    await onChange(types);
  }
  // Checked by default, and again after form.reset() (which goes back to defaultChecked).
  const usesCredit = h("input", { type: "checkbox", name: "uses_credit" });
  usesCredit.defaultChecked = true;
  const form = h("form", { class: "type-form", novalidate: true },
    field(t("studio.type_name"), "name", { required: true, attrs: { maxlength: 200 } }),
    num(t("studio.type_minutes"), "duration_minutes", 60, { min: 5, max: 720, step: 5 }),
    num(t("studio.type_places"), "capacity", 1, { min: 1, max: 100, step: 1 }),
    num(t("studio.type_buffer"), "buffer_minutes", 0, { min: 0, max: 240, step: 5 }),
    h("div", { class: "field check" }, h("label", {}, usesCredit, " ", t("studio.type_uses_credit"))),
    formAlert(), h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" },
      t("studio.type_add"))));
  onSubmit(form, async (data) => {
    const made = await post("/api/session-types", data);
    toast(t("studio.type_added", { name: made.name }));
    form.reset();
    await reload();
  });
  await reload();
  const columns = [t("studio.col_type"), t("studio.col_length"), t("studio.col_places"), t("studio.col_buffer"),
    t("studio.col_credit"), ""];
  return section(t("studio.types_title"),
    h("div", { class: "table-wrap" }, h("table", { class: "types-table" },
      h("thead", {}, h("tr", {}, columns.map((text) => h("th", { scope: "col" }, text)))), body)),
    h("h3", {}, t("studio.type_add_title")), form);
}

function packageSection(clients) {
  const typeChoices = h("div", { class: "package-type" });
  const form = h("form", { class: "package-form", novalidate: true },
    field(t("studio.package_client"), "client_id", { required: true, choices: [["", t("studio.choose")],
      ...clients.map((c) => [c.id, c.full_name])] }),
    typeChoices,
    num(t("studio.package_credits"), "credits", 10, { min: 1, max: 1000, step: 1 }),
    field(t("studio.package_expires"), "expires_on", { type: "date", hint: t("studio.package_expires_hint") }),
    field(t("studio.package_note"), "note", { hint: t("studio.package_note_hint"), attrs: { maxlength: 1000 } }),
    formAlert(), h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" },
      t("studio.package_record"))));
  onSubmit(form, async (data) => {
    const made = await post("/api/packages", { ...data, client_id: Number(data.client_id) || null,
      type_id: Number(data.type_id) || null });
    const who = clients.find((c) => c.id === made.client_id)?.full_name;
    toast(who ? t("studio.package_recorded", { count: made.credits, type: made.type_name, name: who })
      : t("studio.package_recorded_anon", { count: made.credits, type: made.type_name }));
    form.reset();
  });
  const node = section(t("studio.package_title"), h("p", { class: "hint" }, t("studio.package_hint")), form);
  node.setTypes = (types) => {
    const usable = types.filter((type) => type.is_active && type.uses_credit);
    typeChoices.replaceChildren(field(t("studio.package_type"), "type_id", { required: true,
      choices: usable.map((type) => [type.id, type.name]) }));
  };
  return node;
}

/** One trainer's day in the week table: each session's time and client, and any status but "booked". */
function cell(list) {
  return h("ul", { class: "plain week-cell" }, list.sort((a, b) => a.starts_at.localeCompare(b.starts_at)).map((a) =>
    h("li", { class: `week-item ${a.status}` }, `${timeOf(a.starts_at)} ${a.client_name}`,
      a.status === "booked" ? null : h("span", { class: `pill ${a.status}` }, statusText(a.status)))));
}

async function weekSection(initial) {
  let monday = mondayOf(isIso(initial) ? initial : isoDay(0));
  const heading = h("h3", { class: "week-range", "aria-live": "polite", tabindex: "-1" });
  const board = h("div", { class: "table-wrap" });
  async function load() {
    const sunday = addDays(monday, 6);
    heading.textContent = t("studio.week_range", { from: dayLabel(monday), to: dayLabel(sunday) });
    const items = await all("/api/appointments", { from: monday, to: sunday });
    const days = [...Array(7)].map((_, i) => addDays(monday, i));
    const trainers = new Map();
    for (const a of items) {
      const name = a.trainer_name || t("studio.trainer_deleted");
      if (!trainers.has(name)) trainers.set(name, []);
      trainers.get(name).push(a);
    }
    const dayOfItem = (a) => {
      const d = new Date(a.starts_at);
      const pad = (n) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    };
    board.replaceChildren(trainers.size ? h("table", { class: "week-table" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("studio.col_trainer")),
        days.map((d) => h("th", { scope: "col" }, dayLabel(d))))),
      h("tbody", {}, [...trainers].sort(([a], [b]) => a.localeCompare(b)).map(([name, list]) => {
        const booked = list.filter((a) => a.status !== "cancelled").length;
        return h("tr", { dataset: { trainer: name } }, h("th", { scope: "row" }, name,
          h("span", { class: "hint" }, " ", t("studio.booked_count", { count: booked }))),
        days.map((d) => h("td", {}, cell(list.filter((a) => dayOfItem(a) === d)))));
      })))
      : empty(t("studio.week_none")));
  }
  const step = (n, text, label) => h("button", { type: "button", class: "small", "aria-label": label, onclick: () => {
    monday = addDays(monday, 7 * n);
    load().then(() => heading.focus());
  } }, text);
  await load();
  return section(t("studio.week_title"), h("div", { class: "actions" },
    step(-1, t("studio.previous"), t("studio.previous_week")), step(1, t("studio.next"), t("studio.next_week"))),
  heading, board);
}

/** The studio's language: what the sign-in page of a new device shows, and what a user who never chose a language
 * sees; anyone's own choice (the Language switch in the header) wins over it. */
async function languageSection() {
  const { language } = await get("/api/studio");
  const form = h("form", { class: "studio-language-form", novalidate: true },
    field(t("studio.language_label"), "language", { value: language, hint: t("studio.language_hint"),
      choices: Object.entries(LANGUAGES).map(([code, info]) => [code, info.name]) }),
    formAlert(), h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" },
      t("studio.language_save"))));
  onSubmit(form, async (data) => {
    const saved = await put("/api/studio", { language: data.language });
    toast(t("studio.language_saved", { language: LANGUAGES[saved.language]?.name || saved.language }));
  });
  return section(t("studio.language_title"), form);
}

export async function studioPage(ctx) {
  const clients = (await all("/api/users", { role: "client" })).sort((a, b) => a.full_name.localeCompare(b.full_name));
  const packages = packageSection(clients);
  const types = await typesSection(async (list) => packages.setTypes(list));
  const week = await weekSection(ctx.query.get("date"));
  const language = await languageSection();
  return h("div", { class: "studio" }, h("h1", {}, t("studio.title")), week, types, packages, language);
}
