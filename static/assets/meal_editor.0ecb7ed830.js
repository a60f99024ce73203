// The meal plan editor: meals made of foods, with every total (per meal, per day, against the targets) updated
// as the trainer types.
import { all, get, post, put } from "./api.2764f6f883.js";
import { MACROS, sumMacros } from "./data.1f76e39b32.js";
import { h, field, num, formAlert, onSubmit, link, fmtNum, isoDay, toast } from "./dom.7fd3a2da85.js";

const ITEM_FIELDS = [["quantity_g", "Grams"], ["kcal", "kcal"], ["protein_g", "Protein (g)"], ["carbs_g", "Carbs (g)"],
  ["fat_g", "Fat (g)"]];

function itemRow(item = {}) {
  const row = h("div", { class: "item-row" },
    field("Food", "food", { value: item.food || "", required: true }),
    ITEM_FIELDS.map(([key, label]) => num(label, key, item[key] ?? null, { min: 0 })),
    h("button", { type: "button", class: "small danger remove-item" }, "Remove"));
  return row;
}

function mealBlock(meal = {}) {
  const items = h("div", { class: "items" }, (meal.items || [{}]).map(itemRow));
  const total = h("output", { class: "meal-total" });
  const block = h("fieldset", { class: "meal" }, h("legend", {}),
    h("div", { class: "row" }, field("Meal", "name", { value: meal.name || "", required: true }),
      field("Time", "time", { type: "time", value: meal.time || "" })),
    items, total,
    h("div", { class: "actions" }, h("button", { type: "button", class: "small add-item" }, "Add a food"),
      h("button", { type: "button", class: "small danger remove-meal" }, "Remove this meal")));
  return block;
}

/** Names follow the screen: meals.1.items.0.kcal is the second meal's first food's kcal. */
function renumber(meals) {
  [...meals.children].forEach((meal, m) => {
    meal.querySelector("legend").textContent = `Meal ${m + 1}`;
    for (const control of meal.querySelectorAll(":scope > .row [name]")) {
      control.dataset.base = control.dataset.base || control.name;
      control.name = `meals.${m}.${control.dataset.base}`;
    }
    [...meal.querySelector(".items").children].forEach((row, i) => {
      for (const control of row.querySelectorAll("[name]")) {
        control.dataset.base = control.dataset.base || control.name;
        control.name = `meals.${m}.items.${i}.${control.dataset.base}`;
      }
      row.querySelector(".remove-item").setAttribute("aria-label", `Remove food ${i + 1} of meal ${m + 1}`);
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
    : [{ name: "Breakfast", time: "08:00" }, { name: "Lunch", time: "13:00" }, { name: "Dinner", time: "19:00" }])
    .map(mealBlock));
  const totalsBody = h("tbody");
  const totals = h("div", { class: "totals", id: "plan-totals" }, h("h2", {}, "Day totals"),
    h("table", { class: "compact" }, h("thead", {}, h("tr", {}, ["", "Planned", "Target", "Difference"].map((t) =>
      h("th", { scope: "col" }, t)))), totalsBody));

  const form = h("form", { class: "editor meal-editor", novalidate: true, "aria-label": "Meal plan" }, formAlert(),
    h("div", { class: "row" },
      field("Client", "client_id", { choices: clients.map((c) => [c.id, c.full_name]), value: clientId, required: true,
        attrs: editing ? { disabled: true } : {} }),
      field("Title", "title", { value: plan?.title || "", required: true }),
      field("Starts", "start_date", { type: "date", value: plan?.start_date || isoDay(0), required: true }),
      field("Ends", "end_date", { type: "date", value: plan?.end_date || "" })),
    h("fieldset", {}, h("legend", {}, "Daily targets"), h("div", { class: "row" },
      MACROS.map(([key, label, unit]) => num(`${label} (${unit})`, `targets.${key}`, targets[key] ?? null, { min: 0 })))),
    field("Notes", "notes", { type: "textarea", value: plan?.notes || "" }),
    h("div", { class: "meal-layout" }, h("div", {}, meals,
      h("button", { type: "button", class: "add-meal" }, "Add a meal")), totals),
    h("div", { class: "actions sticky" }, h("button", { type: "submit", class: "primary" }, "Save meal plan"),
      link(`/clients/${clientId}`, "Cancel", { class: "button" })));

  const recompute = () => {
    let all = [];
    for (const meal of meals.children) {
      const rows = [...meal.querySelectorAll(".item-row")].map(readItems);
      all = all.concat(rows);
      const sum = sumMacros(rows);
      meal.querySelector(".meal-total").textContent =
        `Meal total: ${fmtNum(sum.kcal, 0)} kcal · P ${fmtNum(sum.protein_g)} g · C ${fmtNum(sum.carbs_g)} g · F ${fmtNum(sum.fat_g)} g`;
    }
    const sum = sumMacros(all);
    totalsBody.replaceChildren(...MACROS.map(([key, label, unit]) => {
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
      targets: Object.fromEntries(MACROS.map(([key]) => [key, v[`targets.${key}`]])),
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
    toast("Meal plan saved.");
    ctx.navigate(`/clients/${saved.client_id ?? v.client_id}`);
  });
  return h("div", {}, h("h1", {}, editing ? "Edit meal plan" : "New meal plan"), form);
}
