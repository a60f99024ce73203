// The notifications bell: the unread list from REST, kept current by the live channel.
import { get, post } from "./api.js";
import { h, svg, fmtTime, toast } from "./dom.js";
import { t } from "./i18n.js";
import { onLive } from "./live.js";
import { notificationText } from "./notification_text.js";

const LABELS = {
  "workout.created": "bell.workout_created",
  "workout.updated": "bell.workout_updated",
  "workout.completed": "bell.workout_completed",
  "progress.created": "bell.progress_created",
  "progress.updated": "bell.progress_updated",
  "meal_entry.created": "bell.meal_entry_created",
  "meal_entry.reviewed": "bell.meal_entry_reviewed",
};
// A reviewed meal's verdict, as the note shows it after the meal.
const REVIEWED = { approved: "bell.review_approved", rejected: "bell.review_rejected" };

/** One line for a notification: its sentence in the user's language (./notification_text.js), else a generic line
 * from whatever its data names (all of it shown as text). */
export function describe(notification) {
  const sentence = notificationText(notification);
  if (sentence) return sentence;
  const data = notification.data || {};
  const kind = data.event || data.type || notification.type;
  // An event this list does not know yet shows its own name, made readable ("habit.checked" -> "habit checked").
  const label = LABELS[kind] ? t(LABELS[kind]) : kind ? String(kind).replace(/[._]/g, " ") : t("bell.update");
  const who = data.client_name || data.client?.full_name || "";
  const what = data.title || data.workout?.title || data.meal_name || data.entry?.meal_name || data.summary || "";
  const status = data.status && kind === "meal_entry.reviewed"
    ? (REVIEWED[data.status] ? t(REVIEWED[data.status]) : `(${data.status})`) : "";
  return [label, who && `· ${who}`, what && `· ${what}`, status].filter(Boolean).join(" ");
}

const bellIcon = () => svg("svg", { viewBox: "0 0 24 24", width: 22, height: 22, "aria-hidden": "true",
  class: "bell-icon" }, svg("path", { d: "M12 22a2.5 2.5 0 0 0 2.5-2.5h-5A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.8V3a1.5 "
  + "1.5 0 0 0-3 0v1.2A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z" }));

export function bell() {
  let items = [];
  let open = false;
  const count = h("span", { class: "badge", hidden: true });
  const button = h("button", {
    type: "button", class: "bell", "aria-expanded": "false", "aria-controls": "bell-panel",
  }, bellIcon(), h("span", { class: "sr-only bell-label" }), count);
  const list = h("ul", { class: "bell-list" });
  const readAll = h("button", { type: "button", class: "link-button" }, t("bell.mark_all_read"));
  const panel = h("div", { id: "bell-panel", class: "bell-panel", hidden: true, role: "region",
    "aria-label": t("bell.unread_region") }, h("div", { class: "bell-head" }, h("h2", {}, t("bell.heading")), readAll),
  list);
  const root = h("div", { class: "bell-wrap" }, button, panel);

  function paint() {
    const unread = items.length;
    count.textContent = String(unread);
    count.hidden = unread === 0;
    button.querySelector(".bell-label").textContent = t("bell.button_label", { count: unread });
    root.dataset.unread = String(unread);
    list.replaceChildren(...(unread ? items.map((n) => h("li", {},
      h("button", { type: "button", class: "note", onclick: () => markRead(n) },
        h("span", { class: "note-text" }, describe(n)), h("span", { class: "note-time" }, fmtTime(n.created_at)),
        h("span", { class: "sr-only" }, t("bell.mark_read_suffix")))))
      : [h("li", { class: "empty" }, t("bell.nothing_new"))]));
  }

  async function load() {
    try {
      const page = await get("/api/notifications", { unread: "true", limit: 50 });
      items = page.items || [];
      paint();
    } catch {
      // The bell is secondary: a failure here must not break the page; the next live message retries.
    }
  }

  async function markRead(notification) {
    await post(`/api/notifications/${notification.id}/read`);
    items = items.filter((n) => n.id !== notification.id);
    paint();
  }

  readAll.addEventListener("click", async () => {
    await post("/api/notifications/read-all");
    items = [];
    paint();
  });
  const toggle = (next) => {
    open = next;
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) load();
  };
  button.addEventListener("click", () => toggle(!open));
  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && open) { toggle(false); button.focus(); }
  });
  document.addEventListener("click", (event) => { if (open && !root.contains(event.target)) toggle(false); });

  onLive("notification.created", (message) => {
    const notification = message.data?.id ? message.data : { id: null, ...message };
    if (notification.id !== null && !items.some((n) => n.id === notification.id)) items.unshift(notification);
    else if (notification.id === null) load();
    paint();
    toast(describe(notification));
  });
  paint();
  load();
  return root;
}
