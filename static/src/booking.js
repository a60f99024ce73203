// The client's bookings (issue 19), made for a phone: their credits, a week of free slots of one session type with
// their trainer, the sessions coming up (cancel one). Times are shown in the phone's own zone; the API keeps UTC.
import { get, post } from "./api.js";
import { addDays } from "./days.js";
import { empty, field, h, isoDay, section, toast } from "./dom.js";
import { locale, t } from "./i18n.js";
import { foldedLedger } from "./ledger.js";

const DAYS_SHOWN = 7;

export const timeOf = (iso) => new Date(iso).toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" });
export const dayOf = (iso) => new Date(iso).toLocaleDateString(locale(), { weekday: "short", day: "numeric",
  month: "short" });
const STATUS = { booked: "booking.status_booked", cancelled: "booking.status_cancelled",
  attended: "booking.status_attended", no_show: "booking.status_no_show" };
/** An appointment's status as people read it (the sessions and studio pages show it too). */
export const statusText = (status) => t(STATUS[status]);

/** "Personal training: 4 left" for each type the client holds credits of, or a word that there are none. */
export function creditList(balances) {
  if (!balances.length) return empty(t("booking.no_credits"));
  return h("ul", { class: "credits plain" }, balances.map((b) => h("li", { class: "credit",
    dataset: { type: b.type_id } },
    h("span", { class: "credit-name" }, b.type_name),
    h("span", { class: "credit-count" }, t("booking.credits_left", { count: b.balance })),
    b.held ? h("span", { class: "hint" }, " ", t("booking.credits_held", { count: b.held })) : null)));
}

export async function bookingPage(ctx) {
  const types = (await get("/api/session-types")).items;
  const state = { type: types[0]?.id || null, from: isoDay(0), chosen: null };
  const creditsBox = h("div", { class: "credits-box" });
  const upcomingBox = h("div", { class: "upcoming-box" });
  const slotsBox = h("div", { class: "slots-box", "aria-live": "polite" });
  const confirmBox = h("div", { class: "book-confirm", hidden: true });
  const history = foldedLedger(ctx.user.id, t("booking.credit_history"));  // every grant, hold, return, use

  async function loadCredits() {
    creditsBox.replaceChildren(creditList((await get("/api/credits")).balances));
    await history.refresh();
  }

  async function loadUpcoming() {
    const page = await get("/api/appointments", { from: isoDay(0), status: "booked", limit: 50 });
    const now = Date.now();
    const items = page.items.filter((a) => new Date(a.ends_at).getTime() > now);
    upcomingBox.replaceChildren(items.length ? h("ul", { class: "appointments plain" }, items.map(upcoming))
      : empty(t("booking.nothing_booked")));
  }

  function upcoming(a) {
    const cancel = h("button", { type: "button", class: "small quiet", "aria-label": t("booking.cancel_label", {
      type: a.type_name, day: dayOf(a.starts_at), time: timeOf(a.starts_at) }), onclick: () => askCancel() },
    t("booking.cancel"));
    const row = h("li", { class: "appointment", dataset: { appointment: a.id } },
      h("span", { class: "appt-when" }, `${dayOf(a.starts_at)} ${timeOf(a.starts_at)}`),
      h("span", { class: "appt-what" }, a.trainer_name ? t("booking.type_with_trainer", { type: a.type_name,
        trainer: a.trainer_name }) : a.type_name),
      h("div", { class: "actions tight" }, cancel));
    // Two steps rather than window.confirm: the second button says what happens to the credit.
    function askCancel() {
      const yes = h("button", { type: "button", class: "small danger", onclick: async () => {
        try {
          const done = await post(`/api/appointments/${a.id}/cancel`, {});
          toast(done.late_cancel ? t("booking.cancelled_late") : t("booking.cancelled"));
        } catch (error) {
          toast(error.message, "error");
        }
        await Promise.all([loadUpcoming(), loadCredits(), loadSlots()]);
      } }, t("booking.cancel_yes"));
      const no = h("button", { type: "button", class: "small", onclick: () => { row.replaceWith(upcoming(a)); } },
        t("booking.cancel_keep"));
      row.querySelector(".actions").replaceChildren(yes, no);
      yes.focus();
    }
    return row;
  }

  async function loadSlots() {
    confirmBox.hidden = true;
    if (!state.type) { slotsBox.replaceChildren(empty(t("booking.no_types"))); return; }
    const answer = await get("/api/slots", { type: state.type, from: state.from,
      to: addDays(state.from, DAYS_SHOWN - 1) });
    const byDay = new Map();
    for (const slot of answer.items) {
      const day = dayOf(slot.starts_at);
      if (!byDay.has(day)) byDay.set(day, []);
      byDay.get(day).push(slot);
    }
    slotsBox.replaceChildren(byDay.size ? h("div", { class: "slot-days" }, [...byDay].map(([day, slots]) =>
      h("section", { class: "slot-day", "aria-label": day }, h("h3", {}, day),
        h("div", { class: "slots" }, slots.map((slot) => h("button", { type: "button", class: "slot",
          dataset: { start: slot.starts_at }, "aria-label": slot.capacity > 1 ? t("booking.slot_places_label", {
            day, time: timeOf(slot.starts_at), available: slot.available, capacity: slot.capacity })
            : `${day} ${timeOf(slot.starts_at)}`, onclick: () => choose(slot) },
        timeOf(slot.starts_at), slot.capacity > 1 ? h("span", { class: "slot-left" },
          t("booking.places_left", { count: slot.available })) : null))))))
      : empty(t("booking.no_slots")));
  }

  function choose(slot) {
    state.chosen = slot;
    for (const button of slotsBox.querySelectorAll("button.slot")) {
      button.setAttribute("aria-pressed", String(button.dataset.start === slot.starts_at));
    }
    const kind = types.find((type) => type.id === state.type);
    const what = { type: kind.name, day: dayOf(slot.starts_at), time: timeOf(slot.starts_at) };
    const book = h("button", { type: "button", class: "primary", onclick: async () => {
      book.disabled = true;
      try {
        await post("/api/appointments", { type_id: state.type, starts_at: slot.starts_at });
        toast(t("booking.booked_toast", what));
        await Promise.all([loadUpcoming(), loadCredits(), loadSlots()]);
        upcomingBox.querySelector(".appointment")?.scrollIntoView({ block: "nearest" });
      } catch (error) {
        book.disabled = false;
        alertBox.textContent = error.status === 402 ? t("booking.no_credit_error") : error.message;
        alertBox.hidden = false;
        if (error.status === 409) await loadSlots();
      }
    } }, t("booking.book_it"));
    const alertBox = h("p", { class: "form-alert", role: "alert", hidden: true });
    confirmBox.replaceChildren(h("p", {}, t(kind.uses_credit ? "booking.confirm_credit" : "booking.confirm", what)),
      alertBox, h("div", { class: "actions" }, book,
      h("button", { type: "button", class: "quiet", onclick: () => { confirmBox.hidden = true; } },
        t("booking.not_now"))));
    confirmBox.hidden = false;
    book.focus();
  }

  const typeField = field(t("booking.session"), "type", {
    choices: types.map((type) => [type.id, t("booking.type_minutes", { name: type.name,
      minutes: type.duration_minutes })]),
    value: state.type });
  typeField.querySelector("select").addEventListener("change", (event) => {
    state.type = Number(event.target.value);
    loadSlots();
  });
  const week = (n) => h("button", { type: "button", class: "small", onclick: () => {
    const next = addDays(state.from, n * DAYS_SHOWN);
    state.from = next < isoDay(0) ? isoDay(0) : next;
    loadSlots();
  } }, n < 0 ? t("booking.earlier") : t("booking.later"));

  await Promise.all([loadCredits(), loadUpcoming(), loadSlots()]);
  return h("div", { class: "booking" },
    h("h1", {}, t("booking.title")),
    section(t("booking.credits_title"), creditsBox, history.node),
    section(t("booking.upcoming_title"), upcomingBox),
    section(t("booking.free_title"), types.length ? typeField : null, h("div", { class: "actions" }, week(-1), week(1)),
      slotsBox, confirmBox));
}
