// Signing in, the first-run setup, accepting an invite, and the screen shown when a session ends.
import { request, signIn } from "./api.js";
import { h, field, formAlert, onSubmit, link } from "./dom.js";
import { t } from "./i18n.js";

const authPage = (title, intro, form, footer) => h("div", { class: "auth" },
  h("div", { class: "auth-card" }, h("p", { class: "brand-big" }, "Elior"), h("h1", { tabindex: "-1" }, title),
    intro ? h("p", { class: "lead" }, intro) : null, form, footer));

// Two-factor (issue 17): when the password is right and the account uses two-factor, the server answers 401 with
// detail.code "two_factor_required" and the same form asks for the app's code (or a recovery code). When the
// studio requires two-factor and the account has none, it answers 403 "two_factor_enrolment_required" with an
// enrolment token, and the card turns into the enrolment steps (static/src/security.js).
export function signInView(ctx) {
  const second = h("div", { class: "two-factor-step", hidden: true },
    h("p", { class: "lead" }, t("auth.two_factor_intro")),
    field(t("auth.code"), "code", { attrs: { autocomplete: "one-time-code", inputmode: "numeric", maxlength: 12 } }),
    field(t("auth.recovery_code"), "recovery_code", { hint: t("auth.recovery_code_hint"),
      attrs: { autocomplete: "off", maxlength: 40 } }));
  const form = h("form", { novalidate: true, "aria-label": t("auth.sign_in") },
    formAlert(),
    field(t("auth.email"), "email", { type: "email", required: true, attrs: { autocomplete: "username" } }),
    field(t("auth.password"), "password", { type: "password", required: true,
      attrs: { autocomplete: "current-password" } }),
    second,
    h("button", { type: "submit", class: "primary block" }, t("auth.sign_in")));
  onSubmit(form, async (v) => {
    if (!v.email || !v.password) {
      throw { status: 422, detail: [
        ...(v.email ? [] : [{ loc: ["body", "email"], msg: t("auth.enter_email") }]),
        ...(v.password ? [] : [{ loc: ["body", "password"], msg: t("auth.enter_password") }])] };
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
        error.message = t("auth.code_failed");
      } else if (code === "two_factor_enrolment_required") {
        const { enrolmentPanel } = await import("./security.js");
        form.replaceWith(enrolmentPanel(error.detail.enrolment_token, () => ctx.signedIn(ctx.query.get("next"))));
        return;
      } else if (error.status === 401) error.message = t("auth.no_match");
      if (error.status === 429) error.message = t("auth.too_many");
      throw error;
    }
    ctx.signedIn(ctx.query.get("next"));
  });
  return authPage(t("auth.sign_in"), t("auth.sign_in_intro"), form, h("p", { class: "small" }, t("auth.new_here")));
}

/** Sign in with the second factor (api.js's signIn sends email and password only; security.js adopts the pair). */
async function signInWithCode(email, password, second) {
  const tokens = await request("POST", "/api/auth/login", { body: { email, password, ...second }, auth: false });
  const { adoptTokens } = await import("./security.js");
  await adoptTokens(tokens);
}

export function setupView(ctx) {
  const token = ctx.query.get("token") || "";
  const form = h("form", { novalidate: true, "aria-label": t("auth.create_owner") },
    formAlert(),
    field(t("auth.setup_token"), "token", { value: token, required: true, hint: t("auth.setup_token_hint") }),
    field(t("auth.your_name"), "full_name", { required: true, attrs: { autocomplete: "name" } }),
    field(t("auth.email"), "email", { type: "email", required: true, attrs: { autocomplete: "username" } }),
    field(t("auth.password"), "password", { type: "password", required: true,
      hint: t("auth.password_hint"), attrs: { autocomplete: "new-password", minlength: 8 } }),
    h("button", { type: "submit", class: "primary block" }, t("auth.create_owner")));
  onSubmit(form, async (v) => {
    try {
      await request("POST", "/api/auth/setup", { body: v, auth: false });
    } catch (error) {
      if (error.status === 404) error.message = t("auth.already_owned");
      if (error.status === 403) error.message = t("auth.setup_invalid");
      throw error;
    }
    await signIn(v.email, v.password);
    ctx.signedIn("/admin/users");
  });
  return authPage(t("auth.setup_title"), t("auth.setup_intro"), form,
    h("p", { class: "small" }, t("auth.already_set_up"), " ", link("/signin", t("auth.sign_in"))));
}

export function inviteView(ctx) {
  const code = ctx.params.code;
  const form = h("form", { novalidate: true, "aria-label": t("auth.create_account") },
    formAlert(),
    field(t("auth.your_name"), "full_name", { required: true, attrs: { autocomplete: "name" } }),
    field(t("auth.email"), "email", { type: "email", required: true, attrs: { autocomplete: "username" } }),
    field(t("auth.password"), "password", { type: "password", required: true, hint: t("auth.password_hint"),
      attrs: { autocomplete: "new-password", minlength: 8 } }),
    h("button", { type: "submit", class: "primary block" }, t("auth.create_my_account")));
  onSubmit(form, async (v) => {
    try {
      await request("POST", "/api/auth/register", { body: { ...v, invite_code: code }, auth: false });
    } catch (error) {
      if (error.status === 410) error.message = t("auth.invite_used");
      if (error.status === 404) error.message = t("auth.invite_invalid");
      throw error;
    }
    await signIn(v.email, v.password);
    ctx.signedIn("/");
  });
  return authPage(t("auth.invited_title"), t("auth.invited_intro"), form,
    h("p", { class: "small" }, t("auth.have_account"), " ", link("/signin", t("auth.sign_in"))));
}

export function endedView(ctx) {
  // The reason comes in the page's address, in the words of whoever ended the session (already translated).
  const reason = ctx.query.get("reason") || t("auth.signed_out_default");
  return authPage(t("auth.ended_title"), null, h("div", {},
    h("p", { class: "lead" }, reason),
    h("p", {}, t("auth.ended_lost_nothing")),
    link(`/signin${ctx.query.get("next") ? `?next=${encodeURIComponent(ctx.query.get("next"))}` : ""}`,
      t("auth.sign_in_again"), { class: "button primary block" })), null);
}
