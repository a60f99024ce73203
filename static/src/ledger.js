// A client's session credits move by move (GET /api/credits/ledger, newest first): each package granted, each
// booking's hold, the credit an early cancel gives back or a session uses up, what was left of a package past its
// date. The client reads it folded on the Book page (booking.js), the trainer on the client's page (trainer.js).
import { all, get } from "./api.js";
import { fmtDate, fmtNum, fmtTime, h, toast } from "./dom.js";
import { t } from "./i18n.js";
import { pagedList } from "./views.js";

// What each kind of move means, as people read it (elior/bookings/ledger.py says when each is written).
const KINDS = { grant: "ledger.kind_grant", hold: "ledger.kind_hold", release: "ledger.kind_release",
  spend: "ledger.kind_spend", expire: "ledger.kind_expire" };

/** "+5", "−1", "0": a change of the balance with its sign (a true minus sign, as printed figures have). */
const signed = (delta) => `${delta > 0 ? "+" : delta < 0 ? "\u2212" : ""}${fmtNum(Math.abs(delta), 0)}`;

// Spaces and dots between a row's parts, so that it reads right unstyled; the stylesheet lays the parts out with
// gaps and hides these.
const sep = (text) => h("span", { class: "sep" }, text);

/** The ledger of client `clientId`, a page at a time; each move with what it refers to: the session it holds,
 * returns or uses (its type and start), or the package it adds or writes off (its type and payment note). */
export function creditLedger(clientId) {
  const query = { client_id: clientId };
  // Read once per panel, and only when a page needs them: the moves name their package and appointment by id.
  let packages = null;
  const packageOf = async (id) => {
    packages ??= all("/api/packages", query).then((items) => new Map(items.map((p) => [p.id, p])));
    return (await packages).get(id) || null;
  };
  const sessions = new Map();
  const sessionOf = (id) => {
    if (!sessions.has(id)) sessions.set(id, get(`/api/appointments/${id}`));
    return sessions.get(id);
  };
  async function about(move) {
    if (move.appointment_id) {
      const session = await sessionOf(move.appointment_id);
      return t("ledger.about_session", { type: session.type_name, when: fmtTime(session.starts_at) });
    }
    const bought = await packageOf(move.package_id);
    if (!bought) return "";
    return bought.note ? t("ledger.about_package_note", { type: bought.type_name, note: bought.note })
      : t("ledger.about_package", { type: bought.type_name });
  }
  return pagedList("/api/credits/ledger", query, async (moves) => {
    const abouts = await Promise.all(moves.map(about));
    // Two lines that read as sentences even unstyled: what happened, the change and the balance after it; then
    // when, and what it was about.
    return moves.map((move, i) => h("li", { class: `ledger-move ${move.kind}`,
      dataset: { move: move.id, kind: move.kind } },
    h("div", { class: "move-head" },
      h("span", { class: "move-what" }, KINDS[move.kind] ? t(KINDS[move.kind]) : move.kind), sep(" "),
      // Left to right in Hebrew too: the sign stays before its figure.
      h("span", { class: "move-delta", dir: "ltr" }, signed(move.delta)), sep(" · "),
      h("span", { class: "move-balance" }, t("ledger.balance_after", { balance: move.balance_after }))),
    h("div", { class: "move-meta small muted" }, h("span", { class: "move-when" }, fmtDate(move.created_at)),
      abouts[i] ? [sep(" · "), h("span", { class: "move-about" }, abouts[i])] : null)));
  }, { className: "ledger plain", emptyText: t("ledger.none"), label: t("ledger.label") });
}

/** The ledger folded under `summary` in a <details>, read when first opened (most visits never open it);
 * `refresh()` reads it again once it was (after a booking or a cancel changed it). */
export function foldedLedger(clientId, summary) {
  const box = h("div", { class: "ledger-box" });
  const node = h("details", { class: "credit-history" }, h("summary", {}, summary), box);
  let read = false;
  const load = () => creditLedger(clientId).then((panel) => { box.replaceChildren(panel); })
    .catch((error) => toast(error.message, "error"));
  node.addEventListener("toggle", () => {
    if (node.open && !read) {
      read = true;
      load();
    }
  });
  return { node, refresh: () => (read ? load() : Promise.resolve()) };
}
