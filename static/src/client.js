// The client's phone: today's workout logged set by set with one thumb, the day's meals, and history.
import { all, post, upload } from "./api.js";
import { activePlan, exercisesById, planActive, planWhen, STATUS_TEXT } from "./data.js";
import { h, field, num, formAlert, onSubmit, link, section, empty, fmtDate, fmtNum, isoDay, toast, uid } from "./dom.js";
import { onLive } from "./live.js";
import { mealPhotoThumb } from "./meal_photo.js";
import { fmtWeight, fromKg, toKg, weightUnit } from "./units.js";
import { pagedList, showLog, targetsVsLogged, workoutItem } from "./views.js";

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
      h("button", { type: "button", class: "step", "aria-label": `${label}: ${step} less`, onclick: () => change(-step) }, "−"),
      input,
      h("button", { type: "button", class: "step", "aria-label": `${label}: ${step} more`, onclick: () => change(step) }, "+")));
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
    const doneList = h("ol", { class: "sets-done", "aria-label": "Sets done" }, saved.sets.map((s) =>
      h("li", {}, `${names.get(s.exercise_id)?.name || "?"} · set ${s.set_number}: ${s.reps} reps`
        + (s.weight_kg !== null && s.weight_kg !== undefined ? ` × ${fmtWeight(s.weight_kg)}` : ""))));
    const undo = saved.sets.length ? h("button", { type: "button", class: "quiet", onclick: () => {
      saved.sets.pop(); keep(); paint(); } }, "Undo last set") : null;
    if (index >= plan.length) {
      box.replaceChildren(finishForm(), doneList, undo);
      return;
    }
    const step = plan[index];
    const exerciseNo = new Set(plan.slice(0, index + 1).map((s) => s.exercise_id)).size;
    const exerciseCount = new Set(plan.map((s) => s.exercise_id)).size;
    const reps = stepper("Reps", "reps", saved.sets.at(-1)?.exercise_id === step.exercise_id
      ? saved.sets.at(-1).reps : step.reps, 1, 0);
    // Shown and typed in the user's unit (a 5 lb step is the 2.5 kg plate pair of the other side); sent in kg.
    const lastKg = saved.sets.at(-1)?.exercise_id === step.exercise_id ? saved.sets.at(-1).weight_kg : step.weight_kg;
    const shownKg = lastKg === null || lastKg === undefined ? null : +fromKg(lastKg).toFixed(1);
    const weight = stepper(`Weight (${weightUnit()})`, "weight_kg", shownKg, weightUnit() === "lb" ? 5 : 2.5, 0);
    const rpe = field("How hard was it? (RPE, optional)", "rpe", { choices: [["", "–"],
      ...Array.from({ length: 10 }, (_, i) => [i + 1, `${i + 1}${i === 9 ? " (max)" : ""}`])] });
    const form = h("form", { class: "set-form", novalidate: true, "aria-label": "Log this set" }, formAlert(),
      h("p", { class: "step-count" }, `Exercise ${exerciseNo} of ${exerciseCount} · Set ${step.set_number} of ${step.of}`),
      h("h2", { class: "exercise-name" }, names.get(step.exercise_id)?.name || "Exercise"),
      h("p", { class: "target" }, `Target: ${step.reps} reps`, step.weight_kg ? ` at ${fmtWeight(step.weight_kg)}` : "",
        step.rest ? ` · rest ${step.rest} s` : ""),
      h("div", { class: "steppers" }, reps, weight), rpe,
      h("button", { type: "submit", class: "primary huge" }, `Done: set ${step.set_number}`));
    onSubmit(form, async (v) => {
      saved.sets.push({ exercise_id: step.exercise_id, set_number: step.set_number, reps: v.reps ?? 0,
        // Left as shown: the very kilograms it came from (20 kg shown as 44.1 lb stays 20 kg, not 20.003).
        weight_kg: v.weight_kg === shownKg ? lastKg ?? null : toKg(v.weight_kg), rpe: v.rpe === null ? null : Number(v.rpe) });
      keep();
      paint();
      if (step.rest && saved.sets.length < plan.length) rest(step.rest);
      box.querySelector("button[type=submit]")?.focus();
    });
    box.replaceChildren(form, doneList, undo);
  }

  function rest(seconds) {
    let left = seconds;
    const out = h("p", { class: "rest", role: "timer", "aria-live": "off" });
    const row = h("div", { class: "rest-row" }, out);
    const skip = h("button", { type: "button", class: "quiet small",
      onclick: () => { clearInterval(restTimer); row.remove(); } }, "Skip rest");
    row.append(skip);
    const tick = () => {
      out.textContent = `Rest: ${left} s`;
      if (left-- <= 0) { clearInterval(restTimer); out.textContent = "Rest over: next set!"; skip.remove(); }
    };
    tick();
    restTimer = setInterval(tick, 1000);
    box.prepend(row);
  }

  function finishForm() {
    const minutes = Math.max(1, Math.round((Date.now() - Date.parse(saved.started)) / 60000));
    const form = h("form", { class: "finish-form", novalidate: true, "aria-label": "Finish the workout" }, formAlert(),
      h("h2", {}, "All sets done"),
      num("Duration (minutes)", "duration_minutes", minutes, { min: 0, max: 1440, step: 1, inputmode: "numeric" }),
      field("How did it go? (1–5)", "rating", { choices: [["", "–"], [5, "5 · great"], [4, "4 · good"], [3, "3 · okay"],
        [2, "2 · hard"], [1, "1 · bad"]] }),
      field("Notes for your trainer", "notes", { type: "textarea" }),
      h("button", { type: "submit", class: "primary huge" }, "Finish workout"));
    onSubmit(form, async (v) => {
      await post(`/api/workouts/${workout.id}/log`, { performed_at: stamp(), duration_minutes: v.duration_minutes,
        rating: v.rating === null ? null : Number(v.rating), notes: v.notes, sets: saved.sets });
      localStorage.removeItem(key);
      toast("Workout logged. Well done!");
      done();
    });
    return form;
  }

  paint();
  return box;
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
      holder.replaceChildren(empty("No workout planned. Enjoy the rest day!"), link("/history", "See your history"));
      return;
    }
    const names = await exercisesById(workout.exercises.map((x) => x.exercise_id), false);
    const when = workout.scheduled_for === today ? "Today" : fmtDate(workout.scheduled_for);
    const start = h("button", { type: "button", class: "primary huge" }, "Start logging");
    const body = h("div", {}, workout.notes ? h("p", { class: "notice" }, workout.notes) : null,
      h("ol", { class: "plan" }, [...workout.exercises].sort((a, b) => a.position - b.position).map((x) =>
        h("li", {}, h("strong", {}, names.get(x.exercise_id)?.name || "?"),
          ` ${x.sets} × ${x.reps ?? "–"}`, x.weight_kg ? ` @ ${fmtWeight(x.weight_kg)}` : "",
          x.notes ? h("div", { class: "small" }, x.notes) : null))));
    const startNow = () => { body.replaceChildren(logger(workout, names, () => load())); };
    start.addEventListener("click", () => { start.remove(); startNow(); body.querySelector("button[type=submit]")?.focus(); });
    holder.replaceChildren(h("section", { class: "card today", "aria-label": "Workout" },
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
  return h("div", {}, h("h1", {}, `Hello, ${ctx.user.full_name.split(" ")[0]}`), holder,
    await (await import("./habits.js")).habitsToday(ctx));
}

export async function mealsPage(ctx) {
  const me = ctx.user.id;
  const today = isoDay(0);
  const plans = (await all("/api/meal-plans", { client_id: me }))
    .sort((a, b) => (b.start_date || "").localeCompare(a.start_date || "") || b.id - a.id);
  if (!plans.length) return h("div", {}, h("h1", {}, "Meals"), empty("Your trainer has not made a meal plan for you yet."));
  // The plan in force today; an ended or future plan is never picked silently (every entry for today would be a
  // 422), but the client may choose one to look at, and log a missed day inside its dates.
  const wanted = Number(ctx.query?.get("plan"));
  let plan = plans.find((p) => p.id === wanted) || activePlan(plans, today);
  const holder = h("div");
  const chooser = field("Meal plan", "plan", { value: plan?.id ?? "", choices: [
    ...(plan ? [] : [["", "Choose a plan"]]), ...plans.map((p) => [p.id, `${p.title}, ${planWhen(p, today)}`])] });
  chooser.querySelector("select").addEventListener("change", (event) => {
    plan = plans.find((p) => p.id === Number(event.target.value)) || null;
    paintPlan().catch((error) => toast(error.message, "error"));
  });
  async function paintPlan() {
    holder.replaceChildren(plan ? await planView(plan, today) : h("p", { class: "notice" },
      "No meal plan is in force today. Choose one above to see it, or ask your trainer for a new one."));
  }
  await paintPlan();
  return h("div", {}, h("h1", {}, "Meals"), plans.length > 1 || !plan ? chooser : null, holder);
}

/** The days of a plan a meal may be logged for: within its dates, never after today. */
function loggable(plan, today) {
  const last = plan.end_date && plan.end_date < today ? plan.end_date : today;
  return plan.start_date <= last ? { min: plan.start_date, max: last } : null;
}

async function planView(plan, today) {
  const [todayBox, logged] = [h("div"), h("div")];
  const days = loggable(plan, today);
  async function load() {
    // Today's entries for the bars; the list of what was logged is the server's pages (nothing is cut at 1,000).
    const [todays, list] = await Promise.all([
      all(`/api/meal-plans/${plan.id}/entries`, { from: today, to: today }),
      pagedList(`/api/meal-plans/${plan.id}/entries`, {}, (items) => items.map((e) =>
        h("li", { class: "entry", dataset: { entry: e.id } }, mealPhotoThumb(e),
          h("div", {}, h("strong", {}, e.meal_name), ` · ${fmtDate(e.date)} `,
            h("span", { class: `pill ${e.status}` }, STATUS_TEXT[e.status] || e.status),
            e.description ? h("p", { class: "small" }, e.description) : null,
            e.review_comment ? h("p", { class: "small notice" }, `Trainer: ${e.review_comment}`) : null))),
      { className: "entries", emptyText: "Nothing logged yet.", pageSize: 20, label: "entries" })]);
    todayBox.replaceChildren(planActive(plan, today) ? targetsVsLogged(plan, todays)
      : h("p", { class: "muted" }, "This plan is not in force today."));
    logged.replaceChildren(list);
  }
  const planSection = section(`Your plan: ${plan.title}`, h("p", { class: "small muted" }, planWhen(plan, today)),
    h("ol", { class: "plan" }, [...(plan.meals || [])]
      .sort((a, b) => a.position - b.position).map((m) => h("li", {}, h("strong", {}, m.name), m.time ? ` · ${m.time}` : "",
        h("ul", { class: "small" }, (m.items || []).map((i) => h("li", {}, `${i.food}, ${fmtNum(i.quantity_g, 0)} g`
          + ` (${fmtNum(i.kcal, 0)} kcal)`)))))));
  await load();
  const form = days ? mealForm(plan, days, load) : h("p", { class: "notice" },
    `This plan starts on ${fmtDate(plan.start_date)}: meals can be logged for it from then.`);
  return h("div", { class: "grid", dataset: { plan: plan.id } },
    section("Log a meal", form), section("Today against your targets", todayBox), planSection,
    section("Logged meals", logged));
}

function mealForm(plan, days, load) {
  const photo = h("input", { type: "file", id: uid("f"), name: "photo", accept: "image/*", capture: "environment" });
  const preview = h("img", { class: "preview", alt: "Preview of the chosen photo", hidden: true });
  photo.addEventListener("change", () => {
    if (preview.src) URL.revokeObjectURL(preview.src);
    preview.hidden = !photo.files.length;
    if (photo.files.length) preview.src = URL.createObjectURL(photo.files[0]);
  });
  const mealNames = [...(plan.meals || [])].sort((a, b) => a.position - b.position).map((m) => [m.name, m.name]);
  const form = h("form", { class: "meal-form", novalidate: true, "aria-label": "Log a meal" }, formAlert(),
    h("div", { class: "row" }, field("Meal", "meal_name", { choices: [...mealNames, ["Snack", "Snack"], ["Other", "Other"]],
      required: true }), field("Date", "date", { type: "date", value: days.max, required: true,
      attrs: { min: days.min, max: days.max } })),
    h("div", { class: "field" }, h("label", { for: photo.id }, "Photo of your meal"), photo, preview),
    field("What did you eat?", "description", { type: "textarea" }),
    h("details", {}, h("summary", {}, "Add numbers (optional)"), h("div", { class: "row" },
      num("kcal", "kcal", null, { min: 0 }), num("Protein (g)", "protein_g", null, { min: 0 }),
      num("Carbs (g)", "carbs_g", null, { min: 0 }), num("Fat (g)", "fat_g", null, { min: 0 }))),
    h("button", { type: "submit", class: "primary huge" }, "Log this meal"));
  onSubmit(form, async (v) => {
    const body = Object.fromEntries(Object.entries(v).filter(([, value]) => value !== null));
    if (photo.files.length) {
      try {
        body.photo_file = (await upload(photo.files[0], "meal_photo", null)).filename;
      } catch (error) {
        if (error.status === 413 || error.status === 415 || error.status === 422) {
          error.detail = [{ loc: ["body", "photo"], msg: error.message }];
        }
        throw error;
      }
    }
    await post(`/api/meal-plans/${plan.id}/entries`, body);
    form.reset();
    preview.hidden = true;
    toast("Meal logged. Your trainer will have a look.");
    await load();
  });
  photo.setAttribute("aria-describedby", `${photo.id}-error`);
  photo.after(h("p", { class: "field-error", id: `${photo.id}-error`, hidden: true }));
  return form;
}

export async function historyPage(ctx) {
  // Newest first, a page at a time from the server (nothing is cut at 1,000 workouts).
  const openLog = (names) => (w, box) => showLog(w, box, names).then(() => import("./comments.js"))
    .then((comments) => comments.mountComments(w, box, ctx));
  const list = await pagedList("/api/workouts", { client_id: ctx.user.id, order: "-scheduled_for" }, async (items) => {
    const names = await exercisesById(items.flatMap((w) => (w.exercises || []).map((x) => x.exercise_id)), false);
    return items.map((w) => workoutItem(w, names, { staff: false, onOpenLog: openLog(names) }));
  }, { className: "workouts", label: "workouts" });
  return h("div", {}, h("h1", {}, "History"), section("Your workouts", list),
    h("p", {}, link("/progress", "See your progress charts")));
}
