// The trainer's desk: the client list with what needs attention, and one client's page.
import { all, del, get } from "./api.js";
import { currentPlan, exercisesById, planWhen } from "./data.js";
import { h, link, section, empty, confirmButton, fmtDate, isoDay, toast } from "./dom.js";
import { Channel, onLive } from "./live.js";
import { entryHistory, photoCompare, progressCharts, progressForm } from "./progress.js";
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
  if (!row.last || row.last < isoDay(-7)) out.push(["warn", row.last ? "No workout logged for 7+ days" : "No workout logged yet"]);
  if (row.pending) out.push(["todo", `${row.pending} meal ${row.pending === 1 ? "entry" : "entries"} to review`]);
  if (row.progress) out.push(["new", "New progress"]);
  return out;
}

export async function clientList(ctx) {
  const clients = await all("/api/users", { role: "client" }, Infinity);  // every page: the filter below searches them
  clients.sort((a, b) => a.full_name.localeCompare(b.full_name));
  // The list shows as soon as the names are here; what needs attention fills in when its lists arrive.
  let info = null;
  const score = (c) => flags(info.get(c.id)).length;
  const search = h("input", { id: "client-filter", type: "search", placeholder: "Name or email" });
  const body = h("tbody", { "aria-busy": "true" });
  const count = `${clients.length} client${clients.length === 1 ? "" : "s"}`;
  const lead = h("p", { class: "lead" }, clients.length ? `${count}.`
    : "No clients yet. Invite your first client to get started.");
  const waiting = () => h("span", { class: "muted" }, "Checking…");
  const paint = () => {
    const q = search.value.trim().toLowerCase();
    const shown = clients.filter((c) => !q || c.full_name.toLowerCase().includes(q) || c.email.includes(q));
    body.replaceChildren(...shown.map((c) => {
      const row = info?.get(c.id);
      const marks = row ? flags(row) : [];
      return h("tr", { dataset: { client: c.id } },
        h("th", { scope: "row" }, link(`/clients/${c.id}`, c.full_name), h("div", { class: "small muted" }, c.email)),
        h("td", {}, !row ? waiting() : marks.length
          ? h("ul", { class: "flags" }, marks.map(([k, t]) => h("li", { class: `flag ${k}` }, t)))
          : h("span", { class: "muted" }, "All good")),
        h("td", {}, !row ? waiting() : row.next ? [fmtDate(row.next.scheduled_for),
          h("div", { class: "small muted" }, row.next.title)] : h("span", { class: "muted" }, "Nothing planned")),
        h("td", {}, !row ? waiting() : row.last ? fmtDate(row.last) : "–"));
    }));
    if (!shown.length) body.replaceChildren(h("tr", {}, h("td", { colspan: 4 }, empty("No clients match."))));
  };
  search.addEventListener("input", paint);
  paint();
  if (clients.length) {
    attention(clients).then((found) => {
      info = found;
      clients.sort((a, b) => score(b) - score(a) || a.full_name.localeCompare(b.full_name));
      const needing = clients.filter((c) => score(c)).length;
      lead.textContent = `${count}, ${needing} needing attention.`;
      body.removeAttribute("aria-busy");
      paint();
      performance.mark("elior:attention");
    }).catch((error) => { lead.textContent = `${count}. (${error.message})`; });
  }
  return h("div", {},
    h("div", { class: "page-head" }, h("h1", {}, "Clients"),
      link("/invites", "Invite a client", { class: "button primary" })),
    lead,
    h("div", { class: "field inline" }, h("label", { for: "client-filter" }, "Find a client"), search),
    h("div", { class: "table-wrap" }, h("table", { class: "clients" },
      h("caption", { class: "sr-only" }, "Your clients, those needing attention first"),
      h("thead", {}, h("tr", {}, ["Client", "Needs attention", "Next workout", "Last logged"].map((t) =>
        h("th", { scope: "col" }, t)))), body)));
}

export async function clientPage(ctx) {
  const id = Number(ctx.params.id);
  const person = await get(`/api/users/${id}`);
  ctx.setTitle(person.full_name);
  const today = isoDay(0);
  const [upcomingBox, pastBox, planBox, chartBox, entriesBox, filesBox] = [h("div"), h("div"), h("div"), h("div"),
    h("div"), h("div")];
  let timer = null;

  // Workouts a page at a time from the server (upcoming soonest first, the rest newest first): none is cut at 1,000.
  const workoutPage = async (query, keep = () => true) => {
    let names = new Map();
    const openLog = (w, box) => showLog(w, box, names).then(() => import("./comments.js"))
      .then((comments) => comments.mountComments(w, box, ctx));
    return pagedList("/api/workouts", { client_id: id, ...query }, async (items) => {
      names = await exercisesById(items.flatMap((w) => (w.exercises || []).map((x) => x.exercise_id)), true);
      return items.filter(keep).map((w) => workoutItem(w, names, { staff: true, onOpenLog: openLog, onDeleted: () => refresh() }));
    }, { className: "workouts", pageSize: 20, label: "workouts" });
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
    const todays = plan ? await all(`/api/meal-plans/${plan.id}/entries`, { from: today, to: today }) : [];
    upcomingBox.replaceChildren(upcoming);
    pastBox.replaceChildren(past);
    planBox.replaceChildren(...(plan ? [
      h("p", {}, h("strong", {}, plan.title), ` from ${fmtDate(plan.start_date)}`,
        plan.end_date ? ` to ${fmtDate(plan.end_date)}` : ""),
      h("h3", {}, "Today: targets against what was logged"), targetsVsLogged(plan, todays),
      h("p", {}, link(`/meal-plans/${plan.id}/edit`, "Edit the meal plan"), " · ", link("/review", "Review meals"))]
      : [empty("No meal plan yet."), link(`/meal-plans/new?client=${id}`, "Create a meal plan")]),
    plans.length ? h("details", { class: "plans", open: plansOpen }, h("summary", {}, `All meal plans (${plans.length})`),
      h("ul", { class: "history" }, plans.map((p) => h("li", { dataset: { plan: p.id } }, h("strong", {}, p.title),
        ` ${planWhen(p, today)} `, link(`/meal-plans/${p.id}/edit`, "Edit"), " ",
        confirmButton("Delete", `Delete the meal plan “${p.title}” and its logged meals?`, async () => {
          await del(`/api/meal-plans/${p.id}`);
          planBox.querySelector(`li[data-plan="${p.id}"]`)?.remove();
          toast(`Meal plan “${p.title}” deleted.`);
          refresh();
        }, { "aria-label": `Delete meal plan ${p.title}` }))))) : null);
    chartBox.replaceChildren(progressCharts(summary?.series || []), photoCompare(entries));
    entriesBox.replaceChildren(history);
    filesBox.replaceChildren(files);
  }
  // A reload waits while a delete is being confirmed: repainting would take the question away mid-answer.
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(() => (document.querySelector(".confirm-question") ? refresh() : load().catch(() => {})), 250);
  };
  await load();

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

  const profile = person.profile || {};
  return h("div", { dataset: { client: id } },
    h("div", { class: "page-head" }, h("h1", {}, person.full_name),
      h("div", { class: "actions" }, link(`/workouts/new?client=${id}`, "New workout", { class: "button primary" }),
        link(`/meal-plans/new?client=${id}`, "New meal plan", { class: "button" }),
        // A single-use password link to hand over in person (password_reset.js), when the client gets no mail.
        link(`/people/${id}/password-reset`, "Password reset link", { class: "button" }))),
    h("p", { class: "muted" }, person.email, profile.phone ? ` · ${profile.phone}` : ""),
    profile.goals ? h("p", {}, h("strong", {}, "Goals: "), profile.goals) : null,
    profile.medical_notes ? h("p", { class: "notice" }, h("strong", {}, "Medical notes: "), profile.medical_notes) : null,
    // Sections reload in place on live events; the form is built once, so typing is never interrupted.
    h("div", { class: "grid" }, section("Upcoming workouts", upcomingBox), section("Past workouts", pastBox),
      section("Meal plan", planBox), section("Progress", chartBox),
      section("Add a progress entry", progressForm(id, () => refresh())),
      section("Progress entries", entriesBox), section("Files", filesBox)));
}

/** A client's files, newest first, a page at a time: photos as thumbnails (a tap opens the full photo), documents
 * as links, each with Delete (asked first). */
export function filesList(clientId) {
  return pagedList("/api/files", { client_id: clientId }, (items) => items.map((f) => {
    const photo = f.content_type.startsWith("image/");
    const when = fmtDate(f.created_at);
    const item = h("li", { class: "entry file", dataset: { file: f.filename } },
      photo ? photoThumb(f.filename, `${f.purpose.replace("_", " ")} of ${when}`, { signed: f.url })
        : h("a", { href: f.url, download: "" }, "Document (PDF)"),
      h("div", {}, h("strong", {}, f.purpose.replace("_", " ")), ` · ${when} · ${Math.ceil(f.size / 1024)} KB `,
        confirmButton("Delete", "Delete this file for good? An entry or meal that shows it will show none.",
          async () => {
            await del(`/api/files/${encodeURIComponent(f.filename)}`);
            item.remove();
            toast("File deleted.");
          }, { "aria-label": `Delete file of ${when}` })));
    return item;
  }), { className: "entries", pageSize: 20, emptyText: "No files yet.", label: "files" });
}
