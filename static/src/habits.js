// Habits: the client's checklist on Today (tick today, or a day of this week forgotten; the week's completion and the
// streak) with the check-in due card above it, and the trainer's list of a client's habits with the form to add one.
import { del, get, post, put } from "./api.js";
import { h, field, num, formAlert, onSubmit, link, section, empty, toast, uid } from "./dom.js";
import { Channel, onLive } from "./live.js";

const DAY_MS = 86400000;
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const TICK_DAYS_BACK = 7;
// The API's "today" is the UTC date (clock.today()): ticks, streaks and "ticked today" all count in it, so the
// checklist does too, or a tick late in the evening west of Greenwich would be refused as a future day.
const utcDay = (offset = 0) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);
const dayNumber = (iso) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const isoOf = (n) => new Date(n * DAY_MS).toISOString().slice(0, 10);

export const target = (habit) => (habit.target_value ? `${Number(habit.target_value).toLocaleString()}${habit.target_unit
  ? ` ${habit.target_unit}` : ""}` : "");
// The target after the title, unless the title says it already ("Walk 8,000 steps").
const extra = (habit) => (target(habit) && !habit.title.includes(Number(habit.target_value).toLocaleString())
  ? target(habit) : "");
const often = (habit) => (habit.cadence === "daily" ? "Every day" : `${habit.times_per_week} days a week`);
const streakText = (habit) => `${habit.streak} ${habit.streak_unit === "weeks" ? "week" : "day"}${habit.streak === 1
  ? "" : "s"} in a row`;

/** The last seven days, today last: each with whether it may still be ticked and its tick, if any. */
function week(habit, ticks) {
  const today = dayNumber(utcDay());
  const start = dayNumber(String(habit.start_date).slice(0, 10));
  const done = new Map(ticks.map((t) => [String(t.day).slice(0, 10), t]));
  return Array.from({ length: 7 }, (_, i) => {
    const n = today - 6 + i;
    const day = isoOf(n);
    return { day, name: WEEKDAYS[(new Date(n * DAY_MS).getUTCDay() + 6) % 7], today: n === today,
      tick: done.get(day) || null, open: n >= start && n >= today - TICK_DAYS_BACK };
  });
}

function habitRow(habit, ticks, onChange) {
  const days = week(habit, ticks);
  const todays = days.find((d) => d.today);
  const box = h("input", { type: "checkbox", id: uid("h"), checked: habit.ticked_today, disabled: !todays?.open });
  const value = habit.target_value ? h("input", { type: "number", id: uid("f"), min: 0, step: "any",
    inputmode: "numeric", class: "habit-value", value: todays?.tick?.value ?? "" }) : null;
  const setDay = async (day, on) => {
    if (on) await put(`/api/habits/${habit.id}/ticks/${day}`, { value: day === todays?.day && value?.value !== ""
      && value ? Number(value.value) : null });
    else await del(`/api/habits/${habit.id}/ticks/${day}`);
    await onChange(day);
  };
  box.addEventListener("change", () => setDay(todays.day, box.checked).catch((e) => toast(e.message, "error")));
  value?.addEventListener("change", () => {
    if (value.value !== "") setDay(todays.day, true).catch((e) => toast(e.message, "error"));
  });
  const goal = habit.this_week;
  return h("li", { class: habit.ticked_today ? "habit done" : "habit", dataset: { habit: habit.id } },
    h("div", { class: "habit-main" }, h("div", { class: "field check" }, box,
      h("label", { for: box.id }, habit.title, extra(habit) ? h("span", { class: "muted" }, ` · ${extra(habit)}`) : null)),
    value ? h("div", { class: "habit-amount" }, h("label", { for: value.id, class: "small" },
      `Today (${habit.target_unit || "amount"})`), value) : null),
    h("div", { class: "week-strip", role: "group", "aria-label": `${habit.title}: the last seven days` }, days.map((d) => {
      const state = d.tick ? (d.tick.done ? "done" : "short") : "";
      return h("button", { type: "button", class: `day ${state}${d.today ? " today" : ""}`, dataset: { day: d.day },
        "aria-pressed": String(Boolean(d.tick)), disabled: !d.open,
        "aria-label": `${d.name} ${d.day.slice(8)}${d.today ? ", today" : ""}: ${d.tick ? (d.tick.done ? "done"
          : "below the target") : "not done"}`,
        onclick: () => setDay(d.day, !d.tick).catch((e) => toast(e.message, "error")) },
      h("span", { class: "day-name", "aria-hidden": "true" }, d.name.slice(0, 2)),
      h("span", { class: "day-tick", "aria-hidden": "true" }, d.tick ? "✓" : ""));
    })),
    h("p", { class: "habit-stats small" },
      `This week: ${goal.done} of ${goal.goal} · ${goal.percent}%`, h("span", { class: "streak" }, streakText(habit)),
      h("span", { class: "meter", role: "presentation" }, fillBar(goal.percent))));
}

function fillBar(percent) {
  const bar = h("span", { class: "meter-fill" });
  bar.style.width = `${Math.min(100, percent)}%`;  // a CSSOM property, which the CSP allows (no style attribute)
  return bar;
}

/** The check-in card: due or overdue with a link to the form, or sent with a link to the reply. */
async function checkInCard() {
  const list = await get("/api/check-ins", { limit: 1 });
  const current = list.current;
  const last = list.items[0];
  if (!current && !last) return null;
  if (current && !current.check_in_id) {
    return h("section", { class: `card checkin-due${current.overdue ? " overdue" : ""}`, "aria-label": "Check-in" },
      h("h2", {}, current.overdue ? "Your check-in is overdue" : "Your check-in is due"),
      h("p", {}, "A few questions from your trainer about this period."),
      link("/check-in", "Fill in your check-in", { class: "button primary" }));
  }
  return h("p", { class: "checkin-sent small" }, last?.reply ? "Your trainer replied to your check-in. "
    : "This period's check-in is sent. ", link("/check-in", last?.reply ? "Read the reply" : "See your check-ins"));
}

/** What Today shows under the workout: the check-in card and the habit checklist (nothing when there is neither). */
export async function habitsToday(ctx) {
  const holder = h("div", { class: "today-extras" });
  const status = h("p", { class: "sr-only", "aria-live": "polite" });
  const habitList = h("ul", { class: "habits" });
  async function loadHabit(habitId, focusDay) {
    const history = await get(`/api/habits/${habitId}/history`, { weeks: 2 });
    const old = habitList.querySelector(`[data-habit="${habitId}"]`);
    const row = habitRow(history.habit, history.ticks, (day) => loadHabit(habitId, day));
    // The control just used is redrawn: the focus goes to its new self, so the keyboard stays where it was.
    const active = old?.contains(document.activeElement) ? document.activeElement : null;
    const again = !active ? null : active.dataset.day ? `[data-day="${active.dataset.day}"]`
      : active.type === "checkbox" ? "input[type=checkbox]" : ".habit-value";
    old?.replaceWith(row);
    if (again) row.querySelector(again)?.focus();
    if (focusDay) {
      status.textContent = `${history.habit.title}: ${history.habit.this_week.percent}% this week, ${streakText(history.habit)}.`;
    }
    return row;
  }
  async function load() {
    const [card, habits] = [await checkInCard(), (await get("/api/habits", { limit: 100 })).items];
    const rows = await Promise.all(habits.map((habit) => get(`/api/habits/${habit.id}/history`, { weeks: 2 })
      .then((history) => habitRow(history.habit, history.ticks, (day) => loadHabit(habit.id, day)))));
    habitList.replaceChildren(...rows);
    holder.replaceChildren(...[card, habits.length ? section("Your habits", h("p", { class: "small muted" },
      "Tick what you did today; a day of the last week you forgot can be ticked too."), habitList, status) : null]
      .filter(Boolean));
  }
  // Today's workout shows first; the check-in card and the habits fill in when they arrive.
  load().catch((error) => holder.replaceChildren(h("p", { class: "form-alert", role: "alert" },
    `Your habits could not be loaded: ${error.message}`)));
  const channel = new Channel("progress").start();
  const stop = onLive("*", (message) => {
    if (/^(habit|check_in)\./.test(message.type || "")) load().catch(() => {});
  });
  ctx.onLeave(() => { stop(); channel.stop(); });
  return holder;
}

// --- the trainer ---

function habitForm(clientId, onMade) {
  const cadence = field("How often", "cadence", { choices: [["daily", "Every day"], ["weekly", "Some days a week"]] });
  const times = num("Days a week", "times_per_week", 3, { min: 1, max: 7, step: 1, inputmode: "numeric" });
  const sync = () => { times.hidden = cadence.querySelector("select").value !== "weekly"; };
  cadence.addEventListener("change", sync);
  sync();
  const form = h("form", { class: "habit-form", novalidate: true, "aria-label": "New habit" }, formAlert(),
    field("Habit", "title", { required: true, attrs: { maxlength: 200, placeholder: "Walk 8,000 steps" } }),
    h("div", { class: "row" }, cadence, times, num("Target (optional)", "target_value", null, { min: 0 }),
      field("Unit", "target_unit", { attrs: { maxlength: 20, placeholder: "steps" } })),
    h("button", { type: "submit", class: "primary small" }, "Give this habit"));
  onSubmit(form, async (v) => {
    const body = { client_id: clientId, title: v.title, cadence: v.cadence };
    if (v.cadence === "weekly") body.times_per_week = v.times_per_week;
    if (v.target_value !== null) { body.target_value = v.target_value; body.target_unit = v.target_unit; }
    const made = await post("/api/habits", body);
    form.reset();
    sync();
    toast(`Habit “${made.title}” given.`);
    onMade();
  });
  return form;
}

/** A client's habits for their trainer: this week's completion and the streak of each, archive, and add. */
export async function habitsCoach(clientId) {
  const list = h("ul", { class: "coach-habits" });
  async function load() {
    const habits = (await get("/api/habits", { client_id: clientId, limit: 100 })).items;
    list.replaceChildren(...(habits.length ? habits.map((habit) => h("li", { dataset: { habit: habit.id } },
      h("div", {}, h("strong", {}, habit.title), extra(habit) ? ` · ${extra(habit)}` : "",
        h("div", { class: "small muted" }, `${often(habit)} · this week ${habit.this_week.done} of `
          + `${habit.this_week.goal} (${habit.this_week.percent}%) · ${streakText(habit)}`)),
      h("button", { type: "button", class: "small", onclick: async () => {
        await put(`/api/habits/${habit.id}`, { archived: true });
        toast(`“${habit.title}” archived.`);
        load();
      } }, "Archive"))) : [h("li", {}, empty("No habits yet."))]));
  }
  await load();
  return section("Habits", list, h("h3", {}, "Give a habit"), habitForm(clientId, () => load()));
}
