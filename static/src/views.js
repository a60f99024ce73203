// Pieces shown to trainers and clients alike: a list of workouts, a workout's log, targets against what was eaten,
// lists read page by page, photo thumbnails that open the full photo.
import { del, get, photoUrl } from "./api.js";
import { macros, statusText, sumMacros, thumbUrl } from "./data.js";
import { h, link, empty, confirmButton, fmtDate, fmtNum, toast } from "./dom.js";
import { t } from "./i18n.js";
import { fmtWeight, fromKg, weightUnit } from "./units.js";

/** One workout as a list item; staff get Edit, Copy and Delete (asked first; `onDeleted` hears of it). */
export function workoutItem(w, names, { staff, onOpenLog, onDeleted }) {
  const logBox = h("div", { class: "log-box" });
  const item = h("li", { class: `workout ${w.status}`, dataset: { workout: w.id } },
    h("div", { class: "workout-head" },
      h("strong", {}, w.title), h("span", { class: `pill ${w.status}` }, statusText(w.status)),
      h("span", { class: "muted" }, fmtDate(w.scheduled_for))),
    h("p", { class: "small" }, (w.exercises || []).map((x) => `${names.get(x.exercise_id)?.name || "?"} ${x.sets}×${x.reps ?? "–"}`
      + (x.weight_kg ? ` @ ${fmtWeight(x.weight_kg)}` : "")).join(" · ")),
    h("div", { class: "actions" },
      staff && w.status === "planned"
        ? link(`/workouts/${w.id}/edit`, t("views.edit"), { class: "button small" }) : null,
      staff ? link(`/workouts/new?copy=${w.id}`, t("views.copy"), { class: "button small" }) : null,
      w.status === "completed" ? h("button", { type: "button", class: "small", onclick: () => onOpenLog(w, logBox) },
        t("views.show_log")) : null,
      staff ? confirmButton(t("views.delete"), t(w.status === "completed" ? "views.delete_workout_and_log_confirm"
        : "views.delete_workout_confirm", { title: w.title }), async () => {
        await del(`/api/workouts/${w.id}`);
        item.remove();
        toast(t("views.workout_deleted", { title: w.title }));
        onDeleted?.(w);
      }, { "aria-label": t("views.delete_workout_label", { title: w.title }) }) : null),
    logBox);
  return item;
}

export function workoutList(workouts, names, options) {
  if (!workouts.length) return empty(t("views.none"));
  return h("ul", { class: "workouts" }, workouts.map((w) => workoutItem(w, names, options)));
}

/** A list read from a list endpoint a page at a time (the server's limit/offset/total), with "Load more" while there
 * is more: nothing is silently cut. `render(items)` gives the nodes of a page (it may read more, e.g. names). */
export async function pagedList(path, query, render, { pageSize = 25, emptyText = null, tag = "ul",
  className = "", label = null } = {}) {
  const list = h(tag, { class: className });
  const status = h("p", { class: "small muted pager-status", "aria-live": "polite" });
  const more = h("button", { type: "button", class: "small load-more", hidden: true }, t("views.load_more"));
  const box = h("div", { class: "paged" }, list, status, more);
  let offset = 0;
  async function next() {
    more.disabled = true;
    try {
      const page = await get(path, { ...query, limit: pageSize, offset });
      offset += page.items.length;
      list.append(...(await render(page.items)));
      const total = Number(page.total) || 0;
      if (!total) box.replaceChildren(empty(emptyText ?? t("views.none")));
      const what = label ?? t("views.items");  // the caller's word for its items, already in the language
      status.textContent = total > offset ? t("views.showing_some", { shown: offset, total, label: what })
        : total > pageSize ? t("views.showing_all", { total, label: what }) : "";
      more.hidden = offset >= total || !page.items.length;
      box.dataset.total = String(total);
      box.dataset.shown = String(offset);
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener("click", () => next().catch((error) => toast(error.message, "error")));
  await next();
  return box;
}

/** A photo's thumbnail (the server's 320 px JPEG) as a button that opens the full photo in a dialog. */
export function photoThumb(filename, alt, { className = "thumb", signed = null } = {}) {
  const img = h("img", { alt, class: className, loading: "lazy", dataset: { file: filename } });
  thumbUrl(filename, signed).then((src) => { img.src = src; })
    .catch(() => { img.alt = t("views.photo_unavailable", { alt }); });
  return h("button", { type: "button", class: "quiet photo-thumb", "aria-label": t("views.photo_open", { alt }),
    onclick: () => openPhoto(filename, alt, signed) }, img);
}

function openPhoto(filename, alt, signed) {
  const full = h("img", { alt, class: "full-photo" });
  full.style.maxWidth = "100%";  // CSSOM, which the CSP allows (a style attribute it would not)
  const close = h("button", { type: "button", class: "small" }, t("views.close"));
  const dialog = h("dialog", { class: "dialog photo-dialog", "aria-label": alt },
    h("div", { class: "dialog-head" }, h("h2", {}, alt), close), h("div", { class: "dialog-body" }, full));
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  photoUrl(filename, signed).then((src) => { full.src = src; })
    .catch(() => { full.alt = t("views.photo_unavailable", { alt }); });
}

// A log's caption by what it holds: [with minutes?][with a rating?].
const LOGGED = {
  false: { false: "views.logged", true: "views.logged_rated" },
  true: { false: "views.logged_minutes", true: "views.logged_minutes_rated" },
};

export async function showLog(workout, box, names) {
  const log = await get(`/api/workouts/${workout.id}/log`);
  box.replaceChildren(h("table", { class: "compact" },
    h("caption", {}, t(LOGGED[Boolean(log.duration_minutes)][Boolean(log.rating)],
      { date: fmtDate(log.performed_at), minutes: log.duration_minutes, rating: log.rating })),
    h("thead", {}, h("tr", {}, [t("views.col_exercise"), t("views.col_set"), t("views.col_reps"), weightUnit(), "RPE"]
      .map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", {}, (log.sets || []).map((s) => h("tr", {}, h("td", {}, names.get(s.exercise_id)?.name || "?"),
      h("td", {}, s.set_number), h("td", {}, s.reps), h("td", {}, fmtNum(fromKg(s.weight_kg))),
      h("td", {}, fmtNum(s.rpe)))))),
  ...(log.notes ? [h("p", { class: "note-text" }, log.notes)] : []));  // replaceChildren would print a null
}

export function targetsVsLogged(plan, entries) {
  const logged = sumMacros(entries);
  const targets = plan.targets || {};
  return h("ul", { class: "macro-bars" }, macros().map(([key, label, unit]) => {
    const goal = Number(targets[key]) || 0;
    const have = logged[key];
    const bar = h("span", { class: "bar-fill" });
    bar.style.width = `${goal ? Math.min(100, (have / goal) * 100) : 0}%`;
    if (goal && have > goal * 1.1) bar.classList.add("over");
    return h("li", {}, h("span", { class: "macro-label" }, label),
      h("span", { class: "bar", role: "presentation" }, bar),
      h("span", { class: "macro-value" }, `${fmtNum(have, 0)} / ${goal ? fmtNum(goal, 0) : "–"} ${unit}`));
  }));
}

