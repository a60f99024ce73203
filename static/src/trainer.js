// The trainer's desk: the client list with what needs attention, and one client's page.
import { all, del, get } from "./api.js";
import { currentPlan, exercisesById, planWhen } from "./data.js";
import { h, link, section, empty, confirmButton, fmtDate, isoDay, toast } from "./dom.js";
import { t } from "./i18n.js";
import { profileBox } from "./client_profile.js";
import { adherenceView } from "./adherence.js";
import { documentsPanel } from "./documents.js";
import { creditLedger } from "./ledger.js";
import { Channel, onLive } from "./live.js";
import { entryHistory, photoCompare, progressCharts, progressForm } from "./progress.js";
import { exerciseButtons } from "./records.js";
import { pagedList, photoThumb, showLog, targetsVsLogged, workoutItem } from "./views.js";

async function attention(clients) {
  const [done, planned, fresh, plans] = await Promise.all([
    // Every page (no cap): a flag computed from a cut list would be wrong without saying so.
    all("/api/workouts", { status: "completed", from: isoDay(-60) }, Infinity),
    all("/api/workouts", { status: "planned", from: isoDay(0) }, Infinity),
    all("/api/progress", { from: isoDay(-7) }, Infinity),
    all("/api/meal-plans", {}, Infinity),
  ]);
  // One request per plan: the contract has no "pending entries of all my clients" list (see the README, "The browser app").
  const entries = (await Promise.all(plans.map((p) => all(`/api/meal-plans/${p.id}/entries`, { status: "pending" })
    .catch(() => [])))).flat();
  const info = new Map(clients.map((c) => [c.id, { last: null, next: null, pending: 0, progress: 0 }]));
  for (const w of done) {
    const row = info.get(w.client_id);
    const when = (w.completed_at || w.scheduled_for || "").slice(0, 10);
    if (row && (!row.last || when > row.last)) row.last = when;
  }
  for (const w of planned) {
    const row = info.get(w.client_id);
    if (row && (!row.next || w.scheduled_for < row.next.scheduled_for)) row.next = w;
  }
  for (const p of fresh) if (info.has(p.client_id)) info.get(p.client_id).progress += 1;
  for (const e of entries) if (e.status === "pending" && info.has(e.client_id)) info.get(e.client_id).pending += 1;
  return info;
}

function flags(row) {
  const out = [];
  if (!row.last || row.last < isoDay(-7)) {
    out.push(["warn", t(row.last ? "trainer.flag_idle_week" : "trainer.flag_never_logged")]);
  }
  if (row.pending) out.push(["todo", t("trainer.flag_pending", { count: row.pending })]);
  if (row.progress) out.push(["new", t("trainer.flag_progress")]);
  return out;
}

export async function clientList(ctx) {
  const clients = await all("/api/users", { role: "client" }, Infinity);  // every page: the filter below searches them
  clients.sort((a, b) => a.full_name.localeCompare(b.full_name));
  // The list shows as soon as the names are here; what needs attention fills in when its lists arrive.
  let info = null;
  const score = (c) => flags(info.get(c.id)).length;
  const search = h("input", { id: "client-filter", type: "search", placeholder: t("trainer.filter_placeholder") });
  const body = h("tbody", { "aria-busy": "true" });
  const count = { count: clients.length };
  const lead = h("p", { class: "lead" }, t(clients.length ? "trainer.lead_count" : "trainer.no_clients", count));
  const waiting = () => h("span", { class: "muted" }, t("trainer.checking"));
  const paint = () => {
    const q = search.value.trim().toLowerCase();
    const shown = clients.filter((c) => !q || c.full_name.toLowerCase().includes(q) || c.email.includes(q));
    body.replaceChildren(...shown.map((c) => {
      const row = info?.get(c.id);
      const marks = row ? flags(row) : [];
      return h("tr", { dataset: { client: c.id } },
        h("th", { scope: "row" }, link(`/clients/${c.id}`, c.full_name), h("div", { class: "small muted" }, c.email)),
        h("td", {}, !row ? waiting() : marks.length
          ? h("ul", { class: "flags" }, marks.map(([k, text]) => h("li", { class: `flag ${k}` }, text)))
          : h("span", { class: "muted" }, t("trainer.all_good"))),
        h("td", {}, !row ? waiting() : row.next ? [fmtDate(row.next.scheduled_for),
          h("div", { class: "small muted" }, row.next.title)]
          : h("span", { class: "muted" }, t("trainer.nothing_planned"))),
        h("td", {}, !row ? waiting() : row.last ? fmtDate(row.last) : "–"));
    }));
    if (!shown.length) body.replaceChildren(h("tr", {}, h("td", { colspan: 4 }, empty(t("trainer.no_match")))));
  };
  search.addEventListener("input", paint);
  paint();
  if (clients.length) {
    attention(clients).then((found) => {
      info = found;
      clients.sort((a, b) => score(b) - score(a) || a.full_name.localeCompare(b.full_name));
      const needing = clients.filter((c) => score(c)).length;
      lead.textContent = t("trainer.lead_needing", { ...count, needing });
      body.removeAttribute("aria-busy");
      paint();
      performance.mark("elior:attention");
    }).catch((error) => { lead.textContent = t("trainer.lead_failed", { ...count, error: error.message }); });
  }
  return h("div", {},
    h("div", { class: "page-head" }, h("h1", {}, t("trainer.clients_title")),
      link("/invites", t("trainer.invite_client"), { class: "button primary" })),
    lead,
    h("div", { class: "field inline" }, h("label", { for: "client-filter" }, t("trainer.find_client")), search),
    h("div", { class: "table-wrap" }, h("table", { class: "clients" },
      h("caption", { class: "sr-only" }, t("trainer.clients_caption")),
      h("thead", {}, h("tr", {}, [t("trainer.col_client"), t("trainer.col_attention"), t("trainer.col_next"),
        t("trainer.col_last")].map((text) => h("th", { scope: "col" }, text)))), body)));
}

export async function clientPage(ctx) {
  const id = Number(ctx.params.id);
  const person = await get(`/api/users/${id}`);
  ctx.setTitle(person.full_name);
  const today = isoDay(0);
  const [upcomingBox, pastBox, planBox, chartBox, entriesBox, filesBox] = [h("div"), h("div"), h("div"), h("div"),
    h("div"), h("div")];
  let timer = null;
  // The exercises of the workouts read so far, each a button that opens the client's records and sessions of it.
  const records = exerciseButtons({ clientId: id, emptyText: t("trainer.no_exercises") });

  // Workouts a page at a time from the server (upcoming soonest first, the rest newest first): none is cut at 1,000.
  const workoutPage = async (query, keep = () => true) => {
    let names = new Map();
    const openLog = (w, box) => showLog(w, box, names).then(() => import("./comments.js"))
      .then((comments) => comments.mountComments(w, box, ctx));
    return pagedList("/api/workouts", { client_id: id, ...query }, async (items) => {
      names = await exercisesById(items.flatMap((w) => (w.exercises || []).map((x) => x.exercise_id)), true);
      records.offer(items.flatMap((w) => (w.exercises || []).map((x) => names.get(x.exercise_id)
        || { id: x.exercise_id, name: "?" })));
      return items.filter(keep).map((w) => workoutItem(w, names, { staff: true, onOpenLog: openLog, onDeleted: () => refresh() }));
    }, { className: "workouts", pageSize: 20, label: t("trainer.label_workouts") });
  };

  async function load() {
    const [upcoming, past, plans, summary, entries, history, files] = await Promise.all([
      workoutPage({ status: "planned", from: today, order: "scheduled_for" }),
      // Past: everything but what is upcoming (done or skipped today included), newest first.
      workoutPage({ order: "-scheduled_for" }, (w) => !(w.status === "planned" && w.scheduled_for >= today)),
      all("/api/meal-plans", { client_id: id }),
      get("/api/progress/summary", { client_id: id }), all("/api/progress", { client_id: id }, 5000),
      entryHistory(id, () => refresh()), filesList(id)]);
    const plan = currentPlan(plans, today);
    const plansOpen = Boolean(planBox.querySelector("details.plans")?.open);  // a reload keeps the list as it was
    const [todays, adherence] = plan ? await Promise.all([
      all(`/api/meal-plans/${plan.id}/entries`, { from: today, to: today }), adherenceView(plan, { today })]) : [[], null];
    // A delete asked while this load was reading (a slow phone, a busy server): the repaint waits for its answer.
    if (asking()) {
      refresh();
      return;
    }
    upcomingBox.replaceChildren(upcoming);
    pastBox.replaceChildren(past);
    planBox.replaceChildren(...(plan ? [
      h("p", {}, h("strong", {}, plan.title), " ", t(plan.end_date ? "trainer.plan_from_to" : "trainer.plan_from",
        { start: fmtDate(plan.start_date), end: fmtDate(plan.end_date) })),
      h("h3", {}, t("trainer.plan_today")), targetsVsLogged(plan, todays),
      h("h3", {}, t("trainer.plan_day_by_day")), adherence,
      h("p", {}, link(`/meal-plans/${plan.id}/edit`, t("trainer.plan_edit")), " · ",
        link("/review", t("trainer.review_meals")))]
      : [empty(t("trainer.no_plan")), link(`/meal-plans/new?client=${id}`, t("trainer.plan_create"))]),
    // (no plans, no list: replaceChildren would write a null out as the text "null")
    ...(plans.length ? [h("details", { class: "plans", open: plansOpen },
      h("summary", {}, t("trainer.all_plans", { count: plans.length })),
      h("ul", { class: "history" }, plans.map((p) => h("li", { dataset: { plan: p.id } }, h("strong", {}, p.title),
        ` ${planWhen(p, today)} `, link(`/meal-plans/${p.id}/edit`, t("trainer.edit")), " ",
        confirmButton(t("trainer.delete"), t("trainer.plan_delete_confirm", { title: p.title }), async () => {
          await del(`/api/meal-plans/${p.id}`);
          planBox.querySelector(`li[data-plan="${p.id}"]`)?.remove();
          toast(t("trainer.plan_deleted", { title: p.title }));
          refresh();
        }, { "aria-label": t("trainer.plan_delete_label", { title: p.title }) })))))] : []));
    chartBox.replaceChildren(progressCharts(summary?.series || []), photoCompare(entries));
    entriesBox.replaceChildren(history);
    filesBox.replaceChildren(files);
  }
  // A reload waits while a delete is being confirmed: repainting would take the question away mid-answer.
  const asking = () => document.querySelector(".confirm-question") !== null;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(() => (asking() ? refresh() : load().catch(() => {})), 250);
  };
  // The client's PDFs (documents.js) and session credits move by move (ledger.js).
  const [documents, credits] = await Promise.all([documentsPanel(id), creditLedger(id), load()]);

  // Live: this client's workouts, progress and meals update the page as they arrive.
  const channels = [new Channel("workouts").start(), new Channel("progress").start()];
  const stop = onLive("*", (message) => {
    // Comments and messages update their own boxes; a reload here would close an open log and its comments.
    if (/^(comment|message)\./.test(message.type || "")) return;
    const data = message.data || {};
    const about = data.client_id ?? data.data?.client_id ?? data.workout?.client_id;
    if (about === undefined || Number(about) === id) refresh();
  });
  ctx.onLeave(() => { stop(); channels.forEach((c) => c.stop()); clearTimeout(timer); });

  const heading = h("h1", {}, person.full_name);
  return h("div", { dataset: { client: id } },
    h("div", { class: "page-head" }, heading,
      h("div", { class: "actions" },
        link(`/workouts/new?client=${id}`, t("trainer.new_workout"), { class: "button primary" }),
        link(`/meal-plans/new?client=${id}`, t("trainer.new_plan"), { class: "button" }),
        // A single-use password link to hand over in person (password_reset.js), when the client gets no mail.
        link(`/people/${id}/password-reset`, t("trainer.reset_link"), { class: "button" }))),
    // The contact lines and the profile editor (client_profile.js); an admin's rename retitles the page.
    profileBox(person, ctx.user, (saved) => { heading.textContent = saved.full_name; ctx.setTitle(saved.full_name); }),
    // Sections reload in place on live events; the form is built once, so typing is never interrupted.
    h("div", { class: "grid" }, section(t("trainer.upcoming"), upcomingBox), section(t("trainer.past"), pastBox),
      section(t("trainer.meal_plan"), planBox), section(t("trainer.progress"), chartBox),
      section(t("trainer.add_progress"), progressForm(id, () => refresh())),
      section(t("trainer.progress_entries"), entriesBox), section(t("trainer.records"), records.node), documents, section(t("trainer.files"), filesBox),
      section(t("trainer.session_credits"), credits)));
}

// What a file is for (the upload's `purpose`), as people read it.
const PURPOSES = { progress_photo: "trainer.purpose_progress_photo", meal_photo: "trainer.purpose_meal_photo",
  avatar: "trainer.purpose_avatar", document: "trainer.purpose_document" };

/** A client's files, newest first, a page at a time: photos as thumbnails (a tap opens the full photo), documents
 * as links, each with Delete (asked first). */
export function filesList(clientId) {
  return pagedList("/api/files", { client_id: clientId }, (items) => items.map((f) => {
    const photo = f.content_type.startsWith("image/");
    const when = fmtDate(f.created_at);
    const purpose = PURPOSES[f.purpose] ? t(PURPOSES[f.purpose]) : f.purpose.replace("_", " ");
    const item = h("li", { class: "entry file", dataset: { file: f.filename } },
      photo ? photoThumb(f.filename, t("trainer.file_photo_alt", { purpose, when }), { signed: f.url })
        : h("a", { href: f.url, download: "" }, t("trainer.file_document")),
      h("div", {}, h("strong", {}, purpose), " ",
        t("trainer.file_meta", { when, size: String(Math.ceil(f.size / 1024)) }), " ",
        confirmButton(t("trainer.delete"), t("trainer.file_delete_confirm"),
          async () => {
            await del(`/api/files/${encodeURIComponent(f.filename)}`);
            item.remove();
            toast(t("trainer.file_deleted"));
          }, { "aria-label": t("trainer.file_delete_label", { when }) })));
    return item;
  }), { className: "entries", pageSize: 20, emptyText: t("trainer.no_files"), label: t("trainer.label_files") });
}
