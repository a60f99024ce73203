// The owner's pages: users and roles, each trainer's clients, and the system (health, metrics, recent logs).
import { all, del, get, post, put } from "./api.js";
import { h, field, formAlert, onSubmit, link, section, empty, fmtTime, toast } from "./dom.js";

const ROLES = [["client", "Client"], ["trainer", "Trainer"], ["admin", "Admin"]];

function userForm(user, trainers, me, onChange) {
  const self = user.id === me.id;
  const trainerChoices = [["", "No trainer"], ...trainers.map((t) => [t.id, t.full_name])];
  const active = h("input", { type: "checkbox", name: "is_active", id: `active-${user.id}`, checked: user.is_active !== false
    && user.is_active !== 0, disabled: self });
  const remove = h("button", { type: "button", class: "small danger", disabled: self,
    "aria-label": `Delete ${user.full_name}` }, "Delete");
  let armed = null;
  remove.addEventListener("click", async () => {
    if (!armed) {
      // Two steps instead of a confirm() box: the second press within 5 s deletes.
      remove.textContent = "Press again to delete";
      armed = setTimeout(() => { remove.textContent = "Delete"; armed = null; }, 5000);
      return;
    }
    clearTimeout(armed);
    await del(`/api/users/${user.id}`);
    toast(`${user.full_name} deleted.`);
    onChange();
  });
  const form = h("form", { class: "user-row", novalidate: true, "aria-label": `Account of ${user.full_name}`,
    dataset: { user: user.id } }, formAlert(),
  h("div", { class: "who-cell" }, h("strong", {}, user.full_name), h("div", { class: "small muted" }, user.email)),
  field("Role", "role", { choices: ROLES, value: user.role, attrs: self ? { disabled: true } : {} }),
  field("Trainer", "trainer_id", { choices: trainerChoices, value: user.trainer_id ?? "",
    attrs: self || user.role !== "client" ? { disabled: true } : {} }),
  h("div", { class: "field check" }, active, h("label", { for: active.id }, "Active")),
  h("div", { class: "actions" }, h("button", { type: "submit", class: "small", disabled: self }, "Save"), remove,
    // A single-use password link to hand over in person (password_reset.js), for someone who gets no mail.
    self ? null : link(`/people/${user.id}/password-reset`, "Reset link", { class: "small" })));
  form.querySelector("[name=role]").addEventListener("change", (event) => {
    form.querySelector("[name=trainer_id]").disabled = event.target.value !== "client";
  });
  onSubmit(form, async (v) => {
    const body = { role: v.role, is_active: v.is_active,
      trainer_id: v.role === "client" && v.trainer_id ? Number(v.trainer_id) : null };
    await put(`/api/users/${user.id}`, body);
    toast(`${user.full_name} saved.`);
    onChange();
  });
  return form;
}

export async function usersPage(ctx) {
  const list = h("div", { class: "user-list" });
  const filters = h("form", { class: "row filters", role: "search", "aria-label": "Filter users" },
    field("Role", "role", { choices: [["", "All roles"], ...ROLES] }), field("Search", "q", { type: "search" }),
    h("button", { type: "submit" }, "Filter"));
  const pager = h("div", { class: "pager" });
  let offset = 0;
  const load = async () => {
    const role = filters.querySelector("[name=role]").value;
    const q = filters.querySelector("[name=q]").value.trim();
    const [page, trainers] = await Promise.all([get("/api/users", { role, q, limit: 50, offset }),
      all("/api/users", { role: "trainer" })]);
    list.replaceChildren(...(page.items.length ? page.items.map((u) => userForm(u, trainers, ctx.user, load))
      : [empty("No users match.")]));
    pager.replaceChildren(h("span", {}, `${page.total ? offset + 1 : 0}–${offset + page.items.length} of ${page.total}`),
      h("button", { type: "button", class: "small", disabled: offset === 0,
        onclick: () => { offset = Math.max(0, offset - 50); load(); } }, "Previous"),
      h("button", { type: "button", class: "small", disabled: offset + 50 >= page.total,
        onclick: () => { offset += 50; load(); } }, "Next"));
  };
  filters.addEventListener("submit", (event) => { event.preventDefault(); offset = 0; load(); });
  const trainers = await all("/api/users", { role: "trainer" });
  const create = h("form", { class: "editor", novalidate: true, "aria-label": "New user" }, formAlert(),
    h("div", { class: "row" }, field("Full name", "full_name", { required: true }),
      field("Email", "email", { type: "email", required: true }),
      field("Password", "password", { type: "password", required: true, hint: "At least 8 characters.",
        attrs: { autocomplete: "new-password" } }),
      field("Role", "role", { choices: ROLES, value: "client" }),
      field("Trainer", "trainer_id", { choices: [["", "No trainer"], ...trainers.map((t) => [t.id, t.full_name])] })),
    h("button", { type: "submit", class: "primary" }, "Create user"));
  onSubmit(create, async (v) => {
    const body = { full_name: v.full_name, email: v.email, password: v.password, role: v.role };
    if (v.role === "client" && v.trainer_id) body.trainer_id = Number(v.trainer_id);
    const user = await post("/api/users", body);
    create.reset();
    toast(`${user.full_name} created.`);
    await load();
  });
  await load();
  return h("div", {}, h("div", { class: "page-head" }, h("h1", {}, "Users and roles"),
    link("/invites", "Invite someone", { class: "button" })),
  section("Everyone", filters, list, pager), section("Create an account directly", create));
}

export async function trainersPage() {
  const [trainers, clients] = await Promise.all([all("/api/users", { role: "trainer" }), all("/api/users", { role: "client" })]);
  const groups = new Map(trainers.map((t) => [t.id, []]));
  const unassigned = [];
  for (const c of clients) (groups.get(c.trainer_id) || unassigned).push(c);
  const clientLinks = (list) => (list.length ? h("ul", { class: "plain" }, list.map((c) =>
    h("li", {}, link(`/clients/${c.id}`, c.full_name), h("span", { class: "muted small" }, ` ${c.email}`)))) : empty("No clients."));
  return h("div", {}, h("h1", {}, "Trainers and their clients"),
    h("div", { class: "grid two" },
      trainers.map((t) => section(`${t.full_name} (${groups.get(t.id).length})`,
        h("p", { class: "muted small" }, t.email), clientLinks(groups.get(t.id)))),
      section(`Without a trainer (${unassigned.length})`, clientLinks(unassigned),
        unassigned.length ? h("p", { class: "small" }, "Assign a trainer on the ", link("/admin/users", "Users"), " page.") : null)));
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
      h("dt", {}, "uptime"), h("dd", {}, `${Math.round((m.uptime_seconds || 0) / 60)} min`),
      h("dt", {}, "requests"), h("dd", {}, `${total} (${failed} server errors)`),
      h("dt", {}, "database queries"), h("dd", {}, `${db.queries ?? "–"}, ${db.errors ?? 0} errors, average `
        + (db.queries ? fmtS(db.seconds / db.queries) : "–")),
      h("dt", {}, "failed logins"), h("dd", {}, String(m.login_failures ?? "–")),
      h("dt", {}, "open live sockets"), h("dd", {}, String(m.open_sockets ?? "–"))),
    h("div", { class: "table-wrap" }, h("table", { class: "compact" },
      h("caption", {}, "Latency by route"),
      h("thead", {}, h("tr", {}, ["Route", "Requests", "Average", "95% under (s)"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, (m.latency || []).sort((a, b) => b.count - a.count).map((r) => h("tr", {},
        h("th", { scope: "row" }, `${r.method} ${r.route}`), h("td", {}, r.count),
        h("td", {}, fmtS(r.sum_seconds / Math.max(1, r.count))), h("td", {}, quantile(r.buckets, r.count, 0.95))))))),
    tree(rest));
}
export async function systemPage() {
  const logsBody = h("tbody");
  const level = field("Level", "level", { choices: [["", "All"], ["DEBUG", "Debug"], ["INFO", "Info"],
    ["WARNING", "Warning"], ["ERROR", "Error"]] });
  const loadLogs = async () => {
    const answer = await get("/api/system/logs", { level: level.querySelector("select").value, limit: 100 });
    const records = Array.isArray(answer) ? answer : answer.items || answer.records || [];
    logsBody.replaceChildren(...records.map((r) => {
      const { at, time, level: lvl, message, logger, method, path, status, duration_ms: ms, ...rest } = r;
      const said = method && path ? `${method} ${path} → ${status} in ${ms} ms` : message;
      return h("tr", { class: `log ${String(lvl || "").toLowerCase()}` },
        h("td", {}, fmtTime(at || time)), h("td", {}, lvl || ""),
        h("td", {}, said || "", logger ? h("div", { class: "small muted" }, logger) : null),
        h("td", { class: "small mono" }, Object.keys(rest).length ? JSON.stringify(rest) : ""));
    }));
    if (!records.length) logsBody.replaceChildren(h("tr", {}, h("td", { colspan: 4 }, empty("No records."))));
  };
  level.querySelector("select").addEventListener("change", loadLogs);
  const [health, metrics] = await Promise.all([get("/api/system/health"), get("/api/system/metrics")]);
  await loadLogs();
  return h("div", {}, h("h1", {}, "System"), h("div", { class: "grid two" },
    section("Health", tree(health)), section("Metrics", metricsView(metrics))),
  section("Recent logs", h("div", { class: "row" }, level,
    h("button", { type: "button", onclick: loadLogs }, "Refresh")),
  h("div", { class: "table-wrap" }, h("table", { class: "compact logs" }, h("thead", {}, h("tr", {},
    ["Time", "Level", "Message", "Details"].map((t) => h("th", { scope: "col" }, t)))), logsBody))));
}
