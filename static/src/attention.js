// The trainer's home: the attention queue. Every client with their compliance and what needs the trainer, the most
// urgent first, in one request (GET /api/clients/attention): the figures, the reasons and the order are the
// server's, so they are right however many clients and however long their history.
import { get } from "./api.js";
import { empty, fmtDate, fmtNum, h, link } from "./dom.js";
import { Channel, onLive } from "./live.js";

const PAGE = 50;
// How loud each reason is: a drop or a waiting review asks for the trainer now, the others for a look.
const LOUD = new Set(["compliance_drop", "review_waiting"]);

function compliance(item) {
  return h("ul", { class: "compliance plain" }, [7, 30, 90].map((n) => {
    const value = item[`compliance_${n}`];
    const bar = h("span", { class: "bar-fill" });
    bar.style.width = `${value ?? 0}%`;  // CSSOM, which the CSP allows (a style attribute it would not)
    if (value !== null && value < 50) bar.classList.add("over");
    return h("li", {}, h("span", { class: "comp-days" }, `${n} d`),
      h("span", { class: "bar", role: "presentation" }, bar),
      value === null ? h("span", { class: "comp-value muted" }, "nothing due")
        : h("span", { class: "comp-value" }, `${fmtNum(value, 0)}%`,
          h("span", { class: "small muted" }, ` ${item[`completed_${n}`]}/${item[`due_${n}`]}`)));
  }));
}

function lastLog(item) {
  if (item.days_since_last_log === null) return h("span", { class: "muted" }, "Never");
  const days = item.days_since_last_log;
  return [days === 0 ? "Today" : days === 1 ? "Yesterday" : `${days} days ago`,
    h("div", { class: "small muted" }, fmtDate(item.last_logged_at))];
}

function row(item) {
  return h("tr", { dataset: { client: item.client_id } },
    h("th", { scope: "row" }, link(`/clients/${item.client_id}`, item.client_name)),
    h("td", {}, item.reasons.length ? h("ul", { class: "flags" }, item.reasons.map((r) =>
      h("li", { class: `flag ${LOUD.has(r.code) ? "todo" : "warn"}`, dataset: { reason: r.code } }, r.detail)))
      : h("span", { class: "flag new" }, "All good")),
    h("td", {}, compliance(item)),
    h("td", {}, lastLog(item)),
    h("td", {}, item.upcoming_workouts ? `${item.upcoming_workouts} planned` : h("span", { class: "muted" }, "None")));
}

export async function attentionQueue(ctx) {
  let offset = 0;
  let flaggedOnly = false;
  const body = h("tbody");
  const lead = h("p", { class: "lead", "aria-live": "polite" });
  const pager = h("div", { class: "pager" });
  const only = h("input", { type: "checkbox", id: "attention-only" });
  const table = h("div", { class: "table-wrap" }, h("table", { class: "attention" },
    h("caption", { class: "sr-only" }, "Your clients, the most urgent first"),
    h("thead", {}, h("tr", {}, ["Client", "Needs attention", "Workouts done of those due", "Last workout logged",
      "Next 7 days"].map((t) => h("th", { scope: "col" }, t)))), body));
  const holder = h("div", {}, table, pager);

  async function load() {
    const active = document.activeElement?.closest?.("[data-client]")?.dataset.client;
    const page = await get("/api/clients/attention", { flagged: flaggedOnly || null, limit: PAGE, offset });
    if (!page.total && !flaggedOnly) {
      lead.textContent = "";
      holder.replaceChildren(empty("No clients yet. Invite your first client to get started."));
      return;
    }
    holder.replaceChildren(table, pager);
    const whom = flaggedOnly ? `client${page.flagged === 1 ? "" : "s"}`
      : `of ${page.total} client${page.total === 1 ? "" : "s"}`;
    lead.textContent = `${page.flagged} ${whom} need${page.flagged === 1 ? "s" : ""} attention `
      + `(figures as of ${fmtDate(page.as_of)}).`;
    body.replaceChildren(...page.items.map(row));
    if (!page.items.length) body.replaceChildren(h("tr", {}, h("td", { colspan: 5 }, empty("Nobody needs you now."))));
    const pages = Math.ceil(page.total / PAGE);
    pager.replaceChildren(...(pages > 1 ? [
      h("button", { type: "button", class: "small", disabled: offset === 0,
        onclick: () => { offset -= PAGE; load(); } }, "Previous"),
      h("span", {}, `Page ${offset / PAGE + 1} of ${pages}`),
      h("button", { type: "button", class: "small", disabled: offset + PAGE >= page.total,
        onclick: () => { offset += PAGE; load(); } }, "Next")] : []));
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
    h("div", { class: "page-head" }, h("h1", {}, "Clients needing attention"),
      link("/invites", "Invite a client", { class: "button" })),
    lead,
    h("div", { class: "field check" }, only, h("label", { for: "attention-only" }, "Only those needing attention")),
    holder);
}
