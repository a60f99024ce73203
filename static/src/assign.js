// The assign dialog: pick clients (a filterable checkbox list) and a start date (next Monday unless changed). One
// request assigns them all, each client in a transaction of their own; the answer says who got it and who did not.
// A native modal <dialog>: focus stays inside it, Escape closes it, and focus goes back to the button that opened it.
import { all, get, post } from "./api.js";
import { addDays, dayLabel, nextMonday } from "./days.js";
import { field, fmtDate, formAlert, h, isoDay, link, onSubmit, uid } from "./dom.js";
import { t } from "./i18n.js";

function clientPicker(clients, holding) {
  const errorId = uid("f");
  const filterId = uid("f");
  const count = h("p", { class: "small", "aria-live": "polite" });
  const boxes = [];
  const list = h("ul", { class: "pick-list plain" }, clients.map((c) => {
    const box = h("input", { type: "checkbox", name: "client_ids", value: c.id, "aria-describedby": errorId });
    boxes.push(box);
    const held = holding.get(c.id);
    return h("li", { dataset: { name: `${c.full_name} ${c.email}`.toLowerCase() } },
      h("label", { class: "check" }, box, h("span", {}, c.full_name,
        h("span", { class: "small muted" }, " · ", held ? t("assign.held_since", { date: fmtDate(held.start_date) })
          : c.email))));
  }));
  const tally = () => {
    const n = boxes.filter((b) => b.checked).length;
    count.textContent = t("assign.selected", { count: n, total: clients.length });
  };
  const filter = h("input", { type: "search", id: filterId, placeholder: t("assign.filter_placeholder"),
    autocomplete: "off" });
  filter.addEventListener("input", () => {
    const q = filter.value.trim().toLowerCase();
    for (const item of list.children) item.hidden = Boolean(q) && !item.dataset.name.includes(q);
  });
  // Enter in the filter ticks the one client it leaves, rather than submitting the form.
  filter.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const shown = [...list.children].filter((item) => !item.hidden);
    if (shown.length === 1) { shown[0].querySelector("input").checked = true; tally(); }
  });
  list.addEventListener("change", tally);
  const setShown = (checked) => {
    for (const item of list.children) if (!item.hidden) item.querySelector("input").checked = checked;
    tally();
  };
  tally();
  return h("fieldset", { class: "clients-pick" }, h("legend", {}, t("assign.clients")),
    h("div", { class: "field" }, h("label", { for: filterId }, t("assign.find_client")), filter),
    h("div", { class: "actions" }, h("button", { type: "button", class: "small", onclick: () => setShown(true) },
      t("assign.select_shown")), h("button", { type: "button", class: "small", onclick: () => setShown(false) },
      t("assign.clear")), count),
    clients.length ? list : h("p", { class: "empty" }, t("assign.no_clients")),
    h("p", { class: "field-error", id: errorId, hidden: true }));
}

function holders(program, held) {
  if (!held.length) return null;
  const status = h("p", { class: "small", role: "status" });
  const list = h("ul", { class: "plain holders" }, held.map((a) => {
    const item = h("li", {}, t("assign.holder", { count: a.workouts, name: a.client_name,
      date: fmtDate(a.start_date) }), " ",
      h("button", { type: "button", class: "small", "aria-label": t("assign.unassign_label", { name: a.client_name }),
        onclick: async () => {
          try {
            const [done] = (await post(`/api/programs/${program.id}/unassign`, { client_ids: [a.client_id] })).items;
            status.textContent = t("assign.unassigned", { count: done.removed, name: a.client_name });
            const next = item.nextElementSibling || item.previousElementSibling;
            item.remove();
            (next?.querySelector("button") || list.closest("dialog")?.querySelector("input[type=search]"))?.focus();
          } catch (error) { status.textContent = error.message; }
        } }, t("assign.unassign")));
    return item;
  }));
  return h("details", { class: "holders-box" }, h("summary", {}, t("assign.held_by", { count: held.length })), list,
    status);
}

function result(answer, clientsById, close) {
  const headingId = uid("d");
  const heading = h("h2", { id: headingId, tabindex: "-1" },
    t("assign.assigned_to", { count: answer.assigned.length }));
  const node = h("div", { class: "assign-result", role: "region", "aria-labelledby": headingId }, heading,
    h("p", {}, t("assign.week_one", { date: fmtDate(answer.start_date) })),
    h("ul", {}, answer.assigned.map((a) => h("li", {}, t("assign.client_workouts",
      { count: a.workouts, name: a.client_name })))),
    answer.failed.length ? h("div", { class: "form-alert", role: "alert" }, t("assign.not_assigned", {
      list: answer.failed.map((f) => t("assign.failed_one", { name: clientsById.get(f.client_id)?.full_name
        || String(f.client_id), detail: f.detail })).join(t("assign.list_separator")) })) : null,
    h("div", { class: "actions" },
      link(`/calendar?view=week&date=${answer.start_date}`, t("assign.see_calendar"),
        { class: "button primary", onclick: close }),
      h("button", { type: "button", onclick: close }, t("assign.close"))));
  return { node, heading };
}

/** Open the dialog for a program ({id, title, weeks}); `onAssigned(answer)` runs after a successful assign. */
export async function openAssign(program, { onAssigned } = {}) {
  const opener = document.activeElement;
  const [clients, held] = await Promise.all([all("/api/users", { role: "client" }),
    get(`/api/programs/${program.id}/assignments`)]);
  clients.sort((a, b) => a.full_name.localeCompare(b.full_name));
  const clientsById = new Map(clients.map((c) => [c.id, c]));
  const holding = new Map(held.items.map((a) => [a.client_id, a]));
  const titleId = uid("d");
  const dialog = h("dialog", { class: "dialog", "aria-labelledby": titleId });
  const close = () => dialog.close();
  dialog.addEventListener("close", () => { dialog.remove(); if (opener?.isConnected) opener.focus(); });
  const start = field(t("assign.start_date"), "start_date", { type: "date", required: true,
    value: nextMonday(isoDay(0)), attrs: { min: isoDay(-1) }, hint: " " });
  const startInput = start.querySelector("input");
  const hint = start.querySelector(".hint");
  const explain = () => {
    const first = startInput.value;
    hint.textContent = first ? t("assign.span", { count: program.weeks, first: dayLabel(first),
      last: dayLabel(addDays(first, program.weeks * 7 - 1)) }) : t("assign.pick_start");
  };
  startInput.addEventListener("input", explain);
  explain();
  const form = h("form", { class: "editor", novalidate: true, "aria-labelledby": titleId }, formAlert(),
    clientPicker(clients, holding), start,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("assign.assign")),
      h("button", { type: "button", onclick: close }, t("common.cancel"))));
  const body = h("div", { class: "dialog-body" }, form, holders(program, held.items));
  onSubmit(form, async (v) => {
    const ids = [...form.querySelectorAll("input[name=client_ids]:checked")].map((box) => Number(box.value));
    if (!ids.length) {
      throw { status: 422, detail: [{ loc: ["body", "client_ids"], msg: t("assign.choose_one") }] };
    }
    const answer = await post(`/api/programs/${program.id}/assign`, { client_ids: ids, start_date: v.start_date });
    const shown = result(answer, clientsById, close);
    body.replaceChildren(shown.node);
    shown.heading.focus();
    onAssigned?.(answer);
  });
  dialog.append(h("div", { class: "dialog-head" }, h("h2", { id: titleId }, t("assign.title", { title: program.title })),
    h("button", { type: "button", class: "quiet small", "aria-label": t("assign.close"), onclick: close }, "✕")), body);
  document.body.append(dialog);
  dialog.showModal();
  dialog.querySelector("input[type=search]")?.focus();
  return dialog;
}
