// Programs: the trainer's library of reusable plans, and the builder: a grid of weeks x 7 days, each day holding
// workout templates (edited in program_day.js). The whole program is kept in memory and saved in one request.
import { all, del, get, post, put } from "./api.js";
import { openAssign } from "./assign.js";
import { empty, field, formAlert, h, link, num, onSubmit, toast, uid } from "./dom.js";
import { t } from "./i18n.js";
import { cloneTemplate, DAYS, dayPanel, fromApi, onDay, ordered, toApi } from "./program_day.js";

export async function programLibrary(ctx) {
  const admin = ctx.user.role === "admin";
  const body = h("tbody");
  const search = h("input", { type: "search", id: "program-filter", placeholder: t("programs.filter_placeholder") });
  let items = [];
  const load = async () => {
    items = (await all("/api/programs", {}, 1000)).sort((a, b) => a.title.localeCompare(b.title));
    paint();
  };
  const copy = async (program) => {
    try {
      const made = await post(`/api/programs/${program.id}/copy`, {});
      toast(t("programs.copied", { title: made.title }));
      ctx.navigate(`/programs/${made.id}`);
    } catch (error) { toast(error.message, "error"); }
  };
  const remove = async (program, button) => {
    try {
      await del(`/api/programs/${program.id}`);
      toast(t("programs.deleted", { title: program.title }));
      await load();
      search.focus();
    } catch (error) {
      toast(error.status === 409 ? t("programs.delete_assigned", { title: program.title }) : error.message, "error");
      button.focus();
    }
  };
  const paint = () => {
    const q = search.value.trim().toLowerCase();
    const shown = items.filter((p) => !q || p.title.toLowerCase().includes(q));
    body.replaceChildren(...shown.map((p) => h("tr", { dataset: { program: p.id } },
      h("th", { scope: "row" }, link(`/programs/${p.id}`, p.title),
        p.description ? h("div", { class: "small muted" }, p.description) : null),
      h("td", {}, String(p.weeks)), h("td", {}, String(p.workout_count)), h("td", {}, String(p.active_clients)),
      admin ? h("td", {}, p.owner_name) : null,
      h("td", {}, h("div", { class: "actions tight" },
        h("button", { type: "button", class: "small primary", "aria-label": t("programs.assign_aria", { title: p.title }),
          onclick: () => openAssign(p, { onAssigned: load }).catch((error) => toast(error.message, "error")) },
        t("programs.assign")),
        h("button", { type: "button", class: "small", "aria-label": t("programs.copy_aria", { title: p.title }),
          onclick: () => copy(p) }, t("programs.copy")),
        h("button", { type: "button", class: "small danger", "aria-label": t("programs.delete_aria", { title: p.title }),
          onclick: (event) => remove(p, event.currentTarget) }, t("programs.delete")))))));
    if (!shown.length) {
      body.replaceChildren(h("tr", {}, h("td", { colspan: admin ? 6 : 5 },
        empty(t(items.length ? "programs.no_match" : "programs.none_yet")))));
    }
  };
  search.addEventListener("input", paint);
  await load();
  return h("div", {},
    h("div", { class: "page-head" }, h("h1", {}, t("programs.heading")),
      link("/programs/new", t("programs.new"), { class: "button primary" })),
    h("p", { class: "lead" }, t("programs.lead")),
    h("div", { class: "field inline" }, h("label", { for: "program-filter" }, t("programs.filter_label")), search),
    h("div", { class: "table-wrap" }, h("table", { class: "programs" },
      h("caption", { class: "sr-only" }, t("programs.caption")),
      h("thead", {}, h("tr", {}, [t("programs.col_program"), t("programs.col_weeks"), t("programs.col_workouts"),
        t("programs.col_clients"), admin ? t("programs.col_trainer") : null, ""]
        .filter((text) => text !== null).map((text) => h("th", { scope: "col" }, text)))), body)));
}

/** The loc of a 422 as the builder names its controls: a fixed rep count is edited in the "Reps" field. */
const ourLoc = (loc) => (loc.at(-1) === "reps" ? [...loc.slice(0, -1), "reps_min"] : loc);

export async function programBuilder(ctx) {
  const id = ctx.params.id ? Number(ctx.params.id) : null;
  const [library, source] = await Promise.all([all("/api/exercises", {}, 2000), id ? get(`/api/programs/${id}`)
    : null]);
  library.sort((a, b) => a.name.localeCompare(b.name));
  const state = source ? fromApi(source) : { id: null, title: "", description: "", weeks: 4, workouts: [] };
  if (source) ctx.setTitle(source.title);
  const datalist = h("datalist", { id: uid("x") }, library.map((e) => h("option", { value: e.name },
    e.muscle_group || "")));
  const first = ordered(state)[0];
  const ui = { state, library, datalist: datalist.id, selected: { week: first?.week || 1, day: first?.day || 1 } };
  const grid = h("div", { class: "table-wrap program-grid-wrap" });
  const panel = h("div");
  const saved = h("p", { class: "save-state small", "aria-live": "polite" }, source ? t("programs.all_saved") : "");
  const changed = (gridToo = true) => {
    saved.textContent = t("programs.unsaved");
    if (gridToo) paintGrid();
  };
  const focusIn = (node, selector) => node.querySelector(selector)?.focus();
  ui.changed = (titleChanged) => changed(titleChanged);
  ui.redraw = (focus) => {
    changed();
    panel.replaceChildren(dayPanel(ui));
    if (focus) focusIn(panel, focus);
  };
  ui.copyDay = (templates, to) => {
    const [week, day] = to.split("-").map(Number);
    state.workouts.push(...templates.map((w) => cloneTemplate(w, week, day)));
    changed();
    toast(t("programs.copied_to", { week, day }));
    focusIn(grid, `button[data-week="${week}"][data-day="${day}"]`);
  };
  const select = (week, day) => {
    ui.selected = { week, day };
    paintGrid();
    panel.replaceChildren(dayPanel(ui));
    focusIn(grid, `button[data-week="${week}"][data-day="${day}"]`);
  };
  // Build week 1, then repeat it: each later day that is still empty gets a copy; days already filled keep theirs.
  const repeatWeek = (week) => {
    let copied = 0;
    for (let later = week + 1; later <= state.weeks; later += 1) {
      for (const day of DAYS) {
        if (onDay(state, later, day).length) continue;
        const source = onDay(state, week, day);
        state.workouts.push(...source.map((w) => cloneTemplate(w, later, day)));
        copied += source.length;
      }
    }
    changed();
    toast(copied ? t("programs.repeated", { week }) : t("programs.repeat_nothing"));
    focusIn(grid, `button.repeat[data-week="${week}"]`);
  };

  function paintGrid() {
    const weeks = Array.from({ length: state.weeks }, (_, i) => i + 1);
    grid.replaceChildren(h("table", { class: "program-grid" },
      h("caption", { class: "sr-only" }, t("programs.grid_caption")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("programs.col_week")),
        DAYS.map((day) => h("th", { scope: "col" }, t("programs.day_n", { day }))))),
      h("tbody", {}, weeks.map((week) => h("tr", {},
        h("th", { scope: "row" }, h("span", { class: "week-name" }, t("programs.week_n", { week })),
          week < state.weeks && state.workouts.some((w) => w.week === week)
            ? h("button", { type: "button", class: "small quiet repeat", dataset: { week },
              onclick: () => repeatWeek(week) }, week + 1 === state.weeks
              ? t("programs.repeat_in_week", { week: state.weeks })
              : t("programs.repeat_in_weeks", { from: week + 1, to: state.weeks })) : null),
        DAYS.map((day) => {
          const here = onDay(state, week, day);
          const chosen = ui.selected.week === week && ui.selected.day === day;
          return h("td", { class: chosen ? "chosen" : null }, h("button", { type: "button", class: "day-cell",
            "aria-pressed": chosen ? "true" : "false", dataset: { week, day }, onclick: () => select(week, day) },
          h("span", { class: "sr-only" }, t("programs.cell_prefix", { week, day })),
          here.length ? here.map((w) => h("span", { class: "cell-workout" }, w.title || t("programs.untitled")))
            : h("span", { class: "cell-rest" }, t("programs.rest"))));
        }))))));
  }

  const weeksField = num(t("programs.weeks"), "weeks", state.weeks, { min: 1, max: 52, step: 1, inputmode: "numeric",
    required: true });
  const weeksInput = weeksField.querySelector("input");
  const weeksError = weeksField.querySelector(".field-error");
  weeksInput.addEventListener("change", () => {
    const wanted = Math.round(Number(weeksInput.value));
    const used = Math.max(0, ...state.workouts.map((w) => w.week));
    weeksError.hidden = true;
    weeksInput.removeAttribute("aria-invalid");
    if (!(wanted >= 1 && wanted <= 52) || wanted < used) {
      weeksError.textContent = wanted < used ? t("programs.weeks_in_use", { week: used }) : t("programs.weeks_range");
      weeksError.hidden = false;
      weeksInput.setAttribute("aria-invalid", "true");
      weeksInput.value = String(state.weeks);
      return;
    }
    state.weeks = wanted;
    if (ui.selected.week > wanted) ui.selected = { week: 1, day: 1 };
    changed();
    panel.replaceChildren(dayPanel(ui));
  });
  const text = (wrapper, key) => {
    wrapper.querySelector("input, textarea").addEventListener("input", (event) => {
      state[key] = event.target.value.trim();
      changed(false);
    });
    return wrapper;
  };
  const saveButton = h("button", { type: "submit", class: "primary", value: "save" }, t("programs.save"));
  const form = h("form", { class: "editor builder", novalidate: true, "aria-label": t("programs.form_label") },
    formAlert(),
    h("div", { class: "row" }, text(field(t("programs.title"), "title", { required: true, value: state.title,
      attrs: { maxlength: 200 } }), "title"), weeksField),
    text(field(t("programs.description"), "description", { type: "textarea", value: state.description }), "description"),
    h("h2", {}, t("programs.weeks_and_days")),
    h("p", { class: "hint" }, t("programs.day1_hint")),
    grid, panel, datalist,
    h("div", { class: "actions sticky" }, saveButton,
      h("button", { type: "submit", value: "assign" }, t("programs.save_assign")), saved,
      link("/programs", t("programs.all"), { class: "button quiet" })));
  onSubmit(form, async (v, submitter) => {
    let program;
    try {
      program = state.id ? await put(`/api/programs/${state.id}`, toApi(state)) : await post("/api/programs",
        toApi(state));
    } catch (error) {
      if (error.status === 422 && Array.isArray(error.detail)) {
        // Show the day of the first workout named in the errors, so its fields are on the page to be marked.
        error.detail = error.detail.map((item) => ({ ...item, loc: ourLoc(item.loc || []) }));
        const index = error.detail.map((item) => item.loc).find((loc) => loc[1] === "workouts" && loc.length > 2)?.[2];
        const template = ordered(state)[index];
        if (template) select(template.week, template.day);
      }
      throw error;
    }
    saved.textContent = t("programs.all_saved");
    toast(t("programs.saved", { title: program.title }));
    if (!state.id) {
      ctx.navigate(`/programs/${program.id}${submitter?.value === "assign" ? "?assign=1" : ""}`, { replace: true });
      return;
    }
    if (submitter?.value === "assign") await openAssign(program);
  });
  paintGrid();
  panel.replaceChildren(dayPanel(ui));
  if (source && ctx.query.get("assign") === "1") {
    history.replaceState(null, "", `/programs/${source.id}`);  // a reload should not open the dialog again
    setTimeout(() => openAssign(source).catch((error) => toast(error.message, "error")), 0);
  }
  return h("div", {}, h("h1", {}, source ? source.title : t("programs.new")), form);
}
