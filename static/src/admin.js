// The owner's pages: users and roles, each trainer's clients, and the system (health, metrics, recent logs).
import { all, del, get, post, put } from "./api.js";
import { h, field, formAlert, onSubmit, link, section, empty, fmtTime, toast } from "./dom.js";
import { t } from "./i18n.js";
import { importSection, mailSection } from "./system_extras.js";  // mail status and client import

const ROLES = [["client", "admin.role_client"], ["trainer", "admin.role_trainer"], ["admin", "admin.role_admin"]];
/** The role choices in the current language (the catalogue is loaded after this module is evaluated). */
const roleChoices = () => ROLES.map(([value, key]) => [value, t(key)]);
const trainerChoices = (trainers) => [["", t("admin.no_trainer")], ...trainers.map((x) => [x.id, x.full_name])];

function userForm(user, trainers, me, onChange) {
  const self = user.id === me.id;
  const active = h("input", { type: "checkbox", name: "is_active", id: `active-${user.id}`, checked: user.is_active !== false
    && user.is_active !== 0, disabled: self });
  const remove = h("button", { type: "button", class: "small danger", disabled: self,
    "aria-label": t("admin.delete_user", { name: user.full_name }) }, t("admin.delete"));
  let armed = null;
  remove.addEventListener("click", async () => {
    if (!armed) {
      // Two steps instead of a confirm() box: the second press within 5 s deletes.
      remove.textContent = t("admin.delete_again");
      armed = setTimeout(() => { remove.textContent = t("admin.delete"); armed = null; }, 5000);
      return;
    }
    clearTimeout(armed);
    await del(`/api/users/${user.id}`);
    toast(t("admin.deleted", { name: user.full_name }));
    onChange();
  });
  const form = h("form", { class: "user-row", novalidate: true, "aria-label": t("admin.account_of", { name: user.full_name }),
    dataset: { user: user.id } }, formAlert(),
  h("div", { class: "who-cell" }, h("strong", {}, user.full_name), h("div", { class: "small muted" }, user.email)),
  field(t("admin.role"), "role", { choices: roleChoices(), value: user.role, attrs: self ? { disabled: true } : {} }),
  field(t("admin.trainer"), "trainer_id", { choices: trainerChoices(trainers), value: user.trainer_id ?? "",
    attrs: self || user.role !== "client" ? { disabled: true } : {} }),
  h("div", { class: "field check" }, active, h("label", { for: active.id }, t("admin.active"))),
  h("div", { class: "actions" }, h("button", { type: "submit", class: "small", disabled: self }, t("admin.save")), remove,
    // A single-use password link to hand over in person (password_reset.js), for someone who gets no mail.
    self ? null : link(`/people/${user.id}/password-reset`, t("admin.reset_link"), { class: "small" })));
  form.querySelector("[name=role]").addEventListener("change", (event) => {
    form.querySelector("[name=trainer_id]").disabled = event.target.value !== "client";
  });
  onSubmit(form, async (v) => {
    const body = { role: v.role, is_active: v.is_active,
      trainer_id: v.role === "client" && v.trainer_id ? Number(v.trainer_id) : null };
    await put(`/api/users/${user.id}`, body);
    toast(t("admin.saved", { name: user.full_name }));
    onChange();
  });
  return form;
}

export async function usersPage(ctx) {
  const list = h("div", { class: "user-list" });
  const filters = h("form", { class: "row filters", role: "search", "aria-label": t("admin.filter_users") },
    field(t("admin.role"), "role", { choices: [["", t("admin.all_roles")], ...roleChoices()] }),
    field(t("admin.search"), "q", { type: "search" }), h("button", { type: "submit" }, t("admin.filter")));
  const pager = h("div", { class: "pager" });
  let offset = 0;
  const load = async () => {
    const role = filters.querySelector("[name=role]").value;
    const q = filters.querySelector("[name=q]").value.trim();
    const [page, trainers] = await Promise.all([get("/api/users", { role, q, limit: 50, offset }),
      all("/api/users", { role: "trainer" })]);
    list.replaceChildren(...(page.items.length ? page.items.map((u) => userForm(u, trainers, ctx.user, load))
      : [empty(t("admin.no_users"))]));
    pager.replaceChildren(h("span", {}, t("admin.pager",
      { first: page.total ? offset + 1 : 0, last: offset + page.items.length, total: page.total })),
      h("button", { type: "button", class: "small", disabled: offset === 0,
        onclick: () => { offset = Math.max(0, offset - 50); load(); } }, t("admin.previous")),
      h("button", { type: "button", class: "small", disabled: offset + 50 >= page.total,
        onclick: () => { offset += 50; load(); } }, t("admin.next")));
  };
  filters.addEventListener("submit", (event) => { event.preventDefault(); offset = 0; load(); });
  const trainers = await all("/api/users", { role: "trainer" });
  const create = h("form", { class: "editor", novalidate: true, "aria-label": t("admin.new_user") }, formAlert(),
    h("div", { class: "row" }, field(t("admin.full_name"), "full_name", { required: true }),
      field(t("admin.email"), "email", { type: "email", required: true }),
      field(t("admin.password"), "password", { type: "password", required: true, hint: t("admin.password_hint"),
        attrs: { autocomplete: "new-password" } }),
      field(t("admin.role"), "role", { choices: roleChoices(), value: "client" }),
      field(t("admin.trainer"), "trainer_id", { choices: trainerChoices(trainers) })),
    h("button", { type: "submit", class: "primary" }, t("admin.create_user")));
  onSubmit(create, async (v) => {
    const body = { full_name: v.full_name, email: v.email, password: v.password, role: v.role };
    if (v.role === "client" && v.trainer_id) body.trainer_id = Number(v.trainer_id);
    const user = await post("/api/users", body);
    create.reset();
    toast(t("admin.created", { name: user.full_name }));
    await load();
  });
  await load();
  return h("div", {}, h("div", { class: "page-head" }, h("h1", {}, t("admin.users_title")),
    link("/invites", t("admin.invite_someone"), { class: "button" })),
  section(t("admin.everyone"), filters, list, pager), section(t("admin.create_directly"), create));
}

export async function trainersPage() {
  const [trainers, clients] = await Promise.all([all("/api/users", { role: "trainer" }), all("/api/users", { role: "client" })]);
  const groups = new Map(trainers.map((x) => [x.id, []]));
  const unassigned = [];
  for (const c of clients) (groups.get(c.trainer_id) || unassigned).push(c);
  const clientLinks = (list) => (list.length ? h("ul", { class: "plain" }, list.map((c) =>
    h("li", {}, link(`/clients/${c.id}`, c.full_name), h("span", { class: "muted small" }, ` ${c.email}`))))
    : empty(t("admin.no_clients")));
  return h("div", {}, h("h1", {}, t("admin.trainers_title")),
    h("div", { class: "grid two" },
      trainers.map((x) => section(`${x.full_name} (${groups.get(x.id).length})`,
        h("p", { class: "muted small" }, x.email), clientLinks(groups.get(x.id)))),
      section(t("admin.without_trainer", { count: unassigned.length }), clientLinks(unassigned),
        unassigned.length ? h("p", { class: "small" }, withLink(t("admin.assign_hint"), "{users}",
          link("/admin/users", t("admin.assign_hint_users")))) : null)));
}

/** A translated sentence with a link in it: `marker` in the text is where the link goes (its place depends on the
 * language's word order, so the sentence is one key and not fragments). */
function withLink(text, marker, node) {
  const at = text.indexOf(marker);
  return at < 0 ? [text, " ", node] : [text.slice(0, at), node, text.slice(at + marker.length)];
}

const bytes = (n) => (n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${n} B`);

/** Any JSON as nested definition lists, as text. */
function tree(value, key = "") {
  if (value === null || typeof value !== "object") {
    const text = value === null ? "–" : typeof value === "number" && /bytes/.test(key) ? bytes(value) : String(value);
    return h("span", {}, text);
  }
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== "object")) return h("span", {}, value.join(", "));
  return h("dl", { class: "tree" }, Object.entries(value).flatMap(([k, v]) => [h("dt", {}, k.replace(/_/g, " ")),
    h("dd", {}, tree(v, k))]));
}

/** The upper bound of the bucket holding the q-th share of a Prometheus-style cumulative histogram. */
function quantile(buckets, count, q) {
  const hit = Object.entries(buckets || {}).find(([, cumulative]) => cumulative >= count * q);
  return hit ? hit[0] : "?";
}

function metricsView(m) {
  const requests = m.requests || [];
  const total = requests.reduce((n, r) => n + r.count, 0);
  const failed = requests.filter((r) => r.status >= 500).reduce((n, r) => n + r.count, 0);
  const db = m.database || {};
  const known = new Set(["requests", "latency", "database", "uptime_seconds", "login_failures", "open_sockets"]);
  const rest = Object.fromEntries(Object.entries(m).filter(([k]) => !known.has(k)));
  const fmtS = (s) => `${(s * 1000).toFixed(1)} ms`;
  return h("div", {},
    h("dl", { class: "tree" },
      h("dt", {}, t("admin.uptime")),
      h("dd", {}, t("admin.minutes", { minutes: Math.round((m.uptime_seconds || 0) / 60) })),
      h("dt", {}, t("admin.requests")), h("dd", {}, t("admin.requests_value", { total, failed })),
      h("dt", {}, t("admin.db_queries")), h("dd", {}, t("admin.db_queries_value", { queries: db.queries ?? "–",
        errors: db.errors ?? 0, average: db.queries ? fmtS(db.seconds / db.queries) : "–" })),
      h("dt", {}, t("admin.failed_logins")), h("dd", {}, String(m.login_failures ?? "–")),
      h("dt", {}, t("admin.open_sockets")), h("dd", {}, String(m.open_sockets ?? "–"))),
    h("div", { class: "table-wrap" }, h("table", { class: "compact" },
      h("caption", {}, t("admin.latency_caption")),
      h("thead", {}, h("tr", {}, [t("admin.col_route"), t("admin.col_requests"), t("admin.col_average"),
        t("admin.col_p95")].map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, (m.latency || []).sort((a, b) => b.count - a.count).map((r) => h("tr", {},
        h("th", { scope: "row" }, `${r.method} ${r.route}`), h("td", {}, r.count),
        h("td", {}, fmtS(r.sum_seconds / Math.max(1, r.count))), h("td", {}, quantile(r.buckets, r.count, 0.95))))))),
    tree(rest));
}
export async function systemPage() {
  const logsBody = h("tbody");
  const level = field(t("admin.level"), "level", { choices: [["", t("admin.level_all")], ["DEBUG", t("admin.level_debug")],
    ["INFO", t("admin.level_info")], ["WARNING", t("admin.level_warning")], ["ERROR", t("admin.level_error")]] });
  const loadLogs = async () => {
    const answer = await get("/api/system/logs", { level: level.querySelector("select").value, limit: 100 });
    const records = Array.isArray(answer) ? answer : answer.items || answer.records || [];
    logsBody.replaceChildren(...records.map((r) => {
      const { at, time, level: lvl, message, logger, method, path, status, duration_ms: ms, ...rest } = r;
      // Status and duration as they were logged (strings: t() would group the digits of a number).
      const said = method && path ? t("admin.log_request", { method, path, status: String(status), ms: String(ms) })
        : message;
      return h("tr", { class: `log ${String(lvl || "").toLowerCase()}` },
        h("td", {}, fmtTime(at || time)), h("td", {}, lvl || ""),
        h("td", {}, said || "", logger ? h("div", { class: "small muted" }, logger) : null),
        h("td", { class: "small mono" }, Object.keys(rest).length ? JSON.stringify(rest) : ""));
    }));
    if (!records.length) logsBody.replaceChildren(h("tr", {}, h("td", { colspan: 4 }, empty(t("admin.no_records")))));
  };
  level.querySelector("select").addEventListener("change", loadLogs);
  const [health, metrics, mail, importer] = await Promise.all([get("/api/system/health"), get("/api/system/metrics"),
    mailSection(), importSection()]);
  await loadLogs();
  return h("div", {}, h("h1", {}, t("admin.system_title")), h("div", { class: "grid two" },
    section(t("admin.health"), tree(health)), section(t("admin.metrics"), metricsView(metrics))),
  h("div", { class: "grid two" }, mail, importer),
  section(t("admin.recent_logs"), h("div", { class: "row" }, level,
    h("button", { type: "button", onclick: loadLogs }, t("admin.refresh"))),
  h("div", { class: "table-wrap" }, h("table", { class: "compact logs" }, h("thead", {}, h("tr", {},
    [t("admin.col_time"), t("admin.level"), t("admin.col_message"), t("admin.col_details")]
      .map((text) => h("th", { scope: "col" }, text)))), logsBody))));
}
