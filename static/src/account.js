// The Account page (issue 17): the signed-in user's own profile, photo (static/src/avatar.js), password and sessions
// (where they are signed in), with "sign out" per session and "sign out everywhere else"; a client's documents
// (static/src/documents.js).
import { del, get, post, put, request } from "./api.js";
import { avatarSection } from "./avatar.js";
import { documentsPanel } from "./documents.js";
import { h, field, formAlert, onSubmit, link, section, empty, fmtTime, toast } from "./dom.js";
import { t } from "./i18n.js";
import { privacySections } from "./privacy.js";  // a client's access log and account deletion

// Keys, not texts: the catalogue is loaded after this module is evaluated.
const PROFILE = [["account.phone", "phone", "tel"], ["account.date_of_birth", "date_of_birth", "date"],
  ["account.height_cm", "height_cm", "number"], ["account.goals", "goals", "textarea"],
  ["account.medical_notes", "medical_notes", "textarea"]];
const ROLES = { admin: "account.role_admin", trainer: "account.role_trainer", client: "account.role_client" };

function profileForm(me, onSaved) {
  const profile = me.profile || {};
  const form = h("form", { class: "editor", novalidate: true, "aria-label": t("account.profile_form") }, formAlert(),
    field(t("account.full_name"), "full_name", { required: true, value: me.full_name,
      attrs: { autocomplete: "name" } }),
    ...(me.role === "client" ? PROFILE.map(([label, name, type]) => field(t(label), `profile.${name}`, {
      type, value: profile[name], attrs: type === "number" ? { step: "any", min: 50, max: 300 } : {} })) : []),
    h("button", { type: "submit", class: "primary" }, t("account.save_profile")));
  onSubmit(form, async (v) => {
    const body = { full_name: v.full_name };
    if (me.role === "client") {
      body.profile = Object.fromEntries(PROFILE.map(([, name]) => [name, v[`profile.${name}`]]));
    }
    const saved = await put(`/api/users/${me.id}`, body);
    toast(t("account.profile_saved"));
    onSaved(saved);
  });
  return form;
}

function passwordForm() {
  const form = h("form", { class: "editor", novalidate: true, "aria-label": t("account.password_form") }, formAlert(),
    field(t("account.current_password"), "current_password", { type: "password", required: true,
      attrs: { autocomplete: "current-password" } }),
    field(t("account.new_password"), "new_password", { type: "password", required: true,
      hint: t("account.password_hint"), attrs: { autocomplete: "new-password", minlength: 8 } }),
    h("button", { type: "submit", class: "primary" }, t("account.change_password")));
  onSubmit(form, async (v) => {
    try {
      await post("/api/auth/password", { current_password: v.current_password || "", new_password: v.new_password });
    } catch (error) {
      if (error.status === 403) {
        throw { status: 422, detail: [{ loc: ["body", "current_password"], msg: t("account.wrong_password") }] };
      }
      if (error.status === 429) error.message = t("account.too_many_attempts");
      throw error;
    }
    form.reset();
    toast(t("account.password_changed"));
    form.dispatchEvent(new CustomEvent("elior:password-changed", { bubbles: true }));
  });
  return form;
}

/** A readable name for a user agent string: the browser and the system, or the string itself. */
export function deviceName(agent) {
  if (!agent) return t("account.unknown_device");
  const browser = [["Edg/", "Edge"], ["Firefox/", "Firefox"], ["Chrome/", "Chrome"], ["Safari/", "Safari"]]
    .find(([key]) => agent.includes(key))?.[1];
  const system = [["Android", "Android"], ["iPhone", "iPhone"], ["iPad", "iPad"], ["Windows", "Windows"],
    ["Mac OS", "macOS"], ["Linux", "Linux"]].find(([key]) => agent.includes(key))?.[1];
  if (browser && system) return t("account.browser_on_system", { browser, system });
  return browser || system || agent.slice(0, 60);
}

function sessionLine(s) {
  const times = { created: fmtTime(s.created_at), used: fmtTime(s.last_used_at) };
  return s.address ? t("account.session_line", { ...times, address: s.address })
    : t("account.session_line_no_address", times);
}

function sessionsBox() {
  const list = h("ul", { class: "sessions-list" });
  const others = h("button", { type: "button", class: "small danger" }, t("account.sign_out_others"));
  const load = async () => {
    const page = await get("/api/auth/sessions", { limit: 100 });
    others.hidden = !page.items.some((s) => !s.current);
    list.replaceChildren(...(page.items.length ? page.items.map((s) => {
      const end = h("button", { type: "button", class: "small",
        "aria-label": t("account.sign_out_device", { device: deviceName(s.user_agent) }) },
      s.current ? t("account.sign_out_here") : t("account.sign_out"));
      end.addEventListener("click", async () => {
        end.disabled = true;
        if (s.current) {
          await request("POST", "/api/auth/logout", { retried: true }).catch(() => {});
          location.assign("/session-ended?reason=" + encodeURIComponent(t("account.signed_out")));
          return;
        }
        try { await del(`/api/auth/sessions/${s.id}`); toast(t("account.session_ended")); } catch (error) {
          toast(error.message, "error");
        }
        load();
      });
      return h("li", { class: s.current ? "session current" : "session", dataset: { session: s.id } },
        h("strong", {}, deviceName(s.user_agent)),
        s.current ? h("span", { class: "badge" }, " ", t("account.this_device")) : null,
        h("div", { class: "small muted" }, sessionLine(s)), end);
    }) : [empty(t("account.no_sessions"))]));
  };
  others.addEventListener("click", async () => {
    others.disabled = true;
    try { await post("/api/auth/sessions/end-others"); toast(t("account.others_signed_out")); } finally {
      others.disabled = false;
    }
    load();
  });
  return { node: h("div", {}, h("p", { class: "small" }, t("account.sessions_intro")), list, others), load };
}

export async function accountPage() {
  let me = await get("/api/auth/me");
  const head = h("p", { class: "lead" }, `${me.email} · ${ROLES[me.role] ? t(ROLES[me.role]) : me.role}`);
  const sessions = sessionsBox();
  const profileBox = h("div", {}, profileForm(me, (saved) => { me = saved; }));
  const password = passwordForm();
  password.addEventListener("elior:password-changed", () => sessions.load());
  const [photo, documents, , privacy] = await Promise.all([avatarSection(me),
    me.role === "client" ? documentsPanel(me.id, { title: t("account.my_documents") }) : null,
    sessions.load(), me.role === "client" ? privacySections(me) : null]);
  return h("div", { class: "account" }, h("h1", {}, t("account.title")), head,
    section(t("account.profile"), profileBox), photo, documents,
    section(t("account.password"), password), section(t("account.sessions"), sessions.node),
    privacy,
    // The rest of the account's settings live on pages of their own, reached from here rather than the header.
    section(t("account.more_settings"), h("ul", { class: "history" },
      h("li", {}, link("/security", t("account.link_security"))),
      h("li", {}, link("/units", t("account.link_units"))))));
}
