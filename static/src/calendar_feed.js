// The calendar feed: a private link a phone's calendar subscribes to (GET /api/calendar.ics?token=...). The server
// keeps only the token's hash, so the link is shown once, when it is made; making a new one (rotating) stops the old
// one, and turning it off stops it for good.
import { del, get, post } from "./api.js";
import { fmtTime, h, section, toast } from "./dom.js";
import { t } from "./i18n.js";

export function feedSection() {
  const box = h("div", { class: "feed", "aria-live": "polite" });
  const fail = (error) => toast(error.message || String(error), "error");
  const make = async () => {
    try {
      const made = await post("/api/calendar/feed");
      paint(made, made);
      box.querySelector("#feed-url")?.select();
      box.querySelector("#feed-url")?.focus();
    } catch (error) { fail(error); }
  };
  const revoke = async () => {
    try {
      await del("/api/calendar/feed");
      paint({ active: false }, null);
      toast(t("calendar_feed.revoked"));
      box.querySelector("button")?.focus();
    } catch (error) { fail(error); }
  };
  function paint(state, made) {
    const buttons = state.active ? [
      h("button", { type: "button", class: "rotate", onclick: make }, t("calendar_feed.rotate")),
      h("button", { type: "button", class: "danger", onclick: revoke }, t("calendar_feed.revoke"))]
      : [h("button", { type: "button", class: "primary", onclick: make }, t("calendar_feed.make"))];
    if (made) {
      const url = h("input", { type: "text", id: "feed-url", class: "copy-box mono", readonly: true, value: made.url });
      const copy = h("button", { type: "button", onclick: async () => {
        try { await navigator.clipboard.writeText(made.url); toast(t("calendar_feed.copied")); } catch {
          url.select();
          toast(t("calendar_feed.copy_by_hand"));
        }
      } }, t("calendar_feed.copy"));
      box.replaceChildren(
        h("label", { for: "feed-url" }, t("calendar_feed.url_label")),
        h("div", { class: "copy-row" }, url, copy),
        h("p", { class: "small" }, h("a", { href: made.webcal_url, "data-native": "" }, t("calendar_feed.open_app")),
          " · ", t("calendar_feed.shown_once")),
        h("div", { class: "actions" }, buttons));
      return;
    }
    box.replaceChildren(h("p", {}, state.active ? t("calendar_feed.made_on", { when: fmtTime(state.created_at) })
      : t("calendar_feed.none")), h("div", { class: "actions" }, buttons));
  }
  get("/api/calendar/feed").then((state) => paint(state, null)).catch(fail);
  return section(t("calendar_feed.title"), h("p", { class: "small muted" }, t("calendar_feed.lead")), box);
}
