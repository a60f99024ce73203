// The notification history: every notification, read or not (the bell shows only the unread), newest first, a page
// at a time from the server (GET /api/notifications; `unread=true` for the unread only), with mark-as-read.
import { post } from "./api.js";
import { describe } from "./bell.js";
import { h, field, section, fmtTime, toast } from "./dom.js";
import { t } from "./i18n.js";
import { onLive } from "./live.js";
import { pagedList } from "./views.js";

function item(n) {
  const state = h("span", { class: n.read_at ? "pill approved" : "pill pending" },
    n.read_at ? t("notifications.read") : t("notifications.new"));
  const node = h("li", { class: n.read_at ? "note-row read" : "note-row unread", dataset: { notification: n.id } },
    h("div", {}, h("strong", {}, describe(n)), " ", state, h("div", { class: "small muted" }, fmtTime(n.created_at))));
  if (!n.read_at) {
    const mark = h("button", { type: "button", class: "small",
      "aria-label": t("notifications.mark_read_label", { what: describe(n) }) }, t("notifications.mark_read"));
    mark.addEventListener("click", async () => {
      try {
        await post(`/api/notifications/${n.id}/read`);
      } catch (error) {
        toast(error.message, "error");
        return;
      }
      mark.remove();
      node.classList.replace("unread", "read");
      state.className = "pill approved";
      state.textContent = t("notifications.read");
    });
    node.append(mark);
  }
  return node;
}

export async function notificationsPage(ctx) {
  const holder = h("div");
  const show = field(t("notifications.show"), "show", { choices: [["all", t("notifications.show_all")],
    ["unread", t("notifications.show_unread")]],
    value: ctx.query?.get("show") === "unread" ? "unread" : "all" });
  const select = show.querySelector("select");
  async function load() {
    const query = select.value === "unread" ? { unread: "true" } : {};
    holder.replaceChildren(await pagedList("/api/notifications", query, (items) => items.map(item),
      { className: "entries notifications", pageSize: 25, emptyText: t("notifications.none"),
        label: t("notifications.items_label") }));
  }
  select.addEventListener("change", () => load().catch((error) => toast(error.message, "error")));
  const readAll = h("button", { type: "button", class: "small" }, t("notifications.mark_all_read"));
  readAll.addEventListener("click", async () => {
    await post("/api/notifications/read-all");
    toast(t("notifications.all_read"));
    await load();
  });
  // A new notification arriving live goes on top (the bell shows it too).
  const stop = onLive("notification.created", (message) => {
    const n = message.data?.id ? message.data : null;
    const list = holder.querySelector("ul.notifications");
    if (n && list && !list.querySelector(`[data-notification="${n.id}"]`)) list.prepend(item(n));
    else if (n && !list) load().catch(() => {});
  });
  ctx.onLeave?.(stop);
  await load();
  return h("div", {}, h("div", { class: "page-head" }, h("h1", {}, t("notifications.title")), readAll),
    section(t("notifications.history"), h("div", { class: "row" }, show), holder));
}
