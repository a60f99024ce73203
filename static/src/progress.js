// Progress: hand-drawn SVG charts (one small chart per measure), photos side by side, and the entry form; weights and
// lengths in the user's units (units.js), sent and stored metric.
import { all, del, get, post, request, upload } from "./api.js";
import { h, svg, field, num, formAlert, onSubmit, section, empty, confirmButton, fmtDate, fmtNum, isoDay, link, toast,
  uid } from "./dom.js";
import { t } from "./i18n.js";
import { bounds, fmtWeight, lengthUnit, shown, stored, unitFor, weightUnit } from "./units.js";
import { pagedList, photoThumb } from "./views.js";

// [field, label key, metric unit]: labels are looked up when drawn (the catalogue loads after this module).
export const MEASURES = [["weight_kg", "progress.weight", "kg"], ["body_fat_pct", "progress.body_fat", "%"],
  ["waist_cm", "progress.waist", "cm"], ["chest_cm", "progress.chest", "cm"], ["hips_cm", "progress.hips", "cm"],
  ["arm_cm", "progress.arm", "cm"], ["thigh_cm", "progress.thigh", "cm"]];

/** A measure of an entry or a series point, in the user's units. */
const value = (row, key) => {
  const v = row?.[key] ?? row?.measurements?.[key];
  return v === null || v === undefined || v === "" ? null : shown(key, v);
};

/** One line chart: dates along x (spaced by time), the measure along y, with its first and last values labelled. */
export function lineChart(points, label, unit) {
  const W = 320, H = 150, L = 40, R = 12, T = 16, B = 26;
  const times = points.map((p) => Date.parse(`${p.date}T00:00:00Z`));
  const ys = points.map((p) => p.y);
  let [lo, hi] = [Math.min(...ys), Math.max(...ys)];
  if (hi - lo < 1) { lo -= 1; hi += 1; }
  const pad = (hi - lo) * 0.1;
  lo -= pad; hi += pad;
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const x = (t) => (t1 === t0 ? (L + W - R) / 2 : L + ((t - t0) / (t1 - t0)) * (W - L - R));
  const y = (v) => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);
  const first = points[0], last = points[points.length - 1];
  const change = last.y - first.y;
  const summary = points.length > 1
    ? t("progress.chart_summary", { label, unit, first: fmtNum(first.y), first_date: fmtDate(first.date),
      last: fmtNum(last.y), last_date: fmtDate(last.date), change: `${change >= 0 ? "+" : ""}${fmtNum(change)}`,
      count: points.length })
    : t("progress.chart_summary_one", { label, unit, value: fmtNum(first.y), date: fmtDate(first.date) });
  const titleId = uid("t");
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-labelledby": titleId },
    svg("title", { id: titleId }, summary),
    svg("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, class: "axis" }),
    svg("line", { x1: L, y1: T, x2: L, y2: H - B, class: "axis" }),
    svg("text", { x: L - 4, y: y(hi - pad) + 4, class: "tick", "text-anchor": "end" }, fmtNum(hi - pad)),
    svg("text", { x: L - 4, y: y(lo + pad) + 4, class: "tick", "text-anchor": "end" }, fmtNum(lo + pad)),
    svg("text", { x: L, y: H - 8, class: "tick" }, first.date),
    points.length > 1 ? svg("text", { x: W - R, y: H - 8, class: "tick", "text-anchor": "end" }, last.date) : null,
    svg("polyline", { points: points.map((p, i) => `${x(times[i]).toFixed(1)},${y(p.y).toFixed(1)}`).join(" "),
      class: "line" }),
    points.map((p, i) => svg("circle", { cx: x(times[i]).toFixed(1), cy: y(p.y).toFixed(1), r: 3.5, class: "dot" },
      svg("title", {}, `${p.date}: ${fmtNum(p.y)} ${unit}`))));
  return h("figure", { class: "chart-box", dataset: { measure: label } },
    h("figcaption", {}, h("strong", {}, label), " ",
      h("span", { class: "muted" }, `${fmtNum(last.y)} ${unit}`),
      points.length > 1 ? h("span", { class: change <= 0 ? "delta down" : "delta up" },
        ` ${change >= 0 ? "+" : ""}${fmtNum(change)}`) : null),
    chart);
}

export function progressCharts(series) {
  const rows = [...series].sort((a, b) => String(a.date).localeCompare(String(b.date)));
  const charts = MEASURES.map(([key, label, unit]) => {
    const points = rows.filter((r) => value(r, key) !== null).map((r) => ({ date: r.date, y: value(r, key) }));
    return points.length ? lineChart(points, t(label), unitFor(unit)) : null;
  }).filter(Boolean);
  if (!charts.length) return empty(t("progress.no_entries"));
  const table = h("details", { class: "data-table" }, h("summary", {}, t("progress.show_table")),
    h("div", { class: "table-wrap" }, h("table", { class: "compact" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("progress.date")),
        MEASURES.map(([, label, unit]) => h("th", { scope: "col" },
          t("progress.column", { label: t(label), unit: unitFor(unit) }))))),
      h("tbody", {}, rows.map((r) => h("tr", {}, h("th", { scope: "row" }, r.date),
        MEASURES.map(([key]) => h("td", {}, fmtNum(value(r, key))))))))));
  return h("div", {}, h("div", { class: "charts" }, charts), table);
}

const fileName = (f) => (typeof f === "string" ? f : f?.filename);
const fileUrl = (f) => (typeof f === "string" ? null : f?.url);

/** An entry's photos as thumbnails; a tap opens the full photo. */
function photoFigure(entry) {
  if (!entry) return h("div");
  return h("figure", { class: "photo-col" }, h("figcaption", {}, fmtDate(entry.date),
    entry.weight_kg ? ` · ${fmtWeight(entry.weight_kg)}` : ""),
  (entry.photo_files || []).map((f) => photoThumb(fileName(f), t("progress.photo_alt", { date: fmtDate(entry.date) }),
    { className: "", signed: fileUrl(f) })));
}

/** Two dates chosen from those with photos; their photos side by side. */
export function photoCompare(entries, heading = true) {
  const withPhotos = entries.filter((e) => (e.photo_files || []).length)
    .sort((a, b) => String(a.date).localeCompare(String(b.date)));
  const title = heading ? h("h3", {}, t("progress.photos_heading")) : null;
  if (!withPhotos.length) return h("div", { class: "photos" }, title, empty(t("progress.no_photos")));
  const choices = withPhotos.map((e, i) => [i, fmtDate(e.date)]);
  const before = field(t("progress.before"), "before", { choices, value: 0 });
  const after = field(t("progress.after"), "after", { choices, value: withPhotos.length - 1 });
  const pair = h("div", { class: "photo-pair" });
  const paint = () => pair.replaceChildren(photoFigure(withPhotos[before.querySelector("select").value]),
    photoFigure(withPhotos[after.querySelector("select").value]));
  before.addEventListener("change", paint);
  after.addEventListener("change", paint);
  paint();
  return h("div", { class: "photos" }, title, h("div", { class: "row" }, before, after), pair);
}

/** The form for a new progress entry (a trainer passes the client's id; a client passes null). */
export function progressForm(clientId, onSaved) {
  const photo = h("input", { type: "file", id: uid("f"), accept: "image/*", capture: "environment", name: "photo" });
  const form = h("form", { class: "progress-form", novalidate: true, "aria-label": t("progress.form_label") },
    formAlert(),
    h("div", { class: "row" },
      field(t("progress.date"), "date", { type: "date", value: isoDay(0), required: true, attrs: { max: isoDay(0) } }),
      num(t("progress.weight_field", { unit: unitFor("kg") }), "weight_kg", null, bounds("weight_kg", 20, 400)),
      num(t("progress.body_fat_field"), "body_fat_pct", null, { min: 2, max: 75 })),
    h("fieldset", {}, h("legend", {}, t("progress.measurements", { unit: lengthUnit() })), h("div", { class: "row" },
      MEASURES.slice(2).map(([key, label]) => num(t(label), `measurements.${key}`, null, bounds(key, 5, 300))))),
    field(t("progress.notes"), "notes", { type: "textarea" }),
    h("div", { class: "field" }, h("label", { for: photo.id }, t("progress.photo_field")), photo),
    h("button", { type: "submit", class: "primary" }, t("progress.save")));
  onSubmit(form, async (v) => {
    const body = { date: v.date, notes: v.notes };
    if (clientId) body.client_id = clientId;
    // Typed in the user's units, sent metric (the API's field names say the unit).
    for (const key of ["weight_kg", "body_fat_pct"]) if (v[key] !== null) body[key] = stored(key, v[key]);
    const measurements = {};
    for (const [key] of MEASURES.slice(2)) {
      if (v[`measurements.${key}`] !== null) measurements[key] = stored(key, v[`measurements.${key}`]);
    }
    if (Object.keys(measurements).length) body.measurements = measurements;
    if (body.notes === null) delete body.notes;
    if (photo.files.length) body.photo_files = [(await upload(photo.files[0], "progress_photo", clientId)).filename];
    const saved = await post("/api/progress", body);
    form.reset();
    form.querySelector("[name=date]").value = isoDay(0);
    toast(t("progress.saved"));
    onSaved?.(saved);
  });
  return form;
}

/** One progress entry as a history line, with Delete (asked first). */
export function entryItem(e, onDeleted) {
  const item = h("li", { dataset: { entry: e.id } },
    h("strong", {}, fmtDate(e.date)), " ",
    [e.weight_kg && fmtWeight(e.weight_kg), e.body_fat_pct && t("progress.fat", { value: fmtNum(e.body_fat_pct) })]
      .filter(Boolean).join(" · "), e.notes ? h("div", { class: "small" }, e.notes) : null,
    confirmButton(t("progress.delete"), t((e.photo_files || []).length ? "progress.delete_question_photos"
      : "progress.delete_question", { date: fmtDate(e.date) }), async () => {
      await del(`/api/progress/${e.id}`);
      item.remove();
      toast(t("progress.deleted"));
      onDeleted?.(e);
    }, { "aria-label": t("progress.delete_aria", { date: fmtDate(e.date) }) }));
  return item;
}

/** "Download CSV": every entry of the client as the server writes it, in the signed-in user's units (the server
 * reads them from the account; the headers name them: weight_lb). The route wants the bearer token, which a plain
 * link cannot carry, so the file is fetched and handed to the browser as a Blob. */
export function csvButton(clientId) {
  const button = h("button", { type: "button", class: "small csv-download" }, t("progress.csv_download"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const response = await request("GET", "/api/progress/export.csv", { query: { client_id: clientId },
        raw: true });
      const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") || "")?.[1]
        || "progress.csv";
      const url = URL.createObjectURL(await response.blob());
      const save = h("a", { href: url, download: name, hidden: true });
      document.body.append(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);  // the download has started by then
    } catch (error) {
      toast(error.message, "error");
    } finally {
      button.disabled = false;
    }
  });
  return h("p", { class: "actions csv-export" }, button, " ", h("span", { class: "small muted" },
    t("progress.csv_hint", { weight: weightUnit(), length: lengthUnit() })));
}

/** A client's entries, newest first, a page at a time (the server's paging: nothing is cut at 1,000), with the CSV
 * of them all once there is one. */
export async function entryHistory(clientId, onDeleted) {
  const list = await pagedList("/api/progress", { client_id: clientId },
    (items) => items.map((e) => entryItem(e, onDeleted)), { className: "history", emptyText: t("progress.nothing_yet"),
      label: t("progress.entries_label") });
  return Number(list.dataset.total) ? h("div", {}, csvButton(clientId), list) : list;
}

export async function myProgress(ctx) {
  const me = ctx.user.id;
  const [charts, photos, history] = [h("div"), h("div"), h("div")];
  async function load() {
    // The charts come from the server's summary (every entry); photos from the entries that have them.
    const [summary, entries, list] = await Promise.all([get("/api/progress/summary", { client_id: me }),
      all("/api/progress", { client_id: me }, 5000), entryHistory(me, () => load())]);
    charts.replaceChildren(progressCharts(summary?.series || entries));
    photos.replaceChildren(photoCompare(entries, false));
    history.replaceChildren(list);
  }
  await load();
  // The form stays put while the rest reloads, so a save (or a live update) never wipes what is being typed.
  return h("div", {}, h("h1", {}, t("progress.heading")),
    h("p", { class: "small muted" }, t("progress.units_note", { weight: unitFor("kg"), length: lengthUnit() }), " ",
      link("/units", t("progress.change_units"))),
    h("div", { class: "grid" },
      section(t("progress.charts"), charts), section(t("progress.add_entry"), progressForm(null, () => load())),
      section(t("progress.photos_heading"), photos), section(t("progress.history"), history)));
}
