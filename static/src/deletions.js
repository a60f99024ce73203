// The admin's deletion requests (issue 18, docs/privacy.md): clients who asked for their account to be deleted, open
// requests first (GET /api/deletion-requests). Confirm deletes the client and everything of theirs for good
// (POST .../confirm); Reject keeps the account and closes the request (POST .../reject).
import { post } from "./api.js";
import { confirmButton, field, fmtTime, h, toast } from "./dom.js";
import { t } from "./i18n.js";
import { pagedList } from "./views.js";

// Keys, not texts: the catalogue is loaded after this module is evaluated.
const STATUS = { pending: "deletions.status_pending", rejected: "deletions.status_rejected",
  done: "deletions.status_done" };
const FILTERS = [["", "deletions.filter_all"], ["pending", "deletions.filter_pending"],
  ["rejected", "deletions.filter_rejected"], ["done", "deletions.filter_done"]];

/** One request as a list item; an open one has Confirm (asked first: it deletes everything) and Reject. */
function requestItem(r, reload) {
  // Once the account is gone the request keeps no name or email of it.
  const name = r.full_name || t("deletions.deleted_account");
  const decide = async (how, done) => {
    await post(`/api/deletion-requests/${r.id}/${how}`);
    toast(done);
    await reload();
  };
  const reject = h("button", { type: "button", class: "small",
    "aria-label": t("deletions.reject_label", { name }) }, t("deletions.reject"));
  reject.addEventListener("click", async () => {
    reject.disabled = true;
    try { await decide("reject", t("deletions.rejected", { name })); } catch (error) {
      toast(error.message, "error");
      reject.disabled = false;
    }
  });
  const actions = r.status === "pending" ? h("div", { class: "actions" },
    confirmButton(t("deletions.confirm"), t("deletions.confirm_question", { name }),
      () => decide("confirm", t("deletions.confirmed", { name })),
      { "aria-label": t("deletions.confirm_label", { name }) }),
    " ", reject) : null;
  return h("li", { class: `deletion-row ${r.status}`, dataset: { request: r.id } },
    h("div", { class: "deletion-who" }, h("strong", {}, name),
      r.email ? h("div", { class: "small muted" }, r.email) : null),
    h("span", { class: `pill ${r.status}` }, t(STATUS[r.status] || "deletions.status_pending")),
    h("div", { class: "small" }, t("deletions.asked", { when: fmtTime(r.created_at) }),
      r.decided_at ? h("div", {}, t("deletions.decided", { when: fmtTime(r.decided_at) })) : null),
    actions);
}

export async function deletionsPage() {
  const box = h("div", { class: "deletion-requests" });
  const filter = field(t("deletions.show"), "status",
    { choices: FILTERS.map(([value, key]) => [value, t(key)]), value: "" });
  const select = filter.querySelector("select");
  const load = async () => {
    const status = select.value;
    box.replaceChildren(await pagedList("/api/deletion-requests", status ? { status } : {},
      async (items) => items.map((r) => requestItem(r, load)),
      { className: "deletion-list", emptyText: t("deletions.none"), label: t("deletions.label") }));
  };
  select.addEventListener("change", () => load().catch((error) => toast(error.message, "error")));
  await load();
  return h("div", { class: "deletions" }, h("h1", {}, t("deletions.title")),
    h("p", { class: "lead" }, t("deletions.intro")), h("div", { class: "row filters" }, filter), box);
}
