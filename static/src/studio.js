// The owner's studio (issue 19): the session types on offer, a week of bookings per trainer, and a package of credits
// recorded for a client (paid outside Elior; the note says how).
import { all, post, put } from "./api.js";
import { STATUS, timeOf } from "./booking.js";
import { addDays, dayLabel, isIso, mondayOf } from "./days.js";
import { empty, field, formAlert, h, isoDay, num, onSubmit, section, toast } from "./dom.js";

function typeRow(t, reload) {
  const action = t.is_active ? "Retire" : "Offer again";
  const toggle = h("button", { type: "button", class: "small", "aria-label": `${action}: ${t.name}`,
    onclick: async () => {
    try {
      await put(`/api/session-types/${t.id}`, { is_active: !t.is_active });
    } catch (error) {
      toast(error.message, "error");
    }
    await reload();
  } }, action);
  return h("tr", { dataset: { type: t.id }, class: t.is_active ? null : "retired" },
    h("th", { scope: "row" }, t.name), h("td", {}, `${t.duration_minutes} min`), h("td", {}, String(t.capacity)),
    h("td", {}, `${t.buffer_minutes} min`), h("td", {}, t.uses_credit ? "Yes" : "No"), h("td", {}, toggle));
}

async function typesSection(onChange) {
  const body = h("tbody", {});
  async function reload() {
    const types = await all("/api/session-types", { active: false });
    body.replaceChildren(...types.map((t) => typeRow(t, reload)));
    await onChange(types);
  }
  // Checked by default, and again after form.reset() (which goes back to defaultChecked).
  const usesCredit = h("input", { type: "checkbox", name: "uses_credit" });
  usesCredit.defaultChecked = true;
  const form = h("form", { class: "type-form", novalidate: true },
    field("Name", "name", { required: true, attrs: { maxlength: 200 } }),
    num("Minutes", "duration_minutes", 60, { min: 5, max: 720, step: 5 }),
    num("Places", "capacity", 1, { min: 1, max: 100, step: 1 }),
    num("Buffer after (min)", "buffer_minutes", 0, { min: 0, max: 240, step: 5 }),
    h("div", { class: "field check" }, h("label", {}, usesCredit, " Uses a credit")),
    formAlert(), h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Add session type")));
  onSubmit(form, async (data) => {
    const made = await post("/api/session-types", data);
    toast(`${made.name} added.`);
    form.reset();
    await reload();
  });
  await reload();
  return section("Session types",
    h("div", { class: "table-wrap" }, h("table", { class: "types-table" },
      h("thead", {}, h("tr", {}, ["Type", "Length", "Places", "Buffer", "Credit", ""].map((t) =>
        h("th", { scope: "col" }, t)))), body)),
    h("h3", {}, "Add a session type"), form);
}

function packageSection(clients) {
  const typeChoices = h("div", { class: "package-type" });
  const form = h("form", { class: "package-form", novalidate: true },
    field("Client", "client_id", { required: true, choices: [["", "Choose…"], ...clients.map((c) => [c.id,
      c.full_name])] }),
    typeChoices,
    num("Credits", "credits", 10, { min: 1, max: 1000, step: 1 }),
    field("Valid until", "expires_on", { type: "date", hint: "The last day a credit may be booked for (optional)" }),
    field("Payment note", "note", { hint: "How it was paid, e.g. cash, receipt 1042", attrs: { maxlength: 1000 } }),
    formAlert(), h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Record package")));
  onSubmit(form, async (data) => {
    const made = await post("/api/packages", { ...data, client_id: Number(data.client_id) || null,
      type_id: Number(data.type_id) || null });
    const who = clients.find((c) => c.id === made.client_id)?.full_name || "the client";
    toast(`${made.credits} credits of ${made.type_name} recorded for ${who}.`);
    form.reset();
  });
  const node = section("Record a package", h("p", { class: "hint" }, "Credits a client bought; booking holds one, "
    + "attending (or a late cancel, a no-show) spends it."), form);
  node.setTypes = (types) => {
    const usable = types.filter((t) => t.is_active && t.uses_credit);
    typeChoices.replaceChildren(field("Session type", "type_id", { required: true, choices: usable.map((t) =>
      [t.id, t.name]) }));
  };
  return node;
}

/** One trainer's day in the week table: each session's time and client, and any status but "booked". */
function cell(list) {
  return h("ul", { class: "plain week-cell" }, list.sort((a, b) => a.starts_at.localeCompare(b.starts_at)).map((a) =>
    h("li", { class: `week-item ${a.status}` }, `${timeOf(a.starts_at)} ${a.client_name}`,
      a.status === "booked" ? null : h("span", { class: `pill ${a.status}` }, STATUS[a.status]))));
}

async function weekSection(initial) {
  let monday = mondayOf(isIso(initial) ? initial : isoDay(0));
  const heading = h("h3", { class: "week-range", "aria-live": "polite", tabindex: "-1" });
  const board = h("div", { class: "table-wrap" });
  async function load() {
    const sunday = addDays(monday, 6);
    heading.textContent = `${dayLabel(monday)} – ${dayLabel(sunday)}`;
    const items = await all("/api/appointments", { from: monday, to: sunday });
    const days = [...Array(7)].map((_, i) => addDays(monday, i));
    const trainers = new Map();
    for (const a of items) {
      const name = a.trainer_name || "(trainer deleted)";
      if (!trainers.has(name)) trainers.set(name, []);
      trainers.get(name).push(a);
    }
    const dayOfItem = (a) => {
      const d = new Date(a.starts_at);
      const pad = (n) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    };
    board.replaceChildren(trainers.size ? h("table", { class: "week-table" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Trainer"), days.map((d) => h("th", { scope: "col" },
        dayLabel(d))))),
      h("tbody", {}, [...trainers].sort(([a], [b]) => a.localeCompare(b)).map(([name, list]) => {
        const booked = list.filter((a) => a.status !== "cancelled").length;
        return h("tr", { dataset: { trainer: name } }, h("th", { scope: "row" }, name,
          h("span", { class: "hint" }, ` ${booked} booked`)),
        days.map((d) => h("td", {}, cell(list.filter((a) => dayOfItem(a) === d)))));
      })))
      : empty("No bookings this week."));
  }
  const step = (n, text, label) => h("button", { type: "button", class: "small", "aria-label": label, onclick: () => {
    monday = addDays(monday, 7 * n);
    load().then(() => heading.focus());
  } }, text);
  await load();
  return section("Bookings this week", h("div", { class: "actions" }, step(-1, "‹ Previous", "Previous week"),
    step(1, "Next ›", "Next week")), heading, board);
}

export async function studioPage(ctx) {
  const clients = (await all("/api/users", { role: "client" })).sort((a, b) => a.full_name.localeCompare(b.full_name));
  const packages = packageSection(clients);
  const types = await typesSection(async (list) => packages.setTypes(list));
  const week = await weekSection(ctx.query.get("date"));
  return h("div", { class: "studio" }, h("h1", {}, "Studio"), week, types, packages);
}
