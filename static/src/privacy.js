// A client's privacy on the Account page (issue 18, docs/privacy.md): "Who has seen your data", the access log of
// everyone else who read or changed their records (GET /api/clients/{id}/access-log, newest first), and asking for
// the account to be deleted (POST /api/account/deletion; an admin decides on static/src/deletions.js).
import { post } from "./api.js";
import { confirmButton, fmtTime, h, link, section, toast } from "./dom.js";
import { t } from "./i18n.js";
import { pagedList } from "./views.js";

// What a row says was done, by records and then how (the server's kind is "<records>.<how>", a closed set). Keys,
// not texts: the catalogue is loaded after this module is evaluated.
const KINDS = {
  profile: { read: "privacy.kind_profile_read", change: "privacy.kind_profile_change" },
  workouts: { read: "privacy.kind_workouts_read", change: "privacy.kind_workouts_change" },
  workout_logs: { read: "privacy.kind_workout_logs_read", change: "privacy.kind_workout_logs_change" },
  exercise_history: { read: "privacy.kind_exercise_history_read", change: "privacy.kind_exercise_history_change" },
  programs: { read: "privacy.kind_programs_read", change: "privacy.kind_programs_change" },
  meal_plans: { read: "privacy.kind_meal_plans_read", change: "privacy.kind_meal_plans_change" },
  meal_entries: { read: "privacy.kind_meal_entries_read", change: "privacy.kind_meal_entries_change" },
  progress: { read: "privacy.kind_progress_read", change: "privacy.kind_progress_change" },
  files: { read: "privacy.kind_files_read", change: "privacy.kind_files_change" },
  messages: { read: "privacy.kind_messages_read", change: "privacy.kind_messages_change" },
  check_ins: { read: "privacy.kind_check_ins_read", change: "privacy.kind_check_ins_change" },
  habits: { read: "privacy.kind_habits_read", change: "privacy.kind_habits_change" },
  notifications: { read: "privacy.kind_notifications_read", change: "privacy.kind_notifications_change" },
  appointments: { read: "privacy.kind_appointments_read", change: "privacy.kind_appointments_change" },
  credits: { read: "privacy.kind_credits_read", change: "privacy.kind_credits_change" },
  exports: { read: "privacy.kind_exports_read", change: "privacy.kind_exports_change" },
  access_log: { read: "privacy.kind_access_log_read", change: "privacy.kind_access_log_change" },
};
const ROLES = { trainer: "privacy.role_trainer", admin: "privacy.role_admin", client: "privacy.role_client" };

/** The words for an access-log kind; a kind this page does not know yet is shown as the server wrote it. */
export function kindText(kind) {
  const [records, how] = String(kind).split(".");
  const key = KINDS[records]?.[how];
  return key ? t(key) : kind;
}

/** One access: who (name and role), what they did, when. Stacked blocks, so it reads even unstyled. */
function logRow(entry) {
  const role = ROLES[entry.actor_role] ? t(ROLES[entry.actor_role]) : entry.actor_role;
  return h("li", { class: "access-row", dataset: { kind: entry.kind } },
    h("div", { class: "access-who" }, h("strong", {}, entry.actor_name || t("privacy.deleted_account")),
      " · ", h("span", { class: "muted" }, role)),
    h("div", { class: "access-what" }, kindText(entry.kind)),
    h("div", { class: "small muted" },
      h("time", { class: "access-when", datetime: entry.created_at }, fmtTime(entry.created_at))));
}

async function accessLogSection(me) {
  const list = await pagedList(`/api/clients/${me.id}/access-log`, {}, async (items) => items.map(logRow),
    { className: "access-log", emptyText: t("privacy.log_empty"), label: t("privacy.log_label") });
  return section(t("privacy.log_title"), h("p", { class: "small" }, t("privacy.log_intro")), list);
}

/** The open request, as the POST answered it (the API tells a client no other state of it). */
function requestState(request) {
  return h("div", { class: "deletion-state", role: "status" },
    h("span", { class: "pill pending" }, t("privacy.status_pending")), " ",
    h("span", {}, t("privacy.request_pending", { asked: fmtTime(request.created_at) })));
}

function deletionSection() {
  const state = h("div", { class: "deletion-request" });
  const ask = confirmButton(t("privacy.delete_ask"), t("privacy.delete_confirm"), async () => {
    const request = await post("/api/account/deletion");
    state.replaceChildren(requestState(request));
    ask.hidden = true;  // asking again would only answer the same open request
    toast(t("privacy.request_sent"));
  });
  return section(t("privacy.delete_title"),
    h("p", { class: "small" }, t("privacy.delete_intro")),
    h("p", { class: "small" }, t("privacy.export_first"), " ", link("/progress", t("privacy.export_link"))),
    ask, state);
}

/** The client's privacy sections of the Account page: who has seen their data, and deleting the account. */
export async function privacySections(me) {
  return [await accessLogSection(me), deletionSection()];
}
