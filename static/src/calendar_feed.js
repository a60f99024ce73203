// The calendar feed: a private link a phone's calendar subscribes to (GET /api/calendar.ics?token=...). The server
// keeps only the token's hash, so the link is shown once, when it is made; making a new one (rotating) stops the old
// one, and turning it off stops it for good.
import { del, get, post } from "./api.js";
import { fmtTime, h, section, toast } from "./dom.js";

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
      toast("The calendar link is off: calendars subscribed to it stop updating.");
      box.querySelector("button")?.focus();
    } catch (error) { fail(error); }
  };
  function paint(state, made) {
    const buttons = state.active ? [
      h("button", { type: "button", class: "rotate", onclick: make }, "Make a new link"),
      h("button", { type: "button", class: "danger", onclick: revoke }, "Turn the link off")]
      : [h("button", { type: "button", class: "primary", onclick: make }, "Make a calendar link")];
    if (made) {
      const url = h("input", { type: "text", id: "feed-url", class: "copy-box mono", readonly: true, value: made.url });
      const copy = h("button", { type: "button", onclick: async () => {
        try { await navigator.clipboard.writeText(made.url); toast("Link copied."); } catch {
          url.select();
          toast("Press Ctrl+C (or ⌘C) to copy the selected link.");
        }
      } }, "Copy link");
      box.replaceChildren(
        h("label", { for: "feed-url" }, "Your calendar link: keep it private, anyone holding it sees these workouts"),
        h("div", { class: "copy-row" }, url, copy),
        h("p", { class: "small" }, h("a", { href: made.webcal_url, "data-native": "" }, "Open in a calendar app"),
          " · shown only now: copy it before leaving this page."),
        h("div", { class: "actions" }, buttons));
      return;
    }
    box.replaceChildren(h("p", {}, state.active
      ? `You made a calendar link on ${fmtTime(state.created_at)}. It is shown only when made: make a new one to `
        + "see it again (the old one then stops working)."
      : "No calendar link yet."), h("div", { class: "actions" }, buttons));
  }
  get("/api/calendar/feed").then((state) => paint(state, null)).catch(fail);
  return section("Subscribe from your phone",
    h("p", { class: "small muted" }, "Add these workouts to the calendar app of your phone: it fetches the link "
      + "again by itself, so moved and new workouts show up there too."), box);
}
