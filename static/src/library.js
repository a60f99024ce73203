// Staff pages: the review queue of meal entries, the exercise library, and invites.
import { all, del, get, post, put } from "./api.js";
import { forgetLibrary, statusText } from "./data.js";
import { mealPhotoThumb } from "./meal_photo.js";
import { h, field, formAlert, onSubmit, section, empty, fmtDate, fmtNum, fmtTime, toast } from "./dom.js";
import { t } from "./i18n.js";

// Invite roles as people read them.
const ROLE_TEXT = { client: "library.role_client", trainer: "library.role_trainer" };
const roleText = (role) => (ROLE_TEXT[role] ? t(ROLE_TEXT[role]) : role);
// The invite form's choice ("Invite a" Client / Trainer).
const ROLE_CHOICE = { client: "library.choice_client", trainer: "library.choice_trainer" };
// The review card's nutrition figures: [field, short label key].
const FIGURES = [["kcal", "library.figure_kcal"], ["protein_g", "library.figure_protein"],
  ["carbs_g", "library.figure_carbs"], ["fat_g", "library.figure_fat"]];

export async function reviewQueue(ctx) {
  // One request for a page of every client's waiting entries, oldest first (GET /api/meal-entries?status=pending).
  const list = h("ul", { class: "review-list" });
  const count = h("p", { class: "lead", "aria-live": "polite" });
  const more = h("button", { type: "button", hidden: true }, t("library.show_more"));
  const shown = new Set();
  let total = 0;
  const paint = () => {
    count.textContent = total ? t("library.waiting", { count: total }) : t("library.caught_up");
    more.hidden = list.children.length >= total;
  };
  const card = (entry) => {
    const form = h("form", { class: "review-form", novalidate: true,
      "aria-label": t("library.review_label", { meal: entry.meal_name }) },
      formAlert(), field(t("library.comment"), "comment", { type: "textarea" }),
      h("div", { class: "actions" },
        h("button", { type: "submit", class: "primary", value: "approved" }, t("library.approve")),
        h("button", { type: "submit", class: "danger", value: "rejected" }, t("library.reject"))));
    const item = h("li", { class: "card review", dataset: { entry: entry.id } },
      mealPhotoThumb(entry, "meal-photo"),
      h("div", {}, h("h2", {}, t("library.review_heading", { client: entry.client_name || t("library.client"),
        meal: entry.meal_name })),
        h("p", { class: "muted" }, fmtDate(entry.date), entry.plan_title ? ` · ${entry.plan_title}` : ""),
        entry.description ? h("p", {}, entry.description) : null,
        h("p", { class: "small" }, FIGURES.filter(([k]) => entry[k] !== null && entry[k] !== undefined)
          .map(([k, label]) => t(label, { value: fmtNum(entry[k], 0) })).join(" · ")),
        form));
    onSubmit(form, async (v, submitter) => {
      const status = submitter?.value || "approved";
      await put(`/api/meal-plans/${entry.plan_id}/entries/${entry.id}/review`, { status, comment: v.comment });
      const next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      total -= 1;
      if (!list.children.length && total > 0) await load();
      paint();
      toast(t("library.reviewed", { meal: entry.meal_name, status: statusText(status) }));
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
  return h("div", {}, h("h1", {}, t("library.review_title")), count, list, h("div", { class: "actions" }, more));
}

export async function exerciseLibrary(ctx) {
  const list = h("tbody");
  const search = h("input", { type: "search", id: "ex-search", placeholder: t("library.filter_placeholder") });
  let items = [];
  const mine = (e) => ctx.user.role === "admin" || e.created_by === ctx.user.id;
  const paint = () => {
    const q = search.value.trim().toLowerCase();
    const shown = items.filter((e) => !q || e.name.toLowerCase().includes(q) || (e.muscle_group || "").toLowerCase().includes(q));
    list.replaceChildren(...shown.map((e) => h("tr", {},
      h("th", { scope: "row" }, e.name, e.description ? h("div", { class: "small muted" }, e.description) : null),
      h("td", {}, e.muscle_group || "–"), h("td", {}, e.equipment || "–"),
      h("td", {}, mine(e) ? h("button", { type: "button", class: "small danger",
        "aria-label": t("library.delete_exercise_label", { name: e.name }),
        onclick: async (event) => {
          try {
            await del(`/api/exercises/${e.id}`);
            items = items.filter((x) => x.id !== e.id);
            forgetLibrary();
            paint();
            toast(t("library.exercise_deleted", { name: e.name }));
          } catch (error) {
            toast(error.status === 409 ? t("library.exercise_in_use", { name: e.name }) : error.message, "error");
            event.target.focus();
          }
        } }, t("library.delete")) : null))));
    if (!shown.length) list.replaceChildren(h("tr", {}, h("td", { colspan: 4 }, empty(t("library.no_exercises")))));
  };
  const load = async () => {
    items = (await all("/api/exercises", {}, 2000)).sort((a, b) => a.name.localeCompare(b.name));
    paint();
  };
  search.addEventListener("input", paint);
  const form = h("form", { class: "editor", novalidate: true, "aria-label": t("library.new_exercise") }, formAlert(),
    h("div", { class: "row" }, field(t("library.name"), "name", { required: true }),
      field(t("library.muscle_group"), "muscle_group"), field(t("library.equipment"), "equipment")),
    field(t("library.description"), "description"),
    field(t("library.instructions"), "instructions", { type: "textarea" }),
    field(t("library.video_url"), "video_url", { type: "url" }),
    h("button", { type: "submit", class: "primary" }, t("library.add_exercise")));
  onSubmit(form, async (v) => {
    const body = Object.fromEntries(Object.entries(v).filter(([, value]) => value !== null));
    const created = await post("/api/exercises", body);
    form.reset();
    forgetLibrary();
    await load();
    toast(t("library.exercise_added", { name: created.name }));
    form.querySelector("[name=name]").focus();
  });
  await load();
  return h("div", {}, h("h1", {}, t("library.library_title")),
    h("div", { class: "grid two" },
      section(t("library.the_library"), h("div", { class: "field inline" },
        h("label", { for: "ex-search" }, t("library.filter")), search),
        h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, h("tr", {},
          [t("library.col_exercise"), t("library.muscle_group"), t("library.equipment"), ""].map((text) =>
            h("th", { scope: "col" }, text)))), list))),
      section(t("library.add_section"), form)));
}

export async function invitesPage(ctx) {
  const admin = ctx.user.role === "admin";
  const list = h("tbody");
  const result = h("div", { class: "invite-result", "aria-live": "polite" });
  const load = async () => {
    const items = await all("/api/invites");
    list.replaceChildren(...items.map((i) => h("tr", {},
      h("td", {}, h("code", {}, i.code)), h("td", {}, roleText(i.role)), h("td", {}, i.email || "–"),
      h("td", {}, i.used_at ? t("library.invite_used", { when: fmtTime(i.used_at) })
        : t("library.invite_expires", { when: fmtTime(i.expires_at) })),
      h("td", {}, i.used_at ? null : h("button", { type: "button", class: "small danger",
        "aria-label": t("library.revoke_label", { code: i.code }), onclick: async () => {
          await del(`/api/invites/${encodeURIComponent(i.code)}`);
          toast(t("library.invite_revoked"));
          load();
        } }, t("library.revoke"))))));
    if (!items.length) list.replaceChildren(h("tr", {}, h("td", { colspan: 5 }, empty(t("library.no_invites")))));
  };
  const roles = (admin ? ["client", "trainer"] : ["client"]).map((role) => [role, t(ROLE_CHOICE[role])]);
  const form = h("form", { class: "editor", novalidate: true, "aria-label": t("library.new_invite") }, formAlert(),
    h("div", { class: "row" },
      field(t("library.invite_role"), "role", { choices: roles }),
      field(t("library.invite_email"), "email", { type: "email", hint: t("library.invite_email_hint") })),
    h("button", { type: "submit", class: "primary" }, t("library.create_invite")));
  onSubmit(form, async (v) => {
    const body = { role: v.role };
    if (v.email) body.email = v.email;
    const invite = await post("/api/invites", body);
    const url = `${location.origin}/invite/${encodeURIComponent(invite.code)}`;
    const box = h("input", { type: "text", readonly: true, value: url, id: "invite-link", class: "copy-box" });
    const copy = h("button", { type: "button", onclick: async () => {
      try { await navigator.clipboard.writeText(url); toast(t("library.link_copied")); } catch { box.select(); }
    } }, t("library.copy_link"));
    result.replaceChildren(h("div", { class: "notice" },
      h("label", { for: "invite-link" }, t(invite.role === "trainer" ? "library.send_link_trainer"
        : "library.send_link_client", { until: fmtTime(invite.expires_at) })),
      h("div", { class: "copy-row" }, box, copy)));
    box.focus();
    box.select();
    load();
  });
  await load();
  return h("div", {}, h("h1", {}, t("library.invites_title")), h("div", { class: "grid two" },
    section(t("library.invite_section"), form, result),
    section(t("library.open_invites"), h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, h("tr", {},
      [t("library.col_code"), t("library.col_role"), t("library.col_email"), t("library.col_status"), ""]
        .map((text) => h("th", { scope: "col" }, text)))), list)))));
}
