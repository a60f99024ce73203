// E-mail notification preferences (issue 17): per kind of notification, mail it immediately, in a daily digest, or
// never (the default). Shown on the Security page (static/src/security.js). Says so when the studio sends no mail.
import { currentUser, request } from "./api.js";
import { h, field, formAlert, onSubmit, section, toast } from "./dom.js";

const CHOICES = [["never", "Never"], ["immediately", "Immediately"], ["daily", "Daily digest"]];
// What each kind is, for people (a kind the server adds later shows under its own name).
const LABELS = {
  "workout.created": "A new workout for me", "workout.updated": "A workout of mine changed",
  "workout.completed": "A client completed a workout", "meal_entry.created": "A client logged a meal",
  "meal_entry.reviewed": "My meal entry was reviewed", "progress.created": "A client logged progress",
  "program.assigned": "A program was assigned to me", "message.created": "A new message",
  "comment.created": "A comment on a workout", "check_in.due": "A check-in is due",
  "check_in.submitted": "A client filled in a check-in", "check_in.replied": "My trainer replied to a check-in",
  "habit.assigned": "A new habit", "appointment.booked": "A session was booked",
  "appointment.cancelled": "A session was cancelled", "appointment.updated": "A session changed",
  "appointment.reminder": "A session reminder",
};

// Who is told of what (elior/notifications/inbox.py RULES): a client never gets the trainer's kinds, nor a trainer the
// client's, so each sees only the choices that can matter to them (the API takes every kind from anyone).
const FOR_TRAINERS = new Set(["workout.completed", "meal_entry.created", "progress.created", "check_in.submitted"]);
const FOR_CLIENTS = new Set(["workout.created", "workout.updated", "meal_entry.reviewed", "program.assigned",
  "check_in.due", "check_in.replied", "habit.assigned", "appointment.reminder"]);
const relevant = (kind, role) => (role === "client" ? !FOR_TRAINERS.has(kind)
  : role === "trainer" ? !FOR_CLIENTS.has(kind) : true);

export async function notifyPrefsSection() {
  const box = section("E-mail notifications");
  const state = await request("GET", "/api/notification-preferences");
  const role = currentUser()?.role;
  const shown = Object.entries(state.preferences).filter(([kind]) => relevant(kind, role));
  const form = h("form", { novalidate: true, "aria-label": "E-mail notifications", class: "notify-prefs" },
    formAlert(),
    shown.map(([kind, delivery]) =>
      field(LABELS[kind] || kind, kind, { choices: CHOICES, value: delivery })),
    h("button", { type: "submit", class: "primary" }, "Save e-mail preferences"));
  onSubmit(form, async (v) => {
    const body = {};
    for (const [kind] of shown) if (v[kind]) body[kind] = v[kind];
    await request("PUT", "/api/notification-preferences", { body });
    toast("E-mail preferences saved.");
  });
  box.append(
    state.mail_enabled ? h("p", { class: "small" }, "Every notification is in the app; choose which also come by " +
      "e-mail. The daily digest comes once a day with what happened since the last one.")
      : h("p", { class: "notice mail-off" }, "This studio does not send e-mail (no mail server is set up), so " +
        "these choices take effect only once it does."),
    form);
  return box;
}
