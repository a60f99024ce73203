// The Account page (issue 17): the signed-in user's own profile, password and sessions (where they are signed in),
// with "sign out" per session and "sign out everywhere else".
import { del, get, post, put, request } from "./api.js";
import { h, field, formAlert, onSubmit, link, section, empty, fmtTime, toast } from "./dom.js";

const PROFILE = [["Phone", "phone", "tel"], ["Date of birth", "date_of_birth", "date"], ["Height (cm)", "height_cm",
  "number"], ["Goals", "goals", "textarea"], ["Medical notes", "medical_notes", "textarea"]];

function profileForm(me, onSaved) {
  const profile = me.profile || {};
  const form = h("form", { class: "editor", novalidate: true, "aria-label": "Your profile" }, formAlert(),
    field("Full name", "full_name", { required: true, value: me.full_name, attrs: { autocomplete: "name" } }),
    ...(me.role === "client" ? PROFILE.map(([label, name, type]) => field(label, `profile.${name}`, {
      type, value: profile[name], attrs: type === "number" ? { step: "any", min: 50, max: 300 } : {} })) : []),
    h("button", { type: "submit", class: "primary" }, "Save profile"));
  onSubmit(form, async (v) => {
    const body = { full_name: v.full_name };
    if (me.role === "client") {
      body.profile = Object.fromEntries(PROFILE.map(([, name]) => [name, v[`profile.${name}`]]));
    }
    const saved = await put(`/api/users/${me.id}`, body);
    toast("Profile saved.");
    onSaved(saved);
  });
  return form;
}

function passwordForm() {
  const form = h("form", { class: "editor", novalidate: true, "aria-label": "Change your password" }, formAlert(),
    field("Current password", "current_password", { type: "password", required: true,
      attrs: { autocomplete: "current-password" } }),
    field("New password", "new_password", { type: "password", required: true, hint: "At least 8 characters.",
      attrs: { autocomplete: "new-password", minlength: 8 } }),
    h("button", { type: "submit", class: "primary" }, "Change password"));
  onSubmit(form, async (v) => {
    try {
      await post("/api/auth/password", { current_password: v.current_password || "", new_password: v.new_password });
    } catch (error) {
      if (error.status === 403) {
        throw { status: 422, detail: [{ loc: ["body", "current_password"], msg: "That is not your current password." }] };
      }
      if (error.status === 429) error.message = "Too many wrong attempts. Wait a few minutes, then try again.";
      throw error;
    }
    form.reset();
    toast("Password changed. Your other sessions were signed out.");
    form.dispatchEvent(new CustomEvent("elior:password-changed", { bubbles: true }));
  });
  return form;
}

/** A readable name for a user agent string: the browser and the system, or the string itself. */
export function deviceName(agent) {
  if (!agent) return "Unknown device";
  const browser = [["Edg/", "Edge"], ["Firefox/", "Firefox"], ["Chrome/", "Chrome"], ["Safari/", "Safari"]]
    .find(([key]) => agent.includes(key))?.[1];
  const system = [["Android", "Android"], ["iPhone", "iPhone"], ["iPad", "iPad"], ["Windows", "Windows"],
    ["Mac OS", "macOS"], ["Linux", "Linux"]].find(([key]) => agent.includes(key))?.[1];
  return browser || system ? [browser, system].filter(Boolean).join(" on ") : agent.slice(0, 60);
}

function sessionsBox() {
  const list = h("ul", { class: "sessions-list" });
  const others = h("button", { type: "button", class: "small danger" }, "Sign out everywhere else");
  const load = async () => {
    const page = await get("/api/auth/sessions", { limit: 100 });
    others.hidden = !page.items.some((s) => !s.current);
    list.replaceChildren(...(page.items.length ? page.items.map((s) => {
      const end = h("button", { type: "button", class: "small", "aria-label": `Sign out ${deviceName(s.user_agent)}` },
        s.current ? "Sign out here" : "Sign out");
      end.addEventListener("click", async () => {
        end.disabled = true;
        if (s.current) {
          await request("POST", "/api/auth/logout", { retried: true }).catch(() => {});
          location.assign("/session-ended?reason=" + encodeURIComponent("You have signed out."));
          return;
        }
        try { await del(`/api/auth/sessions/${s.id}`); toast("That session is signed out."); } catch (error) {
          toast(error.message, "error");
        }
        load();
      });
      return h("li", { class: s.current ? "session current" : "session", dataset: { session: s.id } },
        h("strong", {}, deviceName(s.user_agent)), s.current ? h("span", { class: "badge" }, " this device") : null,
        h("div", { class: "small muted" }, `Signed in ${fmtTime(s.created_at)} from ${s.address || "an unknown address"}`,
          ` · last active ${fmtTime(s.last_used_at)}`), end);
    }) : [empty("No sessions.")]));
  };
  others.addEventListener("click", async () => {
    others.disabled = true;
    try { await post("/api/auth/sessions/end-others"); toast("Signed out everywhere else."); } finally {
      others.disabled = false;
    }
    load();
  });
  return { node: h("div", {}, h("p", { class: "small" }, "Where your account is signed in. A session you do not " +
    "recognise? Sign it out, then change your password."), list, others), load };
}

export async function accountPage() {
  let me = await get("/api/auth/me");
  const head = h("p", { class: "lead" }, `${me.email} · ${me.role}`);
  const sessions = sessionsBox();
  const profileBox = h("div", {}, profileForm(me, (saved) => { me = saved; }));
  const password = passwordForm();
  password.addEventListener("elior:password-changed", () => sessions.load());
  await sessions.load();
  return h("div", { class: "account" }, h("h1", {}, "Account"), head,
    section("Profile", profileBox), section("Password", password), section("Sessions", sessions.node),
    // The rest of the account's settings live on pages of their own, reached from here rather than the header.
    section("More settings", h("ul", { class: "history" },
      h("li", {}, link("/security", "Two-factor sign-in and e-mail notifications")),
      h("li", {}, link("/units", "Units: kilograms or pounds, centimetres or inches")))));
}
