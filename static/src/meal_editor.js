// The meal plan editor: meals made of foods, with every total (per meal, per day, against the targets) updated
// as the trainer types.
import { all, get, post, put } from "./api.js";
import { macros, sumMacros } from "./data.js";
import { h, field, num, formAlert, onSubmit, link, fmtNum, isoDay, toast } from "./dom.js";
import { t } from "./i18n.js";

const ITEM_FIELDS = [["quantity_g", "meal_editor.grams"], ["kcal", "meal_editor.kcal"],
  ["protein_g", "meal_editor.protein_g"], ["carbs_g", "meal_editor.carbs_g"], ["fat_g", "meal_editor.fat_g"]];

function itemRow(item = {}) {
  const row = h("div", { class: "item-row" },
    field(t("meal_editor.food"), "food", { value: item.food || "", required: true }),
    ITEM_FIELDS.map(([key, label]) => num(t(label), key, item[key] ?? null, { min: 0 })),
    h("button", { type: "button", class: "small danger remove-item" }, t("meal_editor.remove")));
  return row;
}

function mealBlock(meal = {}) {
  const items = h("div", { class: "items" }, (meal.items || [{}]).map(itemRow));
  const total = h("output", { class: "meal-total" });
  const block = h("fieldset", { class: "meal" }, h("legend", {}),
    h("div", { class: "row" }, field(t("meal_editor.meal"), "name", { value: meal.name || "", required: true }),
      field(t("meal_editor.time"), "time", { type: "time", value: meal.time || "" })),
    items, total,
    h("div", { class: "actions" }, h("button", { type: "button", class: "small add-item" }, t("meal_editor.add_food")),
      h("button", { type: "button", class: "small danger remove-meal" }, t("meal_editor.remove_meal"))));
  return block;
}

/** Names follow the screen: meals.1.items.0.kcal is the second meal's first food's kcal. */
function renumber(meals) {
  [...meals.children].forEach((meal, m) => {
    meal.querySelector("legend").textContent = t("meal_editor.meal_n", { n: m + 1 });
    for (const control of meal.querySelectorAll(":scope > .row [name]")) {
      control.dataset.base = control.dataset.base || control.name;
      control.name = `meals.${m}.${control.dataset.base}`;
    }
    [...meal.querySelector(".items").children].forEach((row, i) => {
      for (const control of row.querySelectorAll("[name]")) {
        control.dataset.base = control.dataset.base || control.name;
        control.name = `meals.${m}.items.${i}.${control.dataset.base}`;
      }
      row.querySelector(".remove-item").setAttribute("aria-label",
        t("meal_editor.remove_food_aria", { food: i + 1, meal: m + 1 }));
    });
  });
}

function readItems(row) {
  const out = {};
  for (const control of row.querySelectorAll("input[type=number]")) {
    out[control.dataset.base] = control.value === "" ? 0 : Number(control.value);
  }
  return out;
}

export async function mealEditor(ctx) {
  const editing = ctx.params.id ? Number(ctx.params.id) : null;
  const [clients, plan] = await Promise.all([all("/api/users", { role: "client" }),
    editing ? get(`/api/meal-plans/${editing}`) : null]);
  const clientId = plan?.client_id ?? (Number(ctx.query.get("client")) || clients[0]?.id);
  const targets = plan?.targets || {};
  const meals = h("div", { class: "meals" }, (plan?.meals?.length ? [...plan.meals].sort((a, b) => a.position - b.position)
    : [{ name: t("meal_editor.breakfast"), time: "08:00" }, { name: t("meal_editor.lunch"), time: "13:00" },
      { name: t("meal_editor.dinner"), time: "19:00" }])
    .map(mealBlock));
  const totalsBody = h("tbody");
  const totals = h("div", { class: "totals", id: "plan-totals" }, h("h2", {}, t("meal_editor.day_totals")),
    h("table", { class: "compact" }, h("thead", {}, h("tr", {}, ["", t("meal_editor.planned"), t("meal_editor.target"),
      t("meal_editor.difference")].map((text) => h("th", { scope: "col" }, text)))), totalsBody));

  const form = h("form", { class: "editor meal-editor", novalidate: true, "aria-label": t("meal_editor.form_label") }, formAlert(),
    h("div", { class: "row" },
      field(t("meal_editor.client"), "client_id", { choices: clients.map((c) => [c.id, c.full_name]), value: clientId, required: true,
        attrs: editing ? { disabled: true } : {} }),
      field(t("meal_editor.title"), "title", { value: plan?.title || "", required: true }),
      field(t("meal_editor.starts"), "start_date", { type: "date", value: plan?.start_date || isoDay(0), required: true }),
      field(t("meal_editor.ends"), "end_date", { type: "date", value: plan?.end_date || "" })),
    h("fieldset", {}, h("legend", {}, t("meal_editor.daily_targets")), h("div", { class: "row" },
      macros().map(([key, label, unit]) => num(t("meal_editor.target_field", { name: label, unit }),
        `targets.${key}`, targets[key] ?? null, { min: 0 })))),
    field(t("meal_editor.notes"), "notes", { type: "textarea", value: plan?.notes || "" }),
    h("div", { class: "meal-layout" }, h("div", {}, meals,
      h("button", { type: "button", class: "add-meal" }, t("meal_editor.add_meal"))), totals),
    h("div", { class: "actions sticky" }, h("button", { type: "submit", class: "primary" }, t("meal_editor.save")),
      link(`/clients/${clientId}`, t("common.cancel"), { class: "button" })));

  const recompute = () => {
    let all = [];
    for (const meal of meals.children) {
      const rows = [...meal.querySelectorAll(".item-row")].map(readItems);
      all = all.concat(rows);
      const sum = sumMacros(rows);
      meal.querySelector(".meal-total").textContent = t("meal_editor.meal_total", { kcal: fmtNum(sum.kcal, 0),
        protein: fmtNum(sum.protein_g), carbs: fmtNum(sum.carbs_g), fat: fmtNum(sum.fat_g) });
    }
    const sum = sumMacros(all);
    totalsBody.replaceChildren(...macros().map(([key, label, unit]) => {
      const target = form.querySelector(`[name="targets.${key}"]`).value;
      const diff = target === "" ? null : sum[key] - Number(target);
      return h("tr", { dataset: { macro: key } }, h("th", { scope: "row" }, label),
        h("td", { class: "planned" }, `${fmtNum(sum[key], key === "kcal" ? 0 : 1)} ${unit}`),
        h("td", {}, target === "" ? "–" : `${fmtNum(target, 0)} ${unit}`),
        h("td", { class: diff === null ? "" : Math.abs(diff) <= Number(target) * 0.05 ? "ok" : "off" },
          diff === null ? "–" : `${diff > 0 ? "+" : ""}${fmtNum(diff, 0)} ${unit}`));
    }));
  };
  form.addEventListener("input", recompute);
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const meal = button.closest(".meal");
    if (button.classList.contains("add-item")) {
      meal.querySelector(".items").append(itemRow());
      renumber(meals);
      meal.querySelector(".items").lastElementChild.querySelector("input").focus();
    } else if (button.classList.contains("remove-item")) {
      button.closest(".item-row").remove();
      renumber(meals);
      meal.querySelector(".add-item").focus();
    } else if (button.classList.contains("remove-meal")) {
      meal.remove();
      renumber(meals);
      form.querySelector(".add-meal").focus();
    } else if (button.classList.contains("add-meal")) {
      meals.append(mealBlock({ items: [{}] }));
      renumber(meals);
      meals.lastElementChild.querySelector("input").focus();
    } else return;
    recompute();
  });
  renumber(meals);
  recompute();

  onSubmit(form, async (v) => {
    const body = { title: v.title, notes: v.notes, start_date: v.start_date, end_date: v.end_date,
      targets: Object.fromEntries(macros().map(([key]) => [key, v[`targets.${key}`]])),
      meals: [...meals.children].map((meal, m) => ({
        name: v[`meals.${m}.name`], time: v[`meals.${m}.time`], position: m + 1,
        items: [...meal.querySelectorAll(".item-row")].map((row, i) => {
          const item = { food: v[`meals.${m}.items.${i}.food`] };
          for (const [key] of ITEM_FIELDS) item[key] = v[`meals.${m}.items.${i}.${key}`] ?? 0;
          return item;
        }),
      })),
    };
    const saved = editing ? await put(`/api/meal-plans/${editing}`, body)
      : await post("/api/meal-plans", { ...body, client_id: Number(v.client_id) });
    toast(t("meal_editor.saved"));
    ctx.navigate(`/clients/${saved.client_id ?? v.client_id}`);
  });
  return h("div", {}, h("h1", {}, t(editing ? "meal_editor.title_edit" : "meal_editor.title_new")), form);
}
