// The trainer's day of sessions (issue 19): who comes when, and, once a session has begun, attended or no-show (the
// API refuses a mark before the start, so the buttons only appear then). `daySessions` is the same list for one
// day, for a page that shows it beside other things (the calendar's day).
import { all, get, post } from "./api.js";
import { statusText, timeOf } from "./booking.js";
import { addDays, isIso, longDay } from "./days.js";
import { empty, field, h, isoDay, link, section, toast } from "./dom.js";
import { t } from "./i18n.js";

// [status, button, its aria-label, the toast after it]
const MARKS = [["attended", "sessions.mark_attended", "sessions.mark_attended_label", "sessions.marked_attended"],
  ["no_show", "sessions.mark_no_show", "sessions.mark_no_show_label", "sessions.marked_no_show"]];

function row(a, refresh) {
  const begun = new Date(a.starts_at).getTime() <= Date.now();
  const markable = begun && a.status !== "cancelled";
  const who = { name: a.client_name, time: timeOf(a.starts_at) };
  const marks = markable ? MARKS.filter(([status]) => status !== a.status).map(([status, text, label, done]) =>
    h("button", { type: "button", class: `small${status === "attended" ? " primary" : ""}`,
      "aria-label": t(label, who), onclick: async (event) => {
        event.currentTarget.disabled = true;
        try {
          await post(`/api/appointments/${a.id}/attendance`, { status });
          toast(t(done, who));
        } catch (error) {
          toast(error.message, "error");
        }
        await refresh();
      } }, t(text))) : [];
  return h("li", { class: `session ${a.status}`, dataset: { appointment: a.id } },
    h("span", { class: "session-time" }, `${timeOf(a.starts_at)}–${timeOf(a.ends_at)}`),
    h("span", { class: "session-who" }, link(`/clients/${a.client_id}`, a.client_name)),
    h("span", { class: "session-type" }, a.type_name),
    h("span", { class: `pill ${a.status}` }, a.late_cancel ? t("sessions.status_late", { status: statusText(a.status) })
      : statusText(a.status)),
    marks.length ? h("div", { class: "actions tight" }, marks)
      : a.status === "booked" ? h("span", { class: "hint" }, t("sessions.mark_later")) : null);
}

/** One day's sessions as a list that refreshes itself after a mark. */
export async function daySessions(date) {
  const box = h("div", { class: "day-sessions" });
  async function load() {
    const page = await get("/api/appointments", { from: date, to: date, limit: 100 });
    const items = page.items.slice().sort((a, b) => a.starts_at.localeCompare(b.starts_at));
    box.replaceChildren(items.length ? h("ol", { class: "sessions plain",
      "aria-label": t("sessions.day_label", { day: longDay(date) }) }, items.map((a) => row(a, load)))
      : empty(t("sessions.none")));
  }
  await load();
  return box;
}

/** Who may be booked when: a trainer edits their own hours; an admin picks a trainer first. The editor is loaded
 * here only, not with the calendar that shares this module. */
async function hoursPart(user) {
  const { availabilityEditor } = await import("./availability.js");
  if (user.role === "trainer") return availabilityEditor(user.id);
  const trainers = (await all("/api/users", { role: "trainer" })).filter((u) => u.is_active);
  if (!trainers.length) return section(t("sessions.hours_title"), empty(t("sessions.no_trainers")));
  const holder = h("div", {});
  const pick = field(t("sessions.hours_trainer"), "trainer", { choices: trainers.map((u) => [u.id, u.full_name]) });
  const select = pick.querySelector("select");
  let shown = 0;  // the last choice wins when answers come back out of order
  async function show() {
    const mine = ++shown;
    const editor = await availabilityEditor(Number(select.value));
    if (mine === shown) holder.replaceChildren(editor);
  }
  select.addEventListener("change", () => show().catch((error) => toast(error.message, "error")));
  await show();
  return h("div", { class: "hours-admin" }, section(t("sessions.hours_title"), pick), holder);
}

export async function sessionsPage(ctx) {
  const wanted = ctx.query.get("date");
  let day = isIso(wanted) ? wanted : isoDay(0);
  const heading = h("h2", { class: "sessions-day", tabindex: "-1", "aria-live": "polite" });
  const holder = h("div", {});
  async function show(n) {
    day = addDays(day, n);
    history.replaceState(null, "", `/sessions?date=${day}`);
    heading.textContent = day === isoDay(0) ? t("sessions.today_heading", { day: longDay(day) }) : longDay(day);
    holder.replaceChildren(await daySessions(day));
  }
  const step = (n, text, label) => h("button", { type: "button", class: "small", "aria-label": label,
    onclick: () => show(n).then(() => heading.focus()) }, text);
  await show(0);
  return h("div", { class: "sessions-page" },
    h("div", { class: "page-head" }, h("h1", {}, t("sessions.title")),
      h("div", { class: "actions" }, link(`/calendar?date=${day}`, t("sessions.calendar_link")))),
    h("div", { class: "actions" }, step(-1, t("sessions.previous"), t("sessions.previous_day")),
      h("button", { type: "button", class: "small", onclick: () => { day = isoDay(0); show(0); } },
        t("sessions.today")),
      step(1, t("sessions.next"), t("sessions.next_day"))),
    h("section", { class: "card" }, heading, holder),
    await hoursPart(ctx.user));
}

/** The sessions of the days from..to (local days), by day: what the calendar shows beside each day's workouts. */
export async function sessionsByDay(from, to, clientId = null) {
  const byDay = new Map();
  const items = await all("/api/appointments", { from, to, client_id: clientId });
  for (const a of items.filter((x) => x.status !== "cancelled")) {
    const d = new Date(a.starts_at);
    const pad = (n) => String(n).padStart(2, "0");
    const key = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    if (!byDay.has(key)) byDay.set(key, []);
    byDay.get(key).push(a);
  }
  for (const list of byDay.values()) list.sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  return byDay;
}

/** A day's sessions in a calendar cell: time, who (for staff) and type; staff reach the day's marks from it. */
export function sessionChips(list, date, staff) {
  if (!list?.length) return null;
  return h("ul", { class: "cal-sessions plain", "aria-label": t("sessions.day_label", { day: longDay(date) }) },
    list.map((a) => h("li", { class: `cal-session ${a.status}`, dataset: { appointment: a.id } },
      h("span", { class: "cal-session-time" }, timeOf(a.starts_at)), " ",
      staff ? link(`/sessions?date=${date}`, `${a.client_name}, ${a.type_name}`) : a.type_name,
      a.status === "booked" ? null : h("span", { class: `pill ${a.status}` }, statusText(a.status)))));
}
