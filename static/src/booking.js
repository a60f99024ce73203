// The client's bookings (issue 19), made for a phone: their credits, a week of free slots of one session type with
// their trainer, the sessions coming up (cancel one). Times are shown in the phone's own zone; the API keeps UTC.
import { get, post } from "./api.js";
import { addDays } from "./days.js";
import { empty, field, h, isoDay, section, toast } from "./dom.js";

const DAYS_SHOWN = 7;

export const timeOf = (iso) => new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
export const dayOf = (iso) => new Date(iso).toLocaleDateString(undefined, { weekday: "short", day: "numeric",
  month: "short" });
export const STATUS = { booked: "Booked", cancelled: "Cancelled", attended: "Attended", no_show: "No-show" };

/** "Personal training: 4 left" for each type the client holds credits of, or a word that there are none. */
export function creditList(balances) {
  if (!balances.length) return empty("No credits yet: your trainer records a package for you.");
  return h("ul", { class: "credits plain" }, balances.map((b) => h("li", { class: "credit",
    dataset: { type: b.type_id } },
    h("span", { class: "credit-name" }, b.type_name),
    h("span", { class: "credit-count" }, `${b.balance} left`),
    b.held ? h("span", { class: "hint" }, ` (${b.held} held by booked sessions)`) : null)));
}

export async function bookingPage() {
  const types = (await get("/api/session-types")).items;
  const state = { type: types[0]?.id || null, from: isoDay(0), chosen: null };
  const creditsBox = h("div", { class: "credits-box" });
  const upcomingBox = h("div", { class: "upcoming-box" });
  const slotsBox = h("div", { class: "slots-box", "aria-live": "polite" });
  const confirmBox = h("div", { class: "book-confirm", hidden: true });

  async function loadCredits() {
    creditsBox.replaceChildren(creditList((await get("/api/credits")).balances));
  }

  async function loadUpcoming() {
    const page = await get("/api/appointments", { from: isoDay(0), status: "booked", limit: 50 });
    const now = Date.now();
    const items = page.items.filter((a) => new Date(a.ends_at).getTime() > now);
    upcomingBox.replaceChildren(items.length ? h("ul", { class: "appointments plain" }, items.map(upcoming))
      : empty("Nothing booked yet."));
  }

  function upcoming(a) {
    const cancel = h("button", { type: "button", class: "small quiet", "aria-label": `Cancel ${a.type_name} on ${
      dayOf(a.starts_at)} at ${timeOf(a.starts_at)}`, onclick: () => askCancel() }, "Cancel");
    const row = h("li", { class: "appointment", dataset: { appointment: a.id } },
      h("span", { class: "appt-when" }, `${dayOf(a.starts_at)} ${timeOf(a.starts_at)}`),
      h("span", { class: "appt-what" }, `${a.type_name}${a.trainer_name ? ` with ${a.trainer_name}` : ""}`),
      h("div", { class: "actions tight" }, cancel));
    // Two steps rather than window.confirm: the second button says what happens to the credit.
    function askCancel() {
      const yes = h("button", { type: "button", class: "small danger", onclick: async () => {
        try {
          const done = await post(`/api/appointments/${a.id}/cancel`, {});
          toast(done.late_cancel ? "Cancelled inside the cut-off: the credit is spent."
            : "Cancelled: the credit is back.");
        } catch (error) {
          toast(error.message, "error");
        }
        await Promise.all([loadUpcoming(), loadCredits(), loadSlots()]);
      } }, "Yes, cancel it");
      const no = h("button", { type: "button", class: "small", onclick: () => { row.replaceWith(upcoming(a)); } },
        "Keep it");
      row.querySelector(".actions").replaceChildren(yes, no);
      yes.focus();
    }
    return row;
  }

  async function loadSlots() {
    confirmBox.hidden = true;
    if (!state.type) { slotsBox.replaceChildren(empty("The studio offers no sessions to book yet.")); return; }
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
          dataset: { start: slot.starts_at }, "aria-label": `${day} ${timeOf(slot.starts_at)}${slot.capacity > 1
            ? `, ${slot.available} of ${slot.capacity} places` : ""}`, onclick: () => choose(slot) },
        timeOf(slot.starts_at), slot.capacity > 1 ? h("span", { class: "slot-left" }, `${slot.available} left`)
          : null))))))
      : empty("No free times in these days: try the next week."));
  }

  function choose(slot) {
    state.chosen = slot;
    for (const button of slotsBox.querySelectorAll("button.slot")) {
      button.setAttribute("aria-pressed", String(button.dataset.start === slot.starts_at));
    }
    const kind = types.find((t) => t.id === state.type);
    const book = h("button", { type: "button", class: "primary", onclick: async () => {
      book.disabled = true;
      try {
        await post("/api/appointments", { type_id: state.type, starts_at: slot.starts_at });
        toast(`Booked: ${kind.name}, ${dayOf(slot.starts_at)} at ${timeOf(slot.starts_at)}.`);
        await Promise.all([loadUpcoming(), loadCredits(), loadSlots()]);
        upcomingBox.querySelector(".appointment")?.scrollIntoView({ block: "nearest" });
      } catch (error) {
        book.disabled = false;
        alertBox.textContent = error.status === 402 ? "You have no credit for this session: ask your trainer for "
          + "a package." : error.message;
        alertBox.hidden = false;
        if (error.status === 409) await loadSlots();
      }
    } }, "Book it");
    const alertBox = h("p", { class: "form-alert", role: "alert", hidden: true });
    confirmBox.replaceChildren(h("p", {}, `${kind.name}: ${dayOf(slot.starts_at)} at ${timeOf(slot.starts_at)}`,
      kind.uses_credit ? " (uses one credit)" : ""), alertBox, h("div", { class: "actions" }, book,
      h("button", { type: "button", class: "quiet", onclick: () => { confirmBox.hidden = true; } }, "Not now")));
    confirmBox.hidden = false;
    book.focus();
  }

  const typeField = field("Session", "type", {
    choices: types.map((t) => [t.id, `${t.name} (${t.duration_minutes} min)`]),
    value: state.type });
  typeField.querySelector("select").addEventListener("change", (event) => {
    state.type = Number(event.target.value);
    loadSlots();
  });
  const week = (n) => h("button", { type: "button", class: "small", onclick: () => {
    const next = addDays(state.from, n * DAYS_SHOWN);
    state.from = next < isoDay(0) ? isoDay(0) : next;
    loadSlots();
  } }, n < 0 ? "‹ Earlier" : "Later ›");

  await Promise.all([loadCredits(), loadUpcoming(), loadSlots()]);
  return h("div", { class: "booking" },
    h("h1", {}, "Book a session"),
    section("Your credits", creditsBox),
    section("Coming up", upcomingBox),
    section("Free times", types.length ? typeField : null, h("div", { class: "actions" }, week(-1), week(1)),
      slotsBox, confirmBox));
}
