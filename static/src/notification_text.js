// A notification's sentence in the user's language, built from its `type` and `data` (the fields
// elior/notifications/inbox.py keeps for that). The server also stores the sentence in English as `data.message` for
// scripts and mails; in English this module says exactly that, except that dates are shown in the user's locale
// (fmtDate for a day, fmtTime for a moment) where the server writes ISO dates or its studio's wall clock.
import { fmtDate, fmtTime } from "./dom.js";
import { t } from "./i18n.js";

/** What the notification is about: its title or meal, else the default name of its kind (`key`). */
const about = (d, key) => d.title || d.meal_name || t(key);
/** A session's kind, else the default name `key`. */
const session = (d, key) => d.type_name || t(key);
/** When a session starts: `starts_at` in the user's locale and zone; the server's English `when` only without it. */
const when = (d) => (d.starts_at ? fmtTime(d.starts_at) : d.when || "");
/** A meal review's verdict -> [sentence naming the meal, sentence without it]; no status is a plain review. */
const REVIEWED = {
  approved: ["notification_text.meal_reviewed_approved", "notification_text.meal_reviewed_approved_unnamed"],
  rejected: ["notification_text.meal_reviewed_rejected", "notification_text.meal_reviewed_rejected_unnamed"],
  "": ["notification_text.meal_reviewed", "notification_text.meal_reviewed_unnamed"],
};
/** `map[key]` if `map` has it as its own (never an Object prototype's member). */
const own = (map, key) => (Object.hasOwn(map, key ?? "") ? map[key ?? ""] : null);
const MARKED = { attended: "notification_text.appointment_attended", no_show: "notification_text.appointment_no_show" };

// Event type -> the sentence, one per rule of RULES (elior/notifications/inbox.py), with the same variants.
const SENTENCES = {
  "workout.created": (d) => (d.scheduled_for
    ? t("notification_text.workout_created_on", { title: about(d, "notification_text.a_workout"),
      date: fmtDate(d.scheduled_for) })
    : t("notification_text.workout_created", { title: about(d, "notification_text.a_workout") })),
  "workout.updated": (d) => t("notification_text.workout_updated", { title: about(d, "notification_text.a_workout") }),
  "meal_entry.reviewed": (d) => {
    const keys = own(REVIEWED, d.status || "");
    if (!keys) return null; // a verdict this list does not know: the server's sentence says it
    return d.meal_name ? t(keys[0], { meal: d.meal_name }) : t(keys[1]);
  },
  "workout.completed": (d) => t("notification_text.workout_completed", { client: d.client_name,
    title: about(d, "notification_text.a_workout") }),
  "meal_entry.created": (d) => t("notification_text.meal_created", { client: d.client_name,
    title: about(d, "notification_text.a_meal") }),
  "progress.created": (d) => (d.date
    ? t("notification_text.progress_created_for", { client: d.client_name, date: fmtDate(d.date) })
    : t("notification_text.progress_created", { client: d.client_name })),
  "program.assigned": (d) => (d.start_date
    ? t("notification_text.program_assigned_from", { title: about(d, "notification_text.a_program"),
      date: fmtDate(d.start_date) })
    : t("notification_text.program_assigned", { title: about(d, "notification_text.a_program") })),
  "message.created": (d) => (d.sender_name
    ? t("notification_text.message_created", { name: d.sender_name })
    : t("notification_text.message_created_unnamed")),
  "comment.created": (d) => (d.author_name
    ? t("notification_text.comment_created", { author: d.author_name, title: about(d, "notification_text.a_workout") })
    : t("notification_text.comment_created_unnamed", { title: about(d, "notification_text.a_workout") })),
  "check_in.due": (d) => t("notification_text.check_in_due", { title: about(d, "notification_text.your_check_in") }),
  "check_in.submitted": (d) => t("notification_text.check_in_submitted", { client: d.client_name,
    title: about(d, "notification_text.a_check_in") }),
  "check_in.replied": (d) => t("notification_text.check_in_replied", { title: about(d, "notification_text.check_in") }),
  "habit.assigned": (d) => t("notification_text.habit_assigned", { title: about(d, "notification_text.a_habit") }),
  // Booked by the client (a trainer is told who booked); booked by staff, the client is told without a name.
  "appointment.booked": (d) => {
    const params = { type: session(d, "notification_text.a_session_start"), when: when(d), client: d.client_name };
    const byClient = d.created_by != null && d.created_by === d.client_id;
    return t(byClient ? "notification_text.appointment_booked_by_client" : "notification_text.appointment_booked",
      params);
  },
  "appointment.cancelled": (d) => t(d.late_cancel ? "notification_text.appointment_cancelled_late"
    : "notification_text.appointment_cancelled", { type: session(d, "notification_text.a_session"), when: when(d) }),
  "appointment.updated": (d) => t(own(MARKED, d.status) || "notification_text.appointment_moved",
    { type: session(d, "notification_text.a_session_start"), when: when(d) }),
  "appointment.reminder": (d) => t("notification_text.appointment_reminder",
    { type: session(d, "notification_text.your_session"), when: when(d) }),
};

/** The sentence of `notification` ({type, data}) in the current language; for a type without a sentence here, the
 * server's English `data.message`; "" when there is neither (the caller shows its generic text). */
export function notificationText(notification) {
  const data = notification?.data || {};
  const sentence = own(SENTENCES, notification?.type)?.(data);
  return sentence || data.message || "";
}
