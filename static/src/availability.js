// A trainer's availability (issue 19): the weekly hours clients may book in, and the exceptions (a day off, hours
// off, extra hours) on single days. Times are wall-clock HH:MM in the studio's time zone, as the API keeps them (a
// Monday 09:00 stays 09:00 across a clock change), so they are shown and edited as written, never converted to the
// browser's zone. The API says which zone; the page names it. Weekdays follow the API: 0 = Monday ... 6 = Sunday.
import { del, get, post, put } from "./api.js";
import { addDays, dayLabel } from "./days.js";
import { confirmButton, empty, field, fmtDate, formAlert, h, isoDay, onSubmit, section, toast } from "./dom.js";
import { locale, t } from "./i18n.js";

const A_MONDAY = "2024-01-01";
// The API's end of a day is "24:00", which a time input cannot hold: the input shows 00:00 and an end of 00:00
// (never valid as a plain time, since no start is before midnight) is sent as 24:00.
const END_OF_DAY = "24:00";
const toInput = (hhmm) => (hhmm === END_OF_DAY ? "00:00" : hhmm);
const fromInput = (value) => (value === "00:00" ? END_OF_DAY : value);

/** "Monday" in the chosen language. */
export const weekdayName = (weekday) => dayLabel(addDays(A_MONDAY, weekday), { weekday: "long" });

/** The API's weekdays in the order the language's week runs (Sunday first in Hebrew, Monday first in English). */
function weekOrder() {
  const info = new Intl.Locale(locale());
  const first = (info.getWeekInfo?.() ?? info.weekInfo)?.firstDay ?? 1;  // 1 = Monday ... 7 = Sunday
  return Array.from({ length: 7 }, (_, i) => (first - 1 + i) % 7);
}

/** A wall-clock "13:00" written the language's way (24:00 has no Date of its own day: kept as written). */
export function clockTime(hhmm) {
  if (!hhmm || hhmm === END_OF_DAY) return hhmm || "";
  const [hours, minutes] = hhmm.split(":").map(Number);
  return new Date(2000, 0, 1, hours, minutes).toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" });
}

const span = (start, end) => ({ start: clockTime(start), end: clockTime(end) });

/** A 422 naming a whole item (an overlap: loc ["body", "weekly", 3]) is shown on that item's start field. */
function onItemStart(error) {
  if (error?.status === 422 && Array.isArray(error.detail)) {
    error.detail = error.detail.map((item) => (item.loc?.length === 3 && item.loc[1] === "weekly"
      ? { ...item, loc: [...item.loc, "start"] } : item));
  }
  return error;
}

/** The weekly hours as a form: per weekday its time ranges (add, remove), saved all at once with PUT. */
function weeklyForm(path, answer, saved) {
  const form = h("form", { class: "weekly-form" });

  // Field names are the ranges' positions in the body sent ("weekly.3.end"), so that a 422's loc finds its field.
  function renumber() {
    [...form.querySelectorAll(".avail-range")].forEach((row, index) => {
      const [start, end] = row.querySelectorAll("input");
      start.name = `weekly.${index}.start`;
      end.name = `weekly.${index}.end`;
    });
    for (const day of form.querySelectorAll(".avail-day")) {
      day.querySelector(".avail-none").hidden = day.querySelector(".avail-range") !== null;
    }
  }

  function rangeRow(weekday, start = "", end = "") {
    const day = weekdayName(weekday);
    const row = h("div", { class: "row avail-range", dataset: { weekday } },
      field(t("availability.from"), "", { type: "time", value: start, required: true }),
      field(t("availability.to"), "", { type: "time", value: toInput(end), required: true }),
      h("button", { type: "button", class: "small quiet", "aria-label": t("availability.remove_label", { day }),
        onclick: () => {
          const list = row.parentNode;
          row.remove();
          renumber();
          list.closest(".avail-day").querySelector(".avail-add").focus();
        } }, t("availability.remove")));
    return row;
  }

  const days = weekOrder().map((weekday) => {
    const day = weekdayName(weekday);
    const list = h("div", { class: "avail-ranges" }, answer.weekly.filter((item) => item.weekday === weekday)
      .map((item) => rangeRow(weekday, item.start, item.end)));
    const addButton = h("button", { type: "button", class: "small avail-add",
      "aria-label": t("availability.add_label", { day }), onclick: () => {
        const row = rangeRow(weekday);
        list.append(row);
        renumber();
        row.querySelector("input").focus();
      } }, t("availability.add_hours"));
    return h("fieldset", { class: "avail-day", dataset: { weekday } }, h("legend", {}, day),
      h("p", { class: "avail-none empty" }, t("availability.not_available")), list, addButton);
  });

  form.append(formAlert(), h("div", { class: "avail-week" }, days),
    h("p", { class: "hint" }, t("availability.midnight_hint")),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("availability.save"))));
  renumber();
  onSubmit(form, async () => {
    const weekly = [...form.querySelectorAll(".avail-range")].map((row) => {
      const [start, end] = row.querySelectorAll("input");
      return { weekday: Number(row.dataset.weekday), start: start.value, end: fromInput(end.value) };
    });
    let answerNow;
    try {
      answerNow = await put(path, { weekly });
    } catch (error) {
      throw onItemStart(error);
    }
    toast(t("availability.saved"));
    saved(answerNow);
  });
  return form;
}

const KIND_TEXT = { off: "availability.hours_off", extra: "availability.extra_hours" };

/** What an exception does, as a person says it: "Day off", "Off 13:00–15:00", "Extra hours 18:00–20:00". */
const describe = (x) => (x.start === null ? t("availability.day_off") : t(KIND_TEXT[x.kind], span(x.start, x.end)));

function exceptionList(path, exceptions, reload) {
  if (!exceptions.length) return empty(t("availability.no_exceptions"));
  return h("ul", { class: "plain exceptions" }, exceptions.map((x) => {
    const day = fmtDate(x.date);
    return h("li", { class: `exception ${x.kind}`, dataset: { exception: x.id, date: x.date } },
      h("span", { class: "exception-day" }, day), " ",  // spaces: the line still reads unstyled
      h("span", { class: `pill ${x.kind}` }, describe(x)), " ",
      x.note ? [h("span", { class: "exception-note hint" }, x.note), " "] : null,
      confirmButton(t("availability.delete"), t("availability.delete_question", { day }), async () => {
        await del(`${path}/exceptions/${x.id}`);
        toast(t("availability.deleted", { day }));
        await reload();
      }, { "aria-label": t("availability.delete_label", { day }) }));
  }));
}

// The three things a trainer means by an exception, as the API's kind and hours: [choice, its text key].
const CHOICES = [["day_off", "availability.kind_day_off"], ["off", "availability.kind_hours_off"],
  ["extra", "availability.kind_extra"]];

/** The small form adding one exception: a day, what happens that day, the hours unless it is the whole day. */
function exceptionForm(path, reload) {
  const form = h("form", { class: "exception-form" });
  const kind = field(t("availability.exception_kind"), "choice", { choices: CHOICES.map(([v, key]) => [v, t(key)]) });
  // The hidden attribute on a wrapper of its own: `.row` sets display, which would override it.
  const hours = h("div", { hidden: true }, h("div", { class: "row" },
    field(t("availability.from"), "start", { type: "time" }), field(t("availability.to"), "end", { type: "time" })));
  const select = kind.querySelector("select");
  const showHours = () => {
    hours.hidden = select.value === "day_off";
    for (const input of hours.querySelectorAll("input")) input.required = !hours.hidden;
  };
  select.addEventListener("change", showHours);
  form.append(formAlert(),
    h("div", { class: "row" }, field(t("availability.date"), "date", { type: "date", required: true,
      attrs: { min: isoDay(0) } }), kind),
    hours,
    field(t("availability.note"), "note", { attrs: { maxlength: 500 } }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("availability.add"))));
  onSubmit(form, async (v) => {
    const whole = v.choice === "day_off";
    const body = { date: v.date, kind: whole ? "off" : v.choice, note: v.note };
    if (!whole) Object.assign(body, { start: v.start, end: v.end && fromInput(v.end) });
    await post(`${path}/exceptions`, body);
    toast(t("availability.exception_added", { day: fmtDate(v.date) }));
    form.reset();
    showHours();
    await reload();
  });
  return form;
}

/** The editor of one trainer's availability: the weekly hours, then the exceptions of the coming days. */
export async function availabilityEditor(trainerId) {
  const path = `/api/trainers/${trainerId}/availability`;
  const answer = await get(path);
  const weeklyBox = h("div", {});
  const listBox = h("div", { "aria-live": "polite" });
  const drawWeek = (latest) => weeklyBox.replaceChildren(weeklyForm(path, latest, drawWeek));
  const drawList = (latest) => listBox.replaceChildren(exceptionList(path, latest.exceptions, reloadList));
  async function reloadList() { drawList(await get(path)); }
  drawWeek(answer);
  drawList(answer);
  return h("div", { class: "availability", dataset: { trainer: trainerId } },
    section(t("availability.weekly_title"),
      h("p", { class: "hint" }, t("availability.zone_hint", { zone: answer.timezone })), weeklyBox),
    section(t("availability.exceptions_title"), listBox,
      h("h3", {}, t("availability.add_title")), exceptionForm(path, reloadList)));
}
