// Habits: the client's checklist on Today (tick today, or a day of this week forgotten; the week's completion and the
// streak) with the check-in due card above it, and the trainer's list of a client's habits with the form to add one.
import { del, get, post, put } from "./api.js";
import { h, field, num, formAlert, onSubmit, link, section, empty, toast, uid } from "./dom.js";
import { locale, t } from "./i18n.js";
import { Channel, onLive } from "./live.js";

const DAY_MS = 86400000;
// Each weekday (Monday first): its short name (read out) and the two letters on the strip.
const WEEKDAYS = [["habits.day_mon", "habits.strip_mon"], ["habits.day_tue", "habits.strip_tue"],
  ["habits.day_wed", "habits.strip_wed"], ["habits.day_thu", "habits.strip_thu"], ["habits.day_fri", "habits.strip_fri"],
  ["habits.day_sat", "habits.strip_sat"], ["habits.day_sun", "habits.strip_sun"]];
const TICK_DAYS_BACK = 7;
// The API's "today" is the UTC date (clock.today()): ticks, streaks and "ticked today" all count in it, so the
// checklist does too, or a tick late in the evening west of Greenwich would be refused as a future day.
const utcDay = (offset = 0) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);
const dayNumber = (iso) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const isoOf = (n) => new Date(n * DAY_MS).toISOString().slice(0, 10);

const amount = (habit) => Number(habit.target_value).toLocaleString(locale());
export const target = (habit) => (habit.target_value ? `${amount(habit)}${habit.target_unit
  ? ` ${habit.target_unit}` : ""}` : "");
// The target after the title, unless the title says it already ("Walk 8,000 steps").
const extra = (habit) => (target(habit) && !habit.title.includes(amount(habit)) ? target(habit) : "");
const often = (habit) => (habit.cadence === "daily" ? t("habits.every_day")
  : t("habits.days_a_week", { count: habit.times_per_week }));
const streakText = (habit) => t(habit.streak_unit === "weeks" ? "habits.streak_weeks" : "habits.streak_days",
  { count: habit.streak });

/** The last seven days, today last: each with whether it may still be ticked and its tick, if any. */
function week(habit, ticks) {
  const today = dayNumber(utcDay());
  const start = dayNumber(String(habit.start_date).slice(0, 10));
  const done = new Map(ticks.map((t) => [String(t.day).slice(0, 10), t]));
  return Array.from({ length: 7 }, (_, i) => {
    const n = today - 6 + i;
    const day = isoOf(n);
    return { day, names: WEEKDAYS[(new Date(n * DAY_MS).getUTCDay() + 6) % 7], today: n === today,
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
      habit.target_unit ? t("habits.today_unit", { unit: habit.target_unit }) : t("habits.today_amount")), value)
      : null),
    h("div", { class: "week-strip", role: "group", "aria-label": t("habits.last_seven_days", { title: habit.title }) },
      days.map((d) => {
        const state = d.tick ? (d.tick.done ? "done" : "short") : "";
        const said = { day: t(d.names[0]), date: d.day.slice(8), state: t(d.tick ? (d.tick.done ? "habits.state_done"
          : "habits.state_short") : "habits.state_not_done") };
        return h("button", { type: "button", class: `day ${state}${d.today ? " today" : ""}`, dataset: { day: d.day },
          "aria-pressed": String(Boolean(d.tick)), disabled: !d.open,
          "aria-label": t(d.today ? "habits.day_label_today" : "habits.day_label", said),
          onclick: () => setDay(d.day, !d.tick).catch((e) => toast(e.message, "error")) },
        h("span", { class: "day-name", "aria-hidden": "true" }, t(d.names[1])),
        h("span", { class: "day-tick", "aria-hidden": "true" }, d.tick ? "✓" : ""));
      })),
    h("p", { class: "habit-stats small" },
      t("habits.this_week", { done: goal.done, goal: goal.goal, percent: goal.percent }),
      h("span", { class: "streak" }, streakText(habit)),
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
    return h("section", { class: `card checkin-due${current.overdue ? " overdue" : ""}`,
      "aria-label": t("habits.checkin_label") },
      h("h2", {}, current.overdue ? t("habits.checkin_overdue") : t("habits.checkin_due")),
      h("p", {}, t("habits.checkin_lead")),
      link("/check-in", t("habits.checkin_fill"), { class: "button primary" }));
  }
  return h("p", { class: "checkin-sent small" }, last?.reply ? t("habits.checkin_replied") : t("habits.checkin_sent"),
    " ", link("/check-in", last?.reply ? t("habits.checkin_read_reply") : t("habits.checkin_see_all")));
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
      status.textContent = t("habits.status", { title: history.habit.title, percent: history.habit.this_week.percent,
        streak: streakText(history.habit) });
    }
    return row;
  }
  async function load() {
    const [card, habits] = [await checkInCard(), (await get("/api/habits", { limit: 100 })).items];
    const rows = await Promise.all(habits.map((habit) => get(`/api/habits/${habit.id}/history`, { weeks: 2 })
      .then((history) => habitRow(history.habit, history.ticks, (day) => loadHabit(habit.id, day)))));
    habitList.replaceChildren(...rows);
    holder.replaceChildren(...[card, habits.length ? section(t("habits.your_habits"), h("p", { class: "small muted" },
      t("habits.your_habits_lead")), habitList, status) : null]
      .filter(Boolean));
  }
  // Today's workout shows first; the check-in card and the habits fill in when they arrive.
  load().catch((error) => holder.replaceChildren(h("p", { class: "form-alert", role: "alert" },
    t("habits.load_failed", { error: error.message }))));
  const channel = new Channel("progress").start();
  const stop = onLive("*", (message) => {
    if (/^(habit|check_in)\./.test(message.type || "")) load().catch(() => {});
  });
  ctx.onLeave(() => { stop(); channel.stop(); });
  return holder;
}

// --- the trainer ---

function habitForm(clientId, onMade) {
  const cadence = field(t("habits.how_often"), "cadence", { choices: [["daily", t("habits.every_day")],
    ["weekly", t("habits.some_days")]] });
  const times = num(t("habits.days_per_week"), "times_per_week", 3, { min: 1, max: 7, step: 1, inputmode: "numeric" });
  const sync = () => { times.hidden = cadence.querySelector("select").value !== "weekly"; };
  cadence.addEventListener("change", sync);
  sync();
  const form = h("form", { class: "habit-form", novalidate: true, "aria-label": t("habits.new_habit") }, formAlert(),
    field(t("habits.habit"), "title",
      { required: true, attrs: { maxlength: 200, placeholder: t("habits.habit_example") } }),
    h("div", { class: "row" }, cadence, times, num(t("habits.target"), "target_value", null, { min: 0 }),
      field(t("habits.unit"), "target_unit", { attrs: { maxlength: 20, placeholder: t("habits.unit_example") } })),
    h("button", { type: "submit", class: "primary small" }, t("habits.give_this")));
  onSubmit(form, async (v) => {
    const body = { client_id: clientId, title: v.title, cadence: v.cadence };
    if (v.cadence === "weekly") body.times_per_week = v.times_per_week;
    if (v.target_value !== null) { body.target_value = v.target_value; body.target_unit = v.target_unit; }
    const made = await post("/api/habits", body);
    form.reset();
    sync();
    toast(t("habits.given", { title: made.title }));
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
        h("div", { class: "small muted" }, [often(habit), t("habits.coach_week", { done: habit.this_week.done,
          goal: habit.this_week.goal, percent: habit.this_week.percent }), streakText(habit)].join(" · "))),
      h("button", { type: "button", class: "small", onclick: async () => {
        await put(`/api/habits/${habit.id}`, { archived: true });
        toast(t("habits.archived", { title: habit.title }));
        load();
      } }, t("habits.archive")))) : [h("li", {}, empty(t("habits.none")))]));
  }
  await load();
  return section(t("habits.title"), list, h("h3", {}, t("habits.give_title")), habitForm(clientId, () => load()));
}
