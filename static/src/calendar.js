// The calendar: a week or a month of scheduled workouts, a client's own or a trainer's clients' (all, or one).
// A trainer reschedules a planned workout by dragging it onto another day, or with the keyboard: its "Move" button,
// then "Move here" on the day wanted (Escape cancels). Either way it is a PUT of the workout's scheduled_for.
import { all, get, put } from "./api.js";
import { feedSection } from "./calendar_feed.js";
import { addDays, addMonths, dayLabel, fromIso, isIso, longDay, mondayOf, monthEnd, monthStart } from "./days.js";
import { h, isoDay, link, toast } from "./dom.js";
import { t } from "./i18n.js";
import { Channel, onLive } from "./live.js";
import { sessionChips, sessionsByDay } from "./sessions.js";

const STATUS = { planned: "calendar.status_planned", completed: "calendar.status_completed",
  skipped: "calendar.status_skipped", missed: "calendar.status_missed" };
const MONTH_ITEMS = 3; // shown per day in the month view; the rest behind "+N more"

function range(view, anchor) {
  if (view === "month") return [mondayOf(monthStart(anchor)), addDays(mondayOf(monthEnd(anchor)), 6)];
  const monday = mondayOf(anchor);
  return [monday, addDays(monday, 6)];
}

function rangeLabel(view, anchor) {
  if (view === "month") return dayLabel(anchor, { month: "long", year: "numeric" });
  const [from, to] = range(view, anchor);
  return t("calendar.range", { from: dayLabel(from, { day: "numeric", month: "short" }),
    to: dayLabel(to, { day: "numeric", month: "short", year: "numeric" }) });
}

export async function calendarPage(ctx) {
  const staff = ctx.user.role !== "client";
  const wanted = ctx.query.get("date");
  const state = { view: ctx.query.get("view") === "month" ? "month" : "week", anchor: isIso(wanted) ? wanted
    : isoDay(0), client: Number(ctx.query.get("client")) || null, moving: null, days: [] };
  const clients = staff ? (await all("/api/users", { role: "client" })).sort((a, b) =>
    a.full_name.localeCompare(b.full_name)) : [];
  const heading = h("h2", { class: "cal-range", "aria-live": "polite", tabindex: "-1" });
  const board = h("div", { class: "cal-board" });
  const banner = h("div", { class: "cal-moving", role: "status" });
  const viewButtons = ["week", "month"].map((view) => h("button", { type: "button", class: "small",
    dataset: { view }, onclick: () => { state.view = view; load().then(() => heading.focus()); } },
  view === "week" ? t("calendar.week") : t("calendar.month")));
  const step = (n) => {
    state.anchor = state.view === "month" ? addMonths(state.anchor, n) : addDays(state.anchor, 7 * n);
  };
  const prev = h("button", { type: "button", class: "small", onclick: () => { step(-1); load(); } },
    t("calendar.previous"));
  const next = h("button", { type: "button", class: "small", onclick: () => { step(1); load(); } }, t("calendar.next"));
  const today = h("button", { type: "button", class: "small", onclick: () => { state.anchor = isoDay(0); load(); } },
    t("calendar.today"));
  const picker = staff ? h("select", { id: "cal-client", onchange: (event) => {
    state.client = Number(event.target.value) || null;
    load();
  } }, h("option", { value: "" }, t("calendar.all_clients")), clients.map((c) => h("option", { value: c.id,
    selected: c.id === state.client }, c.full_name))) : null;

  async function load(focus = focusKey()) {
    const [from, to] = range(state.view, state.anchor);
    // The booked sessions (issue 19) come beside the workouts: one more request, made at the same time.
    const [answer, sessions] = await Promise.all([get("/api/calendar", { from, to, client_id: state.client }),
      sessionsByDay(from, to, state.client)]);
    state.days = answer.days;
    state.sessions = sessions;
    const query = new URLSearchParams({ view: state.view, date: state.anchor });
    if (state.client) query.set("client", state.client);
    history.replaceState(null, "", `/calendar?${query}`);
    paint(focus);
  }

  /** What has the focus in the board, as a selector that finds the same control after a repaint. */
  function focusKey() {
    const active = document.activeElement;
    if (!board.contains(active)) return null;
    const item = active.closest("[data-workout]");
    const day = active.closest("[data-date]");
    if (item) return `[data-workout="${item.dataset.workout}"] ${active.tagName.toLowerCase()}`;
    return day ? `[data-date="${day.dataset.date}"] ${active.classList.contains("move-here") ? ".move-here" : "button"}`
      : null;
  }

  function startMove(workout) {
    state.moving = workout;
    paint();
    const after = board.querySelector(`[data-date="${addDays(workout.scheduled_for, 1)}"] .move-here`);
    (after || board.querySelector(".move-here"))?.focus();
  }

  function cancelMove() {
    const id = state.moving?.id;
    state.moving = null;
    paint(`[data-workout="${id}"] .move`);
  }

  async function move(workout, date) {
    state.moving = null;
    if (date === workout.scheduled_for) { paint(`[data-workout="${workout.id}"] .move`); return; }
    try {
      await put(`/api/workouts/${workout.id}`, { scheduled_for: date });
      toast(t("calendar.moved", { title: workout.title, client: workout.client_name, day: longDay(date) }));
    } catch (error) {
      toast(error.message, "error");
    }
    await load(`[data-workout="${workout.id}"] .move`);
  }

  function item(w, month) {
    const status = w.missed ? "missed" : w.status;
    const movable = staff && w.status === "planned";
    const title = staff && movable ? link(`/workouts/${w.id}/edit`, w.title, { draggable: "false" })
      : !staff && status === "planned" && w.scheduled_for === isoDay(0) ? link("/today", w.title) : w.title;
    const who = staff && !state.client ? w.client_name : null;
    const program = w.program_title ? t("calendar.program_day", { program: w.program_title, week: w.week, day: w.day })
      : null;
    // Planned is the usual state: only the others carry a word (and a colour, never the colour alone).
    const pill = status === "planned" ? null : h("span", { class: `pill ${status}` }, t(STATUS[status]));
    const node = h("li", { class: `cal-item ${status}`, dataset: { workout: w.id },
      draggable: movable ? "true" : null, title: month && program ? program : null },
      h("span", { class: "cal-text" }, month
        ? [h("span", { class: "cal-title" }, who ? `${who}: ` : "", title), pill]
        : [who ? h("span", { class: "cal-who" }, who) : null, h("span", { class: "cal-title" }, title), pill,
          program ? h("span", { class: "cal-program" }, program) : null]),
      movable ? h("button", { type: "button", class: "small quiet move", "aria-label": t("calendar.move_label", {
        title: w.title, client: w.client_name, day: longDay(w.scheduled_for) }), onclick: () => startMove(w) },
      t("calendar.move")) : null);
    if (movable) {
      node.addEventListener("dragstart", (event) => {
        event.dataTransfer.setData("text/plain", String(w.id));
        event.dataTransfer.effectAllowed = "move";
        state.dragging = w;
        node.classList.add("dragging");
      });
      node.addEventListener("dragend", () => { state.dragging = null; node.classList.remove("dragging"); });
    }
    return node;
  }

  function dayCell(day, month) {
    const iso = day.date;
    const label = longDay(iso);
    const outside = month && iso.slice(0, 7) !== state.anchor.slice(0, 7);
    const shown = month ? day.workouts.slice(0, MONTH_ITEMS) : day.workouts;
    const hidden = day.workouts.length - shown.length;
    const classes = ["cal-day", iso === isoDay(0) ? "today" : "", outside ? "outside" : ""].filter(Boolean);
    const cell = h("li", { class: classes.join(" "), dataset: { date: iso } },
      // In the month, the day's number opens its week, where every workout shows in full.
      h("h3", { class: "cal-date", tabindex: month ? null : "-1" }, month ? h("button", { type: "button",
        class: "link-button day-number", "aria-label": label, onclick: () => {
          state.view = "week"; state.anchor = iso;
          load().then(() => board.querySelector(`[data-date="${iso}"] .cal-date`)?.focus());
        } }, String(fromIso(iso).getDate()))
        : dayLabel(iso),
      iso === isoDay(0) ? h("span", { class: "today-mark" }, t("calendar.today")) : null),
      month ? null : sessionChips(state.sessions?.get(iso), iso, staff),
      day.workouts.length ? h("ul", { class: "cal-items plain" }, shown.map((w) => item(w, month)))
        : month ? null : h("p", { class: "cal-none" }, t(staff ? "calendar.nothing_planned" : "calendar.rest_day")),
      hidden ? h("button", { type: "button", class: "link-button small",
        "aria-label": t("calendar.more_on", { count: hidden, day: label }),
        onclick: () => { state.view = "week"; state.anchor = iso; load().then(() => heading.focus()); } },
      t("calendar.more", { count: hidden })) : null,
      state.moving && state.moving.scheduled_for !== iso ? h("button", { type: "button", class: "small move-here",
        "aria-label": t("calendar.move_here_label", { day: label }), onclick: () => move(state.moving, iso) },
      t("calendar.move_here")) : null);
    if (staff) {
      cell.addEventListener("dragover", (event) => {
        if (!state.dragging) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        cell.classList.add("drop-target");
      });
      cell.addEventListener("dragleave", () => cell.classList.remove("drop-target"));
      cell.addEventListener("drop", (event) => {
        event.preventDefault();
        cell.classList.remove("drop-target");
        if (state.dragging) move(state.dragging, iso);
      });
    }
    return cell;
  }

  function paint(focus = null) {
    const month = state.view === "month";
    heading.textContent = rangeLabel(state.view, state.anchor);
    prev.setAttribute("aria-label", month ? t("calendar.previous_month") : t("calendar.previous_week"));
    next.setAttribute("aria-label", month ? t("calendar.next_month") : t("calendar.next_week"));
    for (const button of viewButtons) button.setAttribute("aria-pressed", String(button.dataset.view === state.view));
    banner.replaceChildren(...(state.moving ? [h("span", {}, t("calendar.moving", { title: state.moving.title,
      client: state.moving.client_name, day: longDay(state.moving.scheduled_for) })),
    h("button", { type: "button", class: "small", onclick: cancelMove }, t("common.cancel"))] : []));
    banner.hidden = !state.moving;
    // The weekday names from Intl in the language's locale, Monday first (the API's weeks start on Monday).
    const names = [...Array(7)].map((_, i) =>
      dayLabel(addDays(state.days[0]?.date || mondayOf(isoDay(0)), i), { weekday: "short" }));
    board.replaceChildren(...[
      month ? h("div", { class: "cal-weekdays", "aria-hidden": "true" }, names.map((n) => h("span", {}, n))) : null,
      h("ol", { class: `cal-grid plain ${month ? "month" : "week"}`, "aria-label": rangeLabel(state.view,
        state.anchor) }, state.days.map((day) => dayCell(day, month)))].filter(Boolean));
    if (focus) board.querySelector(focus)?.focus();
  }

  const root = h("div", { class: "calendar" },
    h("div", { class: "page-head" }, h("h1", {}, staff ? t("calendar.title") : t("calendar.own_title")),
      h("div", { class: "actions" }, ...viewButtons)),
    h("div", { class: "cal-toolbar" }, h("div", { class: "actions" }, prev, today, next), heading,
      picker ? h("div", { class: "field inline" }, h("label", { for: "cal-client" }, t("calendar.show")), picker)
        : null),
    staff ? h("p", { class: "hint" }, t("calendar.drag_hint")) : null,
    banner, board, feedSection());
  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && state.moving) { event.preventDefault(); cancelMove(); }
  });
  await load(null);

  // Live: a client logging, a workout moved or a program assigned elsewhere shows here without a reload.
  const channel = new Channel("workouts").start();
  let timer = null;
  const stop = onLive("*", (message) => {
    if (!/^(workout|program)\./.test(message.type || "")) return;
    clearTimeout(timer);
    timer = setTimeout(() => load().catch(() => {}), 300);
  });
  ctx.onLeave(() => { stop(); channel.stop(); clearTimeout(timer); });
  return root;
}
