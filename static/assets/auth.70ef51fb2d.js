// Signing in, the first-run setup, accepting an invite, and the screen shown when a session ends.
import { request, signIn } from "./api.2764f6f883.js";
import { h, field, formAlert, onSubmit, link } from "./dom.7fd3a2da85.js";

const authPage = (title, intro, form, footer) => h("div", { class: "auth" },
  h("div", { class: "auth-card" }, h("p", { class: "brand-big" }, "Elior"), h("h1", { tabindex: "-1" }, title),
    intro ? h("p", { class: "lead" }, intro) : null, form, footer));

export function signInView(ctx) {
  const form = h("form", { novalidate: true, "aria-label": "Sign in" },
    formAlert(),
    field("Email", "email", { type: "email", required: true, attrs: { autocomplete: "username" } }),
    field("Password", "password", { type: "password", required: true, attrs: { autocomplete: "current-password" } }),
    h("button", { type: "submit", class: "primary block" }, "Sign in"));
  onSubmit(form, async (v) => {
    if (!v.email || !v.password) {
      throw { status: 422, detail: [
        ...(v.email ? [] : [{ loc: ["body", "email"], msg: "Enter your email address." }]),
        ...(v.password ? [] : [{ loc: ["body", "password"], msg: "Enter your password." }])] };
    }
    try {
      await signIn(v.email, v.password);
    } catch (error) {
      if (error.status === 401) error.message = "That email and password do not match an account.";
      if (error.status === 429) error.message = "Too many attempts. Wait a few minutes, then try again.";
      throw error;
    }
    ctx.signedIn(ctx.query.get("next"));
  });
  return authPage("Sign in", "Trainers, clients and the studio owner sign in here.", form,
    h("p", { class: "small" }, "New here? Ask your trainer or the studio for an invite link."));
}

export function setupView(ctx) {
  const token = ctx.query.get("token") || "";
  const form = h("form", { novalidate: true, "aria-label": "Create the owner's account" },
    formAlert(),
    field("Setup token", "token", { value: token, required: true,
      hint: "From the setup link the server printed when it started." }),
    field("Your name", "full_name", { required: true, attrs: { autocomplete: "name" } }),
    field("Email", "email", { type: "email", required: true, attrs: { autocomplete: "username" } }),
    field("Password", "password", { type: "password", required: true,
      hint: "At least 8 characters.", attrs: { autocomplete: "new-password", minlength: 8 } }),
    h("button", { type: "submit", class: "primary block" }, "Create the owner's account"));
  onSubmit(form, async (v) => {
    try {
      await request("POST", "/api/auth/setup", { body: v, auth: false });
    } catch (error) {
      if (error.status === 404) error.message = "The studio already has an owner. Sign in instead.";
      if (error.status === 403) error.message = "This setup link is not valid. Use the one the server printed.";
      throw error;
    }
    await signIn(v.email, v.password);
    ctx.signedIn("/admin/users");
  });
  return authPage("Set up your studio", "Create the owner's (admin) account. This works once.", form,
    h("p", { class: "small" }, "Already set up? ", link("/signin", "Sign in")));
}

export function inviteView(ctx) {
  const code = ctx.params.code;
  const form = h("form", { novalidate: true, "aria-label": "Create your account" },
    formAlert(),
    field("Your name", "full_name", { required: true, attrs: { autocomplete: "name" } }),
    field("Email", "email", { type: "email", required: true, attrs: { autocomplete: "username" } }),
    field("Password", "password", { type: "password", required: true, hint: "At least 8 characters.",
      attrs: { autocomplete: "new-password", minlength: 8 } }),
    h("button", { type: "submit", class: "primary block" }, "Create my account"));
  onSubmit(form, async (v) => {
    try {
      await request("POST", "/api/auth/register", { body: { ...v, invite_code: code }, auth: false });
    } catch (error) {
      if (error.status === 410) error.message = "This invite has been used or has expired. Ask for a new one.";
      if (error.status === 404) error.message = "This invite link is not valid. Ask for a new one.";
      throw error;
    }
    await signIn(v.email, v.password);
    ctx.signedIn("/");
  });
  return authPage("You're invited", "Create your account to join the studio.", form,
    h("p", { class: "small" }, "Already have an account? ", link("/signin", "Sign in")));
}

export function endedView(ctx) {
  const reason = ctx.query.get("reason") || "You have been signed out.";
  return authPage("Session ended", null, h("div", {},
    h("p", { class: "lead" }, reason),
    h("p", {}, "Nothing you saved is lost. Sign in again to carry on."),
    link(`/signin${ctx.query.get("next") ? `?next=${encodeURIComponent(ctx.query.get("next"))}` : ""}`,
      "Sign in again", { class: "button primary block" })), null);
}
