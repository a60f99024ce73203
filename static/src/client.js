// The client's phone: today's workout logged set by set with one thumb, and history (the day's meals are in
// client_meals.js; an exercise's records and sessions in records.js).
import { all, post } from "./api.js";
import { exercisesById } from "./data.js";
import { h, add, field, num, formAlert, onSubmit, link, section, empty, fmtDate, isoDay, toast, uid } from "./dom.js";
import { t } from "./i18n.js";
import { onLive } from "./live.js";
import { exerciseButtons, historyToggle } from "./records.js";
import { fmtWeight, fromKg, toKg, weightUnit } from "./units.js";
import { pagedList, showLog, workoutItem } from "./views.js";

export { mealsPage } from "./client_meals.js";

const stamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

/** What is left to do, one step per set, in the trainer's order. */
function steps(workout) {
  return [...(workout.exercises || [])].sort((a, b) => a.position - b.position).flatMap((x) =>
    Array.from({ length: x.sets }, (_, i) => ({ exercise_id: x.exercise_id, set_number: i + 1, of: x.sets,
      reps: x.reps ?? 0, weight_kg: x.weight_kg, rest: x.rest_seconds })));
}

function stepper(label, name, value, step, min) {
  const input = h("input", { type: "number", id: uid("f"), name,
    inputmode: step % 1 || name === "weight_kg" ? "decimal" : "numeric",  // 44.1 lb needs the decimal point
    step, min, value: value ?? "" });
  const change = (delta) => {
    const next = Math.max(min, (Number(input.value) || 0) + delta);
    input.value = String(+next.toFixed(2));
  };
  return h("div", { class: "stepper" }, h("label", { for: input.id }, label),
    h("div", { class: "stepper-row" },
      h("button", { type: "button", class: "step", "aria-label": t("client.step_less", { label, step }),
        onclick: () => change(-step) }, "−"),
      input,
      h("button", { type: "button", class: "step", "aria-label": t("client.step_more", { label, step }),
        onclick: () => change(step) }, "+")));
}

/** "Goblet squat · set 2: 10 reps × 20 kg" for a set already logged. */
function doneText(s, names) {
  const params = { exercise: names.get(s.exercise_id)?.name || "?", set: s.set_number, count: s.reps };
  if (s.weight_kg === null || s.weight_kg === undefined) return t("client.set_done", params);
  return t("client.set_done_weight", { ...params, weight: fmtWeight(s.weight_kg) });
}

function logger(workout, names, done) {
  const key = `elior.log.${workout.id}`;
  // Sets already logged survive a reload or a locked phone: they are kept in this browser until the log is sent.
  const saved = JSON.parse(localStorage.getItem(key) || "null") || { sets: [], started: stamp() };
  const plan = steps(workout);
  const box = h("div", { class: "logger", "aria-live": "polite" });
  const keep = () => localStorage.setItem(key, JSON.stringify(saved));
  let restTimer = null;

  function paint() {
    clearInterval(restTimer);
    const index = saved.sets.length;
    const doneList = h("ol", { class: "sets-done", "aria-label": t("client.sets_done") },
      saved.sets.map((s) => h("li", {}, doneText(s, names))));
    // A list, not a null: replaceChildren would print "null" before the first set.
    const undo = saved.sets.length ? [h("button", { type: "button", class: "quiet", onclick: () => {
      saved.sets.pop(); keep(); paint(); } }, t("client.undo_set"))] : [];
    if (index >= plan.length) {
      box.replaceChildren(finishForm(), doneList, ...undo);
      return;
    }
    const step = plan[index];
    const exerciseNo = new Set(plan.slice(0, index + 1).map((s) => s.exercise_id)).size;
    const exerciseCount = new Set(plan.map((s) => s.exercise_id)).size;
    const reps = stepper(t("client.reps"), "reps", saved.sets.at(-1)?.exercise_id === step.exercise_id
      ? saved.sets.at(-1).reps : step.reps, 1, 0);
    // Shown and typed in the user's unit (a 5 lb step is the 2.5 kg plate pair of the other side); sent in kg.
    const lastKg = saved.sets.at(-1)?.exercise_id === step.exercise_id ? saved.sets.at(-1).weight_kg : step.weight_kg;
    const shownKg = lastKg === null || lastKg === undefined ? null : +fromKg(lastKg).toFixed(1);
    const weight = stepper(t("client.weight_in", { unit: weightUnit() }), "weight_kg", shownKg,
      weightUnit() === "lb" ? 5 : 2.5, 0);
    const rpe = field(t("client.rpe_label"), "rpe", { choices: [["", "–"], ...Array.from({ length: 10 },
      (_, i) => [i + 1, i === 9 ? t("client.rpe_max", { value: 10 }) : String(i + 1)])] });
    const target = [t(step.weight_kg ? "client.target_weight" : "client.target",
      { count: step.reps, weight: fmtWeight(step.weight_kg) }),
    step.rest ? t("client.target_rest", { seconds: step.rest }) : null].filter(Boolean).join(" · ");
    const form = h("form", { class: "set-form", novalidate: true, "aria-label": t("client.log_set") }, formAlert(),
      h("p", { class: "step-count" }, t("client.step_count", { exercise: exerciseNo, exercises: exerciseCount,
        set: step.set_number, sets: step.of })),
      h("h2", { class: "exercise-name" }, names.get(step.exercise_id)?.name || t("client.exercise")),
      h("p", { class: "target" }, target),
      h("div", { class: "steppers" }, reps, weight), rpe,
      h("button", { type: "submit", class: "primary huge" }, t("client.done_set", { set: step.set_number })));
    onSubmit(form, async (v) => {
      saved.sets.push({ exercise_id: step.exercise_id, set_number: step.set_number, reps: v.reps ?? 0,
        // Left as shown: the very kilograms it came from (20 kg shown as 44.1 lb stays 20 kg, not 20.003).
        weight_kg: v.weight_kg === shownKg ? lastKg ?? null : toKg(v.weight_kg), rpe: v.rpe === null ? null : Number(v.rpe) });
      keep();
      paint();
      if (step.rest && saved.sets.length < plan.length) rest(step.rest);
      box.querySelector("button[type=submit]")?.focus();
    });
    box.replaceChildren(form, doneList, ...undo);
  }

  function rest(seconds) {
    let left = seconds;
    const out = h("p", { class: "rest", role: "timer", "aria-live": "off" });
    const row = h("div", { class: "rest-row" }, out);
    const skip = h("button", { type: "button", class: "quiet small",
      onclick: () => { clearInterval(restTimer); row.remove(); } }, t("client.skip_rest"));
    row.append(skip);
    const tick = () => {
      out.textContent = t("client.rest_left", { seconds: left });
      if (left-- <= 0) { clearInterval(restTimer); out.textContent = t("client.rest_over"); skip.remove(); }
    };
    tick();
    restTimer = setInterval(tick, 1000);
    box.prepend(row);
  }

  function finishForm() {
    const minutes = Math.max(1, Math.round((Date.now() - Date.parse(saved.started)) / 60000));
    const form = h("form", { class: "finish-form", novalidate: true, "aria-label": t("client.finish_label") },
      formAlert(), h("h2", {}, t("client.all_sets_done")),
      num(t("client.duration"), "duration_minutes", minutes, { min: 0, max: 1440, step: 1, inputmode: "numeric" }),
      field(t("client.rating_label"), "rating", { choices: [["", "–"], [5, t("client.rating_5")],
        [4, t("client.rating_4")], [3, t("client.rating_3")], [2, t("client.rating_2")], [1, t("client.rating_1")]] }),
      field(t("client.notes_label"), "notes", { type: "textarea" }),
      h("button", { type: "submit", class: "primary huge" }, t("client.finish")));
    onSubmit(form, async (v) => {
      await post(`/api/workouts/${workout.id}/log`, { performed_at: stamp(), duration_minutes: v.duration_minutes,
        rating: v.rating === null ? null : Number(v.rating), notes: v.notes, sets: saved.sets });
      localStorage.removeItem(key);
      toast(t("client.logged_toast"));
      done();
    });
    return form;
  }

  paint();
  return box;
}

/** The workout's exercises in order; each name opens that exercise's records and sessions under it. */
function planList(workout, names) {
  return h("ol", { class: "plan" }, [...workout.exercises].sort((a, b) => a.position - b.position).map((x) => {
    const item = h("li", {});  // the host of the exercise's history panel, once opened
    return add(item, [historyToggle(x.exercise_id, names.get(x.exercise_id)?.name || "?", item),
      ` ${x.sets} × ${x.reps ?? "–"}`, x.weight_kg ? ` @ ${fmtWeight(x.weight_kg)}` : "",
      x.notes ? h("div", { class: "small" }, x.notes) : null]);
  }));
}

export async function todayPage(ctx) {
  const me = ctx.user.id;
  const holder = h("div");
  async function load() {
    const workouts = (await all("/api/workouts", { client_id: me, status: "planned", from: isoDay(-7) }))
      .sort((a, b) => a.scheduled_for.localeCompare(b.scheduled_for));
    const today = isoDay(0);
    const workout = workouts.find((w) => w.scheduled_for === today) || workouts.find((w) => w.scheduled_for < today)
      || workouts[0];
    if (!workout) {
      holder.replaceChildren(empty(t("client.no_workout")), link("/history", t("client.see_history")));
      return;
    }
    const names = await exercisesById(workout.exercises.map((x) => x.exercise_id), false);
    const when = workout.scheduled_for === today ? t("client.today") : fmtDate(workout.scheduled_for);
    const start = h("button", { type: "button", class: "primary huge" }, t("client.start_logging"));
    const body = h("div", {}, workout.notes ? h("p", { class: "notice" }, workout.notes) : null,
      planList(workout, names));
    const startNow = () => { body.replaceChildren(logger(workout, names, () => load())); };
    start.addEventListener("click", () => { start.remove(); startNow(); body.querySelector("button[type=submit]")?.focus(); });
    holder.replaceChildren(h("section", { class: "card today", "aria-label": t("client.workout_label") },
      h("p", { class: "muted" }, when), h("h2", {}, workout.title), body,
      localStorage.getItem(`elior.log.${workout.id}`) ? null : start));
    if (localStorage.getItem(`elior.log.${workout.id}`)) startNow();
  }
  await load();
  // Live: a workout created, changed or deleted for this client repaints the page (the bell's notification.created
  // names it; a workouts channel, if one is open, sends workout.* itself). Not while a set is being logged: the
  // sets are kept, and the page repaints when the log is sent (the logger's done() loads again).
  let timer = null;
  const repaint = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (holder.querySelector(".logger")) return;
      load().catch((error) => toast(error.message, "error"));
    }, 150);
  };
  const stop = onLive("*", (message) => {
    const type = message.type === "notification.created" ? message.data?.type : message.type;
    if (/^workout\./.test(type || "")) repaint();
  });
  ctx.onLeave?.(() => { stop(); clearTimeout(timer); });
  return h("div", {}, h("h1", {}, t("client.hello", { name: ctx.user.full_name.split(" ")[0] })), holder,
    await (await import("./habits.js")).habitsToday(ctx));
}

export async function historyPage(ctx) {
  // Newest first, a page at a time from the server (nothing is cut at 1,000 workouts). The exercises of the
  // workouts read so far are offered as buttons that open each one's records and sessions.
  const exercises = exerciseButtons({ emptyText: t("client.no_exercises") });
  const openLog = (names) => (w, box) => showLog(w, box, names).then(() => import("./comments.js"))
    .then((comments) => comments.mountComments(w, box, ctx));
  const list = await pagedList("/api/workouts", { client_id: ctx.user.id, order: "-scheduled_for" }, async (items) => {
    const names = await exercisesById(items.flatMap((w) => (w.exercises || []).map((x) => x.exercise_id)), false);
    exercises.offer(items.flatMap((w) => (w.exercises || []).map((x) => names.get(x.exercise_id)
      || { id: x.exercise_id, name: "?" })));
    return items.map((w) => workoutItem(w, names, { staff: false, onOpenLog: openLog(names) }));
  }, { className: "workouts", label: t("client.workouts_label") });
  return h("div", {}, h("h1", {}, t("client.history_title")), section(t("client.your_workouts"), list),
    section(t("client.your_records"), h("p", { class: "small muted" }, t("client.records_hint")), exercises.node),
    h("p", {}, link("/progress", t("client.see_progress"))));
}
