// Signing in, the first-run setup, accepting an invite, and the screen shown when a session ends.
import { request, signIn } from "./api.js";
import { h, field, formAlert, onSubmit, link } from "./dom.js";

const authPage = (title, intro, form, footer) => h("div", { class: "auth" },
  h("div", { class: "auth-card" }, h("p", { class: "brand-big" }, "Elior"), h("h1", { tabindex: "-1" }, title),
    intro ? h("p", { class: "lead" }, intro) : null, form, footer));

// Two-factor (issue 17): when the password is right and the account uses two-factor, the server answers 401 with
// detail.code "two_factor_required" and the same form asks for the app's code (or a recovery code). When the
// studio requires two-factor and the account has none, it answers 403 "two_factor_enrolment_required" with an
// enrolment token, and the card turns into the enrolment steps (static/src/security.js).
export function signInView(ctx) {
  const second = h("div", { class: "two-factor-step", hidden: true },
    h("p", { class: "lead" }, "Enter the 6-digit code from your authenticator app."),
    field("Code", "code", { attrs: { autocomplete: "one-time-code", inputmode: "numeric", maxlength: 12 } }),
    field("Or a recovery code", "recovery_code", { hint: "One of the ten codes you saved; each works once.",
      attrs: { autocomplete: "off", maxlength: 40 } }));
  const form = h("form", { novalidate: true, "aria-label": "Sign in" },
    formAlert(),
    field("Email", "email", { type: "email", required: true, attrs: { autocomplete: "username" } }),
    field("Password", "password", { type: "password", required: true, attrs: { autocomplete: "current-password" } }),
    second,
    h("button", { type: "submit", class: "primary block" }, "Sign in"));
  onSubmit(form, async (v) => {
    if (!v.email || !v.password) {
      throw { status: 422, detail: [
        ...(v.email ? [] : [{ loc: ["body", "email"], msg: "Enter your email address." }]),
        ...(v.password ? [] : [{ loc: ["body", "password"], msg: "Enter your password." }])] };
    }
    try {
      if (second.hidden) await signIn(v.email, v.password);
      else await signInWithCode(v.email, v.password, v.code ? { code: v.code } : { recovery_code: v.recovery_code });
    } catch (error) {
      const code = error.detail?.code;
      if (code === "two_factor_required") {
        const asked = !second.hidden;
        second.hidden = false;
        form.querySelector("[name=code]").focus();
        if (!asked) return;  // the first time, just ask
        error.message = "That code did not work. Wait for the next code in the app (each works once) and try again.";
      } else if (code === "two_factor_enrolment_required") {
        const { enrolmentPanel } = await import("./security.js");
        form.replaceWith(enrolmentPanel(error.detail.enrolment_token, () => ctx.signedIn(ctx.query.get("next"))));
        return;
      } else if (error.status === 401) error.message = "That email and password do not match an account.";
      if (error.status === 429) error.message = "Too many attempts. Wait a few minutes, then try again.";
      throw error;
    }
    ctx.signedIn(ctx.query.get("next"));
  });
  return authPage("Sign in", "Trainers, clients and the studio owner sign in here.", form,
    h("p", { class: "small" }, "New here? Ask your trainer or the studio for an invite link."));
}

/** Sign in with the second factor (api.js's signIn sends email and password only; security.js adopts the pair). */
async function signInWithCode(email, password, second) {
  const tokens = await request("POST", "/api/auth/login", { body: { email, password, ...second }, auth: false });
  const { adoptTokens } = await import("./security.js");
  await adoptTokens(tokens);
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
