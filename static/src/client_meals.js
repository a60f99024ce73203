// The client's Meals page: the plan in force (or one they choose), a meal logged with a photo, today against the
// targets, the plan's days of adherence (adherence.js) and every entry logged.
import { all, post, upload } from "./api.js";
import { activePlan, planActive, planWhen, statusText } from "./data.js";
import { h, field, num, formAlert, onSubmit, section, empty, fmtDate, fmtNum, isoDay, toast, uid } from "./dom.js";
import { t } from "./i18n.js";
import { adherenceView } from "./adherence.js";
import { mealPhotoThumb } from "./meal_photo.js";
import { pagedList, targetsVsLogged } from "./views.js";

export async function mealsPage(ctx) {
  const me = ctx.user.id;
  const today = isoDay(0);
  const plans = (await all("/api/meal-plans", { client_id: me }))
    .sort((a, b) => (b.start_date || "").localeCompare(a.start_date || "") || b.id - a.id);
  if (!plans.length) return h("div", {}, h("h1", {}, t("client.meals_title")), empty(t("client.no_plan")));
  // The plan in force today; an ended or future plan is never picked silently (every entry for today would be a
  // 422), but the client may choose one to look at, and log a missed day inside its dates.
  const wanted = Number(ctx.query?.get("plan"));
  let plan = plans.find((p) => p.id === wanted) || activePlan(plans, today);
  const holder = h("div");
  const chooser = field(t("client.plan_choice"), "plan", { value: plan?.id ?? "", choices: [
    ...(plan ? [] : [["", t("client.choose_plan")]]),
    ...plans.map((p) => [p.id, `${p.title}, ${planWhen(p, today)}`])] });
  chooser.querySelector("select").addEventListener("change", (event) => {
    plan = plans.find((p) => p.id === Number(event.target.value)) || null;
    paintPlan().catch((error) => toast(error.message, "error"));
  });
  async function paintPlan() {
    holder.replaceChildren(plan ? await planView(plan, today) : h("p", { class: "notice" }, t("client.no_plan_today")));
  }
  await paintPlan();
  return h("div", {}, h("h1", {}, t("client.meals_title")), plans.length > 1 || !plan ? chooser : null, holder);
}

/** The days of a plan a meal may be logged for: within its dates, never after today. */
function loggable(plan, today) {
  const last = plan.end_date && plan.end_date < today ? plan.end_date : today;
  return plan.start_date <= last ? { min: plan.start_date, max: last } : null;
}

function entryItem(e) {
  return h("li", { class: "entry", dataset: { entry: e.id } }, mealPhotoThumb(e),
    h("div", {}, h("strong", {}, e.meal_name), ` · ${fmtDate(e.date)} `,
      h("span", { class: `pill ${e.status}` }, statusText(e.status)),
      e.description ? h("p", { class: "small" }, e.description) : null,
      e.review_comment ? h("p", { class: "small notice" }, t("client.trainer_said", { comment: e.review_comment }))
        : null));
}

async function planView(plan, today) {
  const [todayBox, logged, days] = [h("div"), h("div"), h("div")];
  const range = loggable(plan, today);
  async function load() {
    // Today's entries for the bars; the list of what was logged is the server's pages (nothing is cut at 1,000).
    const [todays, list, perDay] = await Promise.all([
      all(`/api/meal-plans/${plan.id}/entries`, { from: today, to: today }),
      pagedList(`/api/meal-plans/${plan.id}/entries`, {}, (items) => items.map(entryItem), { className: "entries",
        emptyText: t("client.nothing_logged"), pageSize: 20, label: t("client.entries_label") }),
      adherenceView(plan, { today })]);
    todayBox.replaceChildren(planActive(plan, today) ? targetsVsLogged(plan, todays)
      : h("p", { class: "muted" }, t("client.plan_not_today")));
    logged.replaceChildren(list);
    days.replaceChildren(perDay);
  }
  const planSection = section(t("client.your_plan", { title: plan.title }),
    h("p", { class: "small muted" }, planWhen(plan, today)),
    h("ol", { class: "plan" }, [...(plan.meals || [])]
      .sort((a, b) => a.position - b.position).map((m) => h("li", {}, h("strong", {}, m.name), m.time ? ` · ${m.time}` : "",
        h("ul", { class: "small" }, (m.items || []).map((i) => h("li", {}, t("client.plan_item",
          { food: i.food, grams: fmtNum(i.quantity_g, 0), kcal: fmtNum(i.kcal, 0) }))))))));
  await load();
  const form = range ? mealForm(plan, range, load) : h("p", { class: "notice" },
    t("client.plan_starts", { date: fmtDate(plan.start_date) }));
  return h("div", { class: "grid", dataset: { plan: plan.id } },
    section(t("client.log_meal"), form), section(t("client.today_vs_targets"), todayBox), planSection,
    section(t("client.days_title"), days), section(t("client.logged_meals"), logged));
}

function mealForm(plan, days, load) {
  const photo = h("input", { type: "file", id: uid("f"), name: "photo", accept: "image/*", capture: "environment" });
  const preview = h("img", { class: "preview", alt: t("client.photo_preview"), hidden: true });
  photo.addEventListener("change", () => {
    if (preview.src) URL.revokeObjectURL(preview.src);
    preview.hidden = !photo.files.length;
    if (photo.files.length) preview.src = URL.createObjectURL(photo.files[0]);
  });
  const mealNames = [...(plan.meals || [])].sort((a, b) => a.position - b.position).map((m) => [m.name, m.name]);
  // "Snack" and "Other" are names the client gives their entry, so they are saved in the client's language.
  const extra = [t("client.meal_snack"), t("client.meal_other")].map((name) => [name, name]);
  const form = h("form", { class: "meal-form", novalidate: true, "aria-label": t("client.log_meal") }, formAlert(),
    h("div", { class: "row" }, field(t("client.meal"), "meal_name", { choices: [...mealNames, ...extra],
      required: true }), field(t("client.date"), "date", { type: "date", value: days.max, required: true,
      attrs: { min: days.min, max: days.max } })),
    h("div", { class: "field" }, h("label", { for: photo.id }, t("client.meal_photo")), photo, preview),
    field(t("client.what_eaten"), "description", { type: "textarea" }),
    h("details", {}, h("summary", {}, t("client.add_numbers")), h("div", { class: "row" },
      num(t("client.kcal"), "kcal", null, { min: 0 }), num(t("client.protein_g"), "protein_g", null, { min: 0 }),
      num(t("client.carbs_g"), "carbs_g", null, { min: 0 }), num(t("client.fat_g"), "fat_g", null, { min: 0 }))),
    h("button", { type: "submit", class: "primary huge" }, t("client.log_this_meal")));
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
    toast(t("client.meal_logged"));
    await load();
  });
  photo.setAttribute("aria-describedby", `${photo.id}-error`);
  photo.after(h("p", { class: "field-error", id: `${photo.id}-error`, hidden: true }));
  return form;
}
