// Forgotten passwords (issue 17): asking for a link by mail, the link's page that sets a new password, and the
// hand-over link an admin (anyone) or a trainer (their own clients) makes to give to someone in person.
// The link is /reset#<token>: the token is the URL's fragment, which the browser never sends to a server.
import { request, post } from "./api.js";
import { h, field, formAlert, onSubmit, link, toast, fmtTime } from "./dom.js";
import { t } from "./i18n.js";

const authPage = (title, intro, ...body) => h("div", { class: "auth" },
  h("div", { class: "auth-card" }, h("p", { class: "brand-big" }, "Elior"), h("h1", { tabindex: "-1" }, title),
    intro ? h("p", { class: "lead" }, intro) : null, ...body));

/** The sign-in view with a "Forgot password?" link under it (app.js wraps auth.js's view with this). */
export function withForgotLink(view) {
  return (ctx) => {
    const node = view(ctx);
    node.querySelector(".auth-card form")?.after(
      h("p", { class: "small forgot" }, link("/forgot", t("password_reset.forgot_link"))));
    return node;
  };
}

/** /forgot: an email address in, always the same answer out (the server never says whether it has an account). */
export async function forgotPage() {
  const options = await request("GET", "/api/auth/password-reset", { auth: false })
    .catch(() => ({ mail: true, valid_minutes: 30 }));
  const back = h("p", { class: "small" }, link("/signin", t("password_reset.back_to_sign_in")));
  if (!options.mail) {
    return authPage(t("password_reset.forgot_title"), null,
      h("p", { class: "form-alert mail-off", role: "status" }, t("password_reset.mail_off")),
      h("p", {}, t("password_reset.ask_trainer", { count: options.valid_minutes })), back);
  }
  const done = h("div", { class: "reset-sent", role: "status", hidden: true });
  const form = h("form", { novalidate: true, "aria-label": t("password_reset.ask_form") },
    formAlert(),
    field(t("password_reset.email"), "email", { type: "email", required: true, attrs: { autocomplete: "username" } }),
    h("button", { type: "submit", class: "primary block" }, t("password_reset.mail_me")));
  onSubmit(form, async (v) => {
    if (!v.email) throw { status: 422, detail: [{ loc: ["body", "email"], msg: t("password_reset.enter_email") }] };
    try {
      await request("POST", "/api/auth/password-reset", { body: { email: v.email }, auth: false });
    } catch (error) {
      if (error.status === 429) error.message = t("password_reset.too_many");
      throw error;
    }
    form.hidden = true;
    done.replaceChildren(h("p", { class: "lead" }, t("password_reset.sent", { email: v.email })),
      h("p", {}, t("password_reset.sent_help", { count: options.valid_minutes })));
    done.hidden = false;
    done.tabIndex = -1;
    done.focus();
  });
  return authPage(t("password_reset.forgot_title"), t("password_reset.forgot_intro"), form, done, back);
}

/** /reset#<token>: choose the new password. Every session of the account ends when it is set. */
export function resetPage(ctx) {
  const token = decodeURIComponent(location.hash.replace(/^#/, ""));
  if (!token) {
    return authPage(t("password_reset.reset_title"), null, h("p", { class: "form-alert", role: "alert" },
      t("password_reset.incomplete")),
    h("p", {}, link("/forgot", t("password_reset.ask_new_link"))));
  }
  const form = h("form", { novalidate: true, "aria-label": t("password_reset.reset_title") },
    formAlert(),
    field(t("password_reset.new_password"), "password", { type: "password", required: true,
      hint: t("password_reset.password_hint"),
      attrs: { autocomplete: "new-password", minlength: 8 } }),
    field(t("password_reset.again"), "again", { type: "password", required: true,
      attrs: { autocomplete: "new-password" } }),
    h("button", { type: "submit", class: "primary block" }, t("password_reset.set_password")));
  onSubmit(form, async (v) => {
    if (!v.password || v.password !== v.again) {
      throw { status: 422, detail: [{ loc: ["body", v.password ? "again" : "password"],
        msg: v.password ? t("password_reset.differ") : t("password_reset.enter_password") }] };
    }
    try {
      await request("POST", "/api/auth/password-reset/confirm", { body: { token, password: v.password },
        auth: false });
    } catch (error) {
      if (error.status === 410) error.message = t("password_reset.spent");
      if (error.status === 404) error.message = t("password_reset.invalid");
      throw error;
    }
    history.replaceState(null, "", "/reset");  // the spent token leaves the address bar and the history
    toast(t("password_reset.password_set"));
    ctx.navigate("/signin", { replace: true });
  });
  return authPage(t("password_reset.reset_title"), t("password_reset.reset_intro"), form,
    h("p", { class: "small" }, link("/forgot", t("password_reset.ask_new_link"))));
}

/** A "Password reset link" button for a person; pressed, it shows the single-use link to hand over and a copy
 * button. Splice it where staff see a person: `mountHandover(box, user)`. */
export function handoverButton(user) {
  const box = h("div", { class: "handover", dataset: { handover: user.id } });
  const make = h("button", { type: "button", class: "small" }, t("password_reset.make_link"));
  make.addEventListener("click", async () => {
    make.disabled = true;
    try {
      const answer = await post(`/api/users/${user.id}/password-reset`);
      const url = h("input", { type: "text", readonly: true, value: answer.url, class: "handover-url",
        "aria-label": t("password_reset.link_for", { name: user.full_name }) });
      const copy = h("button", { type: "button", class: "small" }, t("password_reset.copy"));
      copy.addEventListener("click", async () => {
        url.select();
        try {
          await navigator.clipboard.writeText(answer.url);
          toast(t("password_reset.copied"));
        } catch { /* the link stays selected, to copy by hand */ }
      });
      box.replaceChildren(url, copy, h("p", { class: "small hint", role: "status" },
        t("password_reset.give_in_person", { name: user.full_name, until: fmtTime(answer.expires_at) })));
    } catch (error) {
      toast(error.message || t("password_reset.make_failed"), "error");
      make.disabled = false;
    }
  });
  box.append(make);
  return box;
}

export function mountHandover(container, user) {
  container.append(handoverButton(user));
}

/** /people/:id/password-reset: the hand-over button on a page of its own (staff), for a person the caller may see. */
export async function handoverPage(ctx) {
  const person = await request("GET", `/api/users/${Number(ctx.params.id)}`);
  ctx.setTitle(t("password_reset.page_title", { name: person.full_name }));
  return h("div", {}, h("h1", {}, t("password_reset.link_for", { name: person.full_name })),
    h("p", { class: "lead" }, t("password_reset.handover_intro", { name: person.full_name })),
    handoverButton(person),
    h("p", {}, link(person.role === "client" ? `/clients/${person.id}` : "/admin/users", t("password_reset.back"))));
}
