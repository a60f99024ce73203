// Programs: the trainer's library of reusable plans, and the builder: a grid of weeks x 7 days, each day holding
// workout templates (edited in program_day.js). The whole program is kept in memory and saved in one request.
import { all, del, get, post, put } from "./api.js";
import { openAssign } from "./assign.js";
import { empty, field, formAlert, h, link, num, onSubmit, toast, uid } from "./dom.js";
import { cloneTemplate, DAYS, dayPanel, fromApi, onDay, ordered, toApi } from "./program_day.js";

export async function programLibrary(ctx) {
  const admin = ctx.user.role === "admin";
  const body = h("tbody");
  const search = h("input", { type: "search", id: "program-filter", placeholder: "Title" });
  let items = [];
  const load = async () => {
    items = (await all("/api/programs", {}, 1000)).sort((a, b) => a.title.localeCompare(b.title));
    paint();
  };
  const copy = async (program) => {
    try {
      const made = await post(`/api/programs/${program.id}/copy`, {});
      toast(`${made.title} made: a copy to change.`);
      ctx.navigate(`/programs/${made.id}`);
    } catch (error) { toast(error.message, "error"); }
  };
  const remove = async (program, button) => {
    try {
      await del(`/api/programs/${program.id}`);
      toast(`${program.title} deleted. Workouts already made from it stay on the calendars.`);
      await load();
      search.focus();
    } catch (error) {
      toast(error.status === 409 ? `${program.title} is assigned to clients: un-assign it first.` : error.message,
        "error");
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
        h("button", { type: "button", class: "small primary", "aria-label": `Assign ${p.title}`,
          onclick: () => openAssign(p, { onAssigned: load }).catch((error) => toast(error.message, "error")) },
        "Assign"),
        h("button", { type: "button", class: "small", "aria-label": `Copy ${p.title}`, onclick: () => copy(p) },
          "Copy"),
        h("button", { type: "button", class: "small danger", "aria-label": `Delete ${p.title}`,
          onclick: (event) => remove(p, event.currentTarget) }, "Delete"))))));
    if (!shown.length) {
      body.replaceChildren(h("tr", {}, h("td", { colspan: admin ? 6 : 5 },
        empty(items.length ? "No program matches." : "No programs yet: build your first one."))));
    }
  };
  search.addEventListener("input", paint);
  await load();
  return h("div", {},
    h("div", { class: "page-head" }, h("h1", {}, "Programs"),
      link("/programs/new", "New program", { class: "button primary" })),
    h("p", { class: "lead" }, "Plans of several weeks, built once and assigned to as many clients as you like."),
    h("div", { class: "field inline" }, h("label", { for: "program-filter" }, "Find a program"), search),
    h("div", { class: "table-wrap" }, h("table", { class: "programs" },
      h("caption", { class: "sr-only" }, "Your programs"),
      h("thead", {}, h("tr", {}, ["Program", "Weeks", "Workouts", "Clients now", admin ? "Trainer" : null, ""]
        .filter((t) => t !== null).map((t) => h("th", { scope: "col" }, t)))), body)));
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
  const saved = h("p", { class: "save-state small", "aria-live": "polite" }, source ? "All changes saved." : "");
  const changed = (gridToo = true) => {
    saved.textContent = "Unsaved changes.";
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
    state.workouts.push(...templates.map((t) => cloneTemplate(t, week, day)));
    changed();
    toast(`Copied to week ${week}, day ${day}.`);
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
        state.workouts.push(...source.map((t) => cloneTemplate(t, later, day)));
        copied += source.length;
      }
    }
    changed();
    toast(copied ? `Week ${week} copied into the empty days of the weeks after it.`
      : "Nothing to copy: the later days are filled, or this week is empty.");
    focusIn(grid, `button.repeat[data-week="${week}"]`);
  };

  function paintGrid() {
    const weeks = Array.from({ length: state.weeks }, (_, i) => i + 1);
    grid.replaceChildren(h("table", { class: "program-grid" },
      h("caption", { class: "sr-only" }, "The program's weeks and days; choose a day to edit its workouts"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Week"),
        DAYS.map((day) => h("th", { scope: "col" }, `Day ${day}`)))),
      h("tbody", {}, weeks.map((week) => h("tr", {},
        h("th", { scope: "row" }, h("span", { class: "week-name" }, `Week ${week}`),
          week < state.weeks && state.workouts.some((t) => t.week === week)
            ? h("button", { type: "button", class: "small quiet repeat", dataset: { week },
              onclick: () => repeatWeek(week) }, week + 1 === state.weeks ? `Repeat in week ${state.weeks}`
              : `Repeat in weeks ${week + 1}–${state.weeks}`) : null),
        DAYS.map((day) => {
          const here = onDay(state, week, day);
          const chosen = ui.selected.week === week && ui.selected.day === day;
          return h("td", { class: chosen ? "chosen" : null }, h("button", { type: "button", class: "day-cell",
            "aria-pressed": chosen ? "true" : "false", dataset: { week, day }, onclick: () => select(week, day) },
          h("span", { class: "sr-only" }, `Week ${week}, day ${day}: `),
          here.length ? here.map((t) => h("span", { class: "cell-workout" }, t.title || "Untitled workout"))
            : h("span", { class: "cell-rest" }, "Rest")));
        }))))));
  }

  const weeksField = num("Weeks", "weeks", state.weeks, { min: 1, max: 52, step: 1, inputmode: "numeric",
    required: true });
  const weeksInput = weeksField.querySelector("input");
  const weeksError = weeksField.querySelector(".field-error");
  weeksInput.addEventListener("change", () => {
    const wanted = Math.round(Number(weeksInput.value));
    const used = Math.max(0, ...state.workouts.map((t) => t.week));
    weeksError.hidden = true;
    weeksInput.removeAttribute("aria-invalid");
    if (!(wanted >= 1 && wanted <= 52) || wanted < used) {
      weeksError.textContent = wanted < used ? `Week ${used} holds workouts: remove them first.` : "From 1 to 52.";
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
  const saveButton = h("button", { type: "submit", class: "primary", value: "save" }, "Save program");
  const form = h("form", { class: "editor builder", novalidate: true, "aria-label": "Program" }, formAlert(),
    h("div", { class: "row" }, text(field("Title", "title", { required: true, value: state.title,
      attrs: { maxlength: 200 } }), "title"), weeksField),
    text(field("Description", "description", { type: "textarea", value: state.description }), "description"),
    h("h2", {}, "Weeks and days"),
    h("p", { class: "hint" }, "Day 1 is the start date picked when assigning (a Monday unless you pick another)."),
    grid, panel, datalist,
    h("div", { class: "actions sticky" }, saveButton,
      h("button", { type: "submit", value: "assign" }, "Save and assign…"), saved,
      link("/programs", "All programs", { class: "button quiet" })));
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
    saved.textContent = "All changes saved.";
    toast(`${program.title} saved.`);
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
  return h("div", {}, h("h1", {}, source ? source.title : "New program"), form);
}
