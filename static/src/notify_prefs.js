// Notification settings on the Security page (static/src/security.js), in two sections. In the app: the kinds of
// notification the user muted (elior/conversations/mutes.py), which are then not stored at all, so neither in the
// bell nor mailed. By e-mail (issue 17): per kind of notification, mail it immediately, in a daily digest, or never
// (the default); says so when the studio sends no mail.
import { currentUser, request } from "./api.js";
import { h, field, formAlert, onSubmit, section, toast } from "./dom.js";
import { t } from "./i18n.js";

// Keys, not texts: the catalogue is loaded after this module is evaluated.
const CHOICES = [["never", "notify_prefs.never"], ["immediately", "notify_prefs.immediately"],
  ["daily", "notify_prefs.daily"]];
// What each kind is, for people (a kind the server adds later shows under its own name).
const LABELS = {
  "workout.created": "notify_prefs.kind_workout_created", "workout.updated": "notify_prefs.kind_workout_updated",
  "workout.completed": "notify_prefs.kind_workout_completed",
  "meal_entry.created": "notify_prefs.kind_meal_entry_created",
  "meal_entry.reviewed": "notify_prefs.kind_meal_entry_reviewed",
  "progress.created": "notify_prefs.kind_progress_created", "program.assigned": "notify_prefs.kind_program_assigned",
  "message.created": "notify_prefs.kind_message_created", "comment.created": "notify_prefs.kind_comment_created",
  "check_in.due": "notify_prefs.kind_check_in_due", "check_in.submitted": "notify_prefs.kind_check_in_submitted",
  "check_in.replied": "notify_prefs.kind_check_in_replied", "habit.assigned": "notify_prefs.kind_habit_assigned",
  "appointment.booked": "notify_prefs.kind_appointment_booked",
  "appointment.cancelled": "notify_prefs.kind_appointment_cancelled",
  "appointment.updated": "notify_prefs.kind_appointment_updated",
  "appointment.reminder": "notify_prefs.kind_appointment_reminder",
};

// Who is told of what (elior/notifications/inbox.py RULES): a client never gets the trainer's kinds, nor a trainer the
// client's, so each sees only the choices that can matter to them (the API takes every kind from anyone).
const FOR_TRAINERS = new Set(["workout.completed", "meal_entry.created", "progress.created", "check_in.submitted"]);
const FOR_CLIENTS = new Set(["workout.created", "workout.updated", "meal_entry.reviewed", "program.assigned",
  "check_in.due", "check_in.replied", "habit.assigned", "appointment.reminder"]);
const relevant = (kind, role) => (role === "client" ? !FOR_TRAINERS.has(kind)
  : role === "trainer" ? !FOR_CLIENTS.has(kind) : true);

// In the app: the server's kinds (the part of an event type before the dot) as people read them; a kind the server adds
// later shows under its own name.
const MUTE_LABELS = {
  message: "notify_prefs.mute_message", comment: "notify_prefs.mute_comment", check_in: "notify_prefs.mute_check_in",
  habit: "notify_prefs.mute_habit", workout: "notify_prefs.mute_workout", meal_entry: "notify_prefs.mute_meal_entry",
  progress: "notify_prefs.mute_progress", program: "notify_prefs.mute_program",
};
// Kinds that never reach a role (inbox.py RULES): not offered to it, but left muted if they were.
const MUTE_HIDDEN = { client: ["progress"], trainer: ["habit", "program"] };

async function mutesSection() {
  const state = await request("GET", "/api/notifications/settings");
  const hidden = new Set(MUTE_HIDDEN[currentUser()?.role] || []);
  const boxes = state.kinds.filter((kind) => !hidden.has(kind)).map((kind) =>
    h("input", { type: "checkbox", name: kind, checked: state.muted.includes(kind) }));
  const form = h("form", { novalidate: true, "aria-label": t("notify_prefs.mute_title"), class: "notify-mutes" },
    formAlert(),
    h("fieldset", {}, h("legend", {}, t("notify_prefs.mute_legend")),
      boxes.map((box) => h("label", { class: "check" }, box,
        h("span", {}, MUTE_LABELS[box.name] ? t(MUTE_LABELS[box.name]) : box.name)))),
    h("button", { type: "submit", class: "primary" }, t("notify_prefs.mute_save")));
  onSubmit(form, async (v) => {
    // The PUT replaces the whole list: the kinds not offered here go back as they were.
    const muted = [...state.muted.filter((kind) => hidden.has(kind)),
      ...boxes.filter((box) => v[box.name]).map((box) => box.name)];
    state.muted = (await request("PUT", "/api/notifications/settings", { body: { muted } })).muted;
    for (const box of boxes) box.checked = state.muted.includes(box.name);
    toast(t("notify_prefs.mute_saved"));
  });
  return section(t("notify_prefs.mute_title"), h("p", { class: "small" }, t("notify_prefs.mute_help")), form);
}

/** Both sections, in the app then by e-mail, as one fragment (security.js places it as one child of its page). */
export async function notifyPrefsSection() {
  const fragment = document.createDocumentFragment();
  fragment.append(...await Promise.all([mutesSection(), mailSection()]));
  return fragment;
}

async function mailSection() {
  const box = section(t("notify_prefs.title"));
  const state = await request("GET", "/api/notification-preferences");
  const role = currentUser()?.role;
  const shown = Object.entries(state.preferences).filter(([kind]) => relevant(kind, role));
  const form = h("form", { novalidate: true, "aria-label": t("notify_prefs.title"), class: "notify-prefs" },
    formAlert(),
    shown.map(([kind, delivery]) =>
      field(LABELS[kind] ? t(LABELS[kind]) : kind, kind, {
        choices: CHOICES.map(([value, key]) => [value, t(key)]), value: delivery })),
    h("button", { type: "submit", class: "primary" }, t("notify_prefs.save")));
  onSubmit(form, async (v) => {
    const body = {};
    for (const [kind] of shown) if (v[kind]) body[kind] = v[kind];
    await request("PUT", "/api/notification-preferences", { body });
    toast(t("notify_prefs.saved"));
  });
  box.append(
    state.mail_enabled ? h("p", { class: "small" }, t("notify_prefs.intro"))
      : h("p", { class: "notice mail-off" }, t("notify_prefs.mail_off")),
    form);
  return box;
}
