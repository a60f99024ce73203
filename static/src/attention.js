// The trainer's home: the attention queue. Every client with their compliance and what needs the trainer, the most
// urgent first, in one request (GET /api/clients/attention): the figures, the reasons and the order are the
// server's, so they are right however many clients and however long their history.
import { get } from "./api.js";
import { empty, fmtDate, fmtNum, h, link } from "./dom.js";
import { t } from "./i18n.js";
import { Channel, onLive } from "./live.js";

const PAGE = 50;
// How loud each reason is: a drop or a waiting review asks for the trainer now, the others for a look.
const LOUD = new Set(["compliance_drop", "review_waiting"]);

/** A reason in words, made here from its code and the item's figures (the server's `detail` is English; it is
 * shown as it is only for a code this page does not know yet). */
function reasonText(item, reason) {
  const idle = item.days_since_last_log;
  const weighed = item.days_since_weigh_in;
  switch (reason.code) {
    case "compliance_drop":
      return item.compliance_7 === null || item.previous_compliance_7 === null ? reason.detail
        : t("attention.reason_compliance_drop", { now: item.compliance_7, before: item.previous_compliance_7 });
    case "inactive":
      return idle === null ? t("attention.reason_never_logged") : t("attention.reason_inactive", { count: idle });
    case "review_waiting": return t("attention.reason_review_waiting", { count: item.pending_reviews });
    case "weigh_in_missing":
      return weighed === null ? t("attention.reason_never_weighed") : t("attention.reason_weigh_in", { count: weighed });
    case "nothing_scheduled": return t("attention.reason_nothing_scheduled");
    default: return reason.detail;
  }
}

function compliance(item) {
  return h("ul", { class: "compliance plain" }, [7, 30, 90].map((n) => {
    const value = item[`compliance_${n}`];
    const bar = h("span", { class: "bar-fill" });
    bar.style.width = `${value ?? 0}%`;  // CSSOM, which the CSP allows (a style attribute it would not)
    if (value !== null && value < 50) bar.classList.add("over");
    return h("li", {}, h("span", { class: "comp-days" }, t("attention.days_short", { days: n })),
      h("span", { class: "bar", role: "presentation" }, bar),
      value === null ? h("span", { class: "comp-value muted" }, t("attention.nothing_due"))
        : h("span", { class: "comp-value" }, t("attention.percent", { value: fmtNum(value, 0) }), " ",
          h("span", { class: "small muted" }, t("attention.done_of_due",
            { done: item[`completed_${n}`], due: item[`due_${n}`] }))));
  }));
}

function lastLog(item) {
  if (item.days_since_last_log === null) return h("span", { class: "muted" }, t("attention.never"));
  const days = item.days_since_last_log;
  return [days === 0 ? t("attention.today") : days === 1 ? t("attention.yesterday")
    : t("attention.days_ago", { count: days }),
    h("div", { class: "small muted" }, fmtDate(item.last_logged_at))];
}

function row(item) {
  return h("tr", { dataset: { client: item.client_id } },
    h("th", { scope: "row" }, link(`/clients/${item.client_id}`, item.client_name)),
    h("td", {}, item.reasons.length ? h("ul", { class: "flags" }, item.reasons.map((r) =>
      h("li", { class: `flag ${LOUD.has(r.code) ? "todo" : "warn"}`, dataset: { reason: r.code } },
        reasonText(item, r))))
      : h("span", { class: "flag new" }, t("attention.all_good"))),
    h("td", {}, compliance(item)),
    h("td", {}, lastLog(item)),
    h("td", {}, item.upcoming_workouts ? t("attention.planned", { count: item.upcoming_workouts })
      : h("span", { class: "muted" }, t("attention.none"))));
}

export async function attentionQueue(ctx) {
  let offset = 0;
  let flaggedOnly = false;
  const body = h("tbody");
  const lead = h("p", { class: "lead", "aria-live": "polite" });
  const pager = h("div", { class: "pager" });
  const only = h("input", { type: "checkbox", id: "attention-only" });
  const table = h("div", { class: "table-wrap" }, h("table", { class: "attention" },
    h("caption", { class: "sr-only" }, t("attention.caption")),
    h("thead", {}, h("tr", {}, [t("attention.col_client"), t("attention.col_attention"), t("attention.col_compliance"),
      t("attention.col_last"), t("attention.col_next")].map((text) => h("th", { scope: "col" }, text)))), body));
  const holder = h("div", {}, table, pager);

  async function load() {
    const active = document.activeElement?.closest?.("[data-client]")?.dataset.client;
    const page = await get("/api/clients/attention", { flagged: flaggedOnly || null, limit: PAGE, offset });
    if (!page.total && !flaggedOnly) {
      lead.textContent = "";
      holder.replaceChildren(empty(t("attention.no_clients")));
      return;
    }
    holder.replaceChildren(table, pager);
    // Whole sentences, plural by the flagged count; a studio of one client has two of its own ("of 1 client").
    const params = { count: page.flagged, total: page.total, as_of: fmtDate(page.as_of) };
    const single = page.flagged ? "attention.lead_single_flagged" : "attention.lead_single_clear";
    lead.textContent = t(flaggedOnly ? "attention.lead_flagged" : page.total === 1 ? single : "attention.lead_all",
      params);
    body.replaceChildren(...page.items.map(row));
    if (!page.items.length) body.replaceChildren(h("tr", {}, h("td", { colspan: 5 }, empty(t("attention.nobody")))));
    const pages = Math.ceil(page.total / PAGE);
    pager.replaceChildren(...(pages > 1 ? [
      h("button", { type: "button", class: "small", disabled: offset === 0,
        onclick: () => { offset -= PAGE; load(); } }, t("attention.previous")),
      h("span", {}, t("attention.page", { page: offset / PAGE + 1, pages })),
      h("button", { type: "button", class: "small", disabled: offset + PAGE >= page.total,
        onclick: () => { offset += PAGE; load(); } }, t("attention.next"))] : []));
    if (active) body.querySelector(`[data-client="${active}"] a`)?.focus();
    performance.mark("elior:attention");
  }
  only.addEventListener("change", () => { flaggedOnly = only.checked; offset = 0; load(); });
  await load();

  // Live: a client logging a workout or a meal, or a weigh-in, changes their figures: fetch the queue again.
  const channels = [new Channel("workouts").start(), new Channel("progress").start()];
  let timer = null;
  const stop = onLive("*", () => {
    clearTimeout(timer);
    timer = setTimeout(() => load().catch(() => {}), 500);
  });
  ctx.onLeave(() => { stop(); channels.forEach((c) => c.stop()); clearTimeout(timer); });

  return h("div", {},
    h("div", { class: "page-head" }, h("h1", {}, t("attention.title")),
      link("/invites", t("attention.invite_client"), { class: "button" })),
    lead,
    h("div", { class: "field check" }, only, h("label", { for: "attention-only" }, t("attention.only_flagged"))),
    holder);
}
