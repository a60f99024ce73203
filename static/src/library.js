// Staff pages: the review queue of meal entries, the exercise library, and invites.
import { all, del, get, post, put } from "./api.js";
import { forgetLibrary, STATUS_TEXT } from "./data.js";
import { mealPhotoThumb } from "./meal_photo.js";
import { h, field, formAlert, onSubmit, section, empty, fmtDate, fmtNum, fmtTime, toast } from "./dom.js";

export async function reviewQueue(ctx) {
  // One request for a page of every client's waiting entries, oldest first (GET /api/meal-entries?status=pending).
  const list = h("ul", { class: "review-list" });
  const count = h("p", { class: "lead", "aria-live": "polite" });
  const more = h("button", { type: "button", hidden: true }, "Show more");
  const shown = new Set();
  let total = 0;
  const paint = () => {
    count.textContent = total ? `${total} waiting for review, the longest wait first.` : "All caught up.";
    more.hidden = list.children.length >= total;
  };
  const card = (entry) => {
    const form = h("form", { class: "review-form", novalidate: true, "aria-label": `Review ${entry.meal_name}` },
      formAlert(), field("Comment for the client", "comment", { type: "textarea" }),
      h("div", { class: "actions" },
        h("button", { type: "submit", class: "primary", value: "approved" }, "Approve"),
        h("button", { type: "submit", class: "danger", value: "rejected" }, "Reject")));
    const item = h("li", { class: "card review", dataset: { entry: entry.id } },
      mealPhotoThumb(entry, "meal-photo"),
      h("div", {}, h("h2", {}, `${entry.client_name || "Client"}: ${entry.meal_name}`),
        h("p", { class: "muted" }, fmtDate(entry.date), entry.plan_title ? ` · ${entry.plan_title}` : ""),
        entry.description ? h("p", {}, entry.description) : null,
        h("p", { class: "small" }, ["kcal", "protein_g", "carbs_g", "fat_g"].filter((k) => entry[k] !== null &&
          entry[k] !== undefined).map((k) => `${k.replace("_g", "")} ${fmtNum(entry[k], 0)}`).join(" · ")),
        form));
    onSubmit(form, async (v, submitter) => {
      const status = submitter?.value || "approved";
      await put(`/api/meal-plans/${entry.plan_id}/entries/${entry.id}/review`, { status, comment: v.comment });
      const next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      total -= 1;
      if (!list.children.length && total > 0) await load();
      paint();
      toast(`${entry.meal_name}: ${STATUS_TEXT[status]}.`);
      const target = (next?.isConnected ? next : list.firstElementChild)?.querySelector("textarea");
      if (target) target.focus(); else { count.tabIndex = -1; count.focus(); }
    });
    return item;
  };
  // Reviewed entries leave the queue, so the next page starts after what is still on screen.
  const load = async () => {
    const page = await get("/api/meal-entries", { status: "pending", limit: 20, offset: list.children.length });
    total = page.total;
    for (const entry of page.items) {
      if (shown.has(entry.id)) continue;
      shown.add(entry.id);
      list.append(card(entry));
    }
    paint();
  };
  more.addEventListener("click", async () => {
    const before = list.children.length;
    await load();
    list.children[before]?.querySelector("textarea")?.focus();
  });
  await load();
  return h("div", {}, h("h1", {}, "Meals to review"), count, list, h("div", { class: "actions" }, more));
}

export async function exerciseLibrary(ctx) {
  const list = h("tbody");
  const search = h("input", { type: "search", id: "ex-search", placeholder: "Name" });
  let items = [];
  const mine = (e) => ctx.user.role === "admin" || e.created_by === ctx.user.id;
  const paint = () => {
    const q = search.value.trim().toLowerCase();
    const shown = items.filter((e) => !q || e.name.toLowerCase().includes(q) || (e.muscle_group || "").toLowerCase().includes(q));
    list.replaceChildren(...shown.map((e) => h("tr", {},
      h("th", { scope: "row" }, e.name, e.description ? h("div", { class: "small muted" }, e.description) : null),
      h("td", {}, e.muscle_group || "–"), h("td", {}, e.equipment || "–"),
      h("td", {}, mine(e) ? h("button", { type: "button", class: "small danger", "aria-label": `Delete ${e.name}`,
        onclick: async (event) => {
          try {
            await del(`/api/exercises/${e.id}`);
            items = items.filter((x) => x.id !== e.id);
            forgetLibrary();
            paint();
            toast(`${e.name} deleted.`);
          } catch (error) {
            toast(error.status === 409 ? `${e.name} is used by a workout, so it stays.` : error.message, "error");
            event.target.focus();
          }
        } }, "Delete") : null))));
    if (!shown.length) list.replaceChildren(h("tr", {}, h("td", { colspan: 4 }, empty("No exercises."))));
  };
  const load = async () => {
    items = (await all("/api/exercises", {}, 2000)).sort((a, b) => a.name.localeCompare(b.name));
    paint();
  };
  search.addEventListener("input", paint);
  const form = h("form", { class: "editor", novalidate: true, "aria-label": "New exercise" }, formAlert(),
    h("div", { class: "row" }, field("Name", "name", { required: true }), field("Muscle group", "muscle_group"),
      field("Equipment", "equipment")),
    field("Description", "description"), field("Instructions", "instructions", { type: "textarea" }),
    field("Video link", "video_url", { type: "url" }),
    h("button", { type: "submit", class: "primary" }, "Add to the library"));
  onSubmit(form, async (v) => {
    const body = Object.fromEntries(Object.entries(v).filter(([, value]) => value !== null));
    const created = await post("/api/exercises", body);
    form.reset();
    forgetLibrary();
    await load();
    toast(`${created.name} added.`);
    form.querySelector("[name=name]").focus();
  });
  await load();
  return h("div", {}, h("h1", {}, "Exercise library"),
    h("div", { class: "grid two" },
      section("The library", h("div", { class: "field inline" }, h("label", { for: "ex-search" }, "Filter"), search),
        h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, h("tr", {},
          ["Exercise", "Muscle group", "Equipment", ""].map((t) => h("th", { scope: "col" }, t)))), list))),
      section("Add an exercise", form)));
}

export async function invitesPage(ctx) {
  const admin = ctx.user.role === "admin";
  const list = h("tbody");
  const result = h("div", { class: "invite-result", "aria-live": "polite" });
  const load = async () => {
    const items = await all("/api/invites");
    list.replaceChildren(...items.map((i) => h("tr", {},
      h("td", {}, h("code", {}, i.code)), h("td", {}, i.role), h("td", {}, i.email || "–"),
      h("td", {}, i.used_at ? `Used ${fmtTime(i.used_at)}` : `Expires ${fmtTime(i.expires_at)}`),
      h("td", {}, i.used_at ? null : h("button", { type: "button", class: "small danger", "aria-label": `Revoke invite ${i.code}`,
        onclick: async () => { await del(`/api/invites/${encodeURIComponent(i.code)}`); toast("Invite revoked."); load(); } },
      "Revoke")))));
    if (!items.length) list.replaceChildren(h("tr", {}, h("td", { colspan: 5 }, empty("No invites yet."))));
  };
  const form = h("form", { class: "editor", novalidate: true, "aria-label": "New invite" }, formAlert(),
    h("div", { class: "row" },
      field("Invite a", "role", { choices: admin ? [["client", "Client"], ["trainer", "Trainer"]] : [["client", "Client"]] }),
      field("Their email (optional)", "email", { type: "email",
        hint: "If given, only this address can use the invite." })),
    h("button", { type: "submit", class: "primary" }, "Create invite link"));
  onSubmit(form, async (v) => {
    const body = { role: v.role };
    if (v.email) body.email = v.email;
    const invite = await post("/api/invites", body);
    const url = `${location.origin}/invite/${encodeURIComponent(invite.code)}`;
    const box = h("input", { type: "text", readonly: true, value: url, id: "invite-link", class: "copy-box" });
    const copy = h("button", { type: "button", onclick: async () => {
      try { await navigator.clipboard.writeText(url); toast("Link copied."); } catch { box.select(); }
    } }, "Copy link");
    result.replaceChildren(h("div", { class: "notice" },
      h("label", { for: "invite-link" }, `Send this link to your new ${invite.role} (valid until ${fmtTime(invite.expires_at)}):`),
      h("div", { class: "copy-row" }, box, copy)));
    box.focus();
    box.select();
    load();
  });
  await load();
  return h("div", {}, h("h1", {}, "Invites"), h("div", { class: "grid two" },
    section("Invite someone", form, result),
    section("Open invites", h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, h("tr", {},
      ["Code", "Role", "Email", "Status", ""].map((t) => h("th", { scope: "col" }, t)))), list)))));
}
