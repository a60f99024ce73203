// Forgotten passwords (issue 17): asking for a link by mail, the link's page that sets a new password, and the
// hand-over link an admin (anyone) or a trainer (their own clients) makes to give to someone in person.
// The link is /reset#<token>: the token is the URL's fragment, which the browser never sends to a server.
import { request, post } from "./api.js";
import { h, field, formAlert, onSubmit, link, toast, fmtTime } from "./dom.js";

const authPage = (title, intro, ...body) => h("div", { class: "auth" },
  h("div", { class: "auth-card" }, h("p", { class: "brand-big" }, "Elior"), h("h1", { tabindex: "-1" }, title),
    intro ? h("p", { class: "lead" }, intro) : null, ...body));

/** The sign-in view with a "Forgot password?" link under it (app.js wraps auth.js's view with this). */
export function withForgotLink(view) {
  return (ctx) => {
    const node = view(ctx);
    node.querySelector(".auth-card form")?.after(
      h("p", { class: "small forgot" }, link("/forgot", "Forgot password?")));
    return node;
  };
}

/** /forgot: an email address in, always the same answer out (the server never says whether it has an account). */
export async function forgotPage() {
  const options = await request("GET", "/api/auth/password-reset", { auth: false })
    .catch(() => ({ mail: true, valid_minutes: 30 }));
  const back = h("p", { class: "small" }, link("/signin", "Back to sign in"));
  if (!options.mail) {
    return authPage("Forgot your password?", null,
      h("p", { class: "form-alert mail-off", role: "status" },
        "This studio does not send e-mail, so a reset link cannot be mailed to you."),
      h("p", {}, "Ask your trainer or the studio owner: they can make a single-use link to set a new password " +
        `and give it to you in person. It works for ${options.valid_minutes} minutes.`), back);
  }
  const done = h("div", { class: "reset-sent", role: "status", hidden: true });
  const form = h("form", { novalidate: true, "aria-label": "Ask for a reset link" },
    formAlert(),
    field("Email", "email", { type: "email", required: true, attrs: { autocomplete: "username" } }),
    h("button", { type: "submit", class: "primary block" }, "Mail me a link"));
  onSubmit(form, async (v) => {
    if (!v.email) throw { status: 422, detail: [{ loc: ["body", "email"], msg: "Enter your email address." }] };
    try {
      await request("POST", "/api/auth/password-reset", { body: { email: v.email }, auth: false });
    } catch (error) {
      if (error.status === 429) error.message = "Too many requests for this address. Wait a while, then try again.";
      throw error;
    }
    form.hidden = true;
    done.replaceChildren(h("p", { class: "lead" }, `If ${v.email} belongs to an account here, a mail with a link ` +
      "is on its way."), h("p", {}, `The link works once, for ${options.valid_minutes} minutes. No mail? Check ` +
      "the spam folder, or ask your trainer for a link."));
    done.hidden = false;
    done.tabIndex = -1;
    done.focus();
  });
  return authPage("Forgot your password?", "Enter the address you sign in with; we mail you a link to set a new " +
    "password.", form, done, back);
}

/** /reset#<token>: choose the new password. Every session of the account ends when it is set. */
export function resetPage(ctx) {
  const token = decodeURIComponent(location.hash.replace(/^#/, ""));
  if (!token) {
    return authPage("Set a new password", null, h("p", { class: "form-alert", role: "alert" },
      "This link is incomplete. Open the whole link from the mail, or ask for a new one."),
    h("p", {}, link("/forgot", "Ask for a new link")));
  }
  const form = h("form", { novalidate: true, "aria-label": "Set a new password" },
    formAlert(),
    field("New password", "password", { type: "password", required: true, hint: "At least 8 characters.",
      attrs: { autocomplete: "new-password", minlength: 8 } }),
    field("The same again", "again", { type: "password", required: true, attrs: { autocomplete: "new-password" } }),
    h("button", { type: "submit", class: "primary block" }, "Set the new password"));
  onSubmit(form, async (v) => {
    if (!v.password || v.password !== v.again) {
      throw { status: 422, detail: [{ loc: ["body", v.password ? "again" : "password"],
        msg: v.password ? "The two passwords differ." : "Enter a new password." }] };
    }
    try {
      await request("POST", "/api/auth/password-reset/confirm", { body: { token, password: v.password },
        auth: false });
    } catch (error) {
      if (error.status === 410) error.message = "This link was already used or has expired. Ask for a new one.";
      if (error.status === 404) error.message = "This link is not valid. Ask for a new one.";
      throw error;
    }
    history.replaceState(null, "", "/reset");  // the spent token leaves the address bar and the history
    toast("Your password is set. Sign in with it.");
    ctx.navigate("/signin", { replace: true });
  });
  return authPage("Set a new password", "Choose the password you will sign in with. Every device signed in to " +
    "your account is signed out.", form, h("p", { class: "small" }, link("/forgot", "Ask for a new link")));
}

/** A "Password reset link" button for a person; pressed, it shows the single-use link to hand over and a copy
 * button. Splice it where staff see a person: `mountHandover(box, user)`. */
export function handoverButton(user) {
  const box = h("div", { class: "handover", dataset: { handover: user.id } });
  const make = h("button", { type: "button", class: "small" }, "Make a password reset link");
  make.addEventListener("click", async () => {
    make.disabled = true;
    try {
      const answer = await post(`/api/users/${user.id}/password-reset`);
      const url = h("input", { type: "text", readonly: true, value: answer.url, class: "handover-url",
        "aria-label": `Password reset link for ${user.full_name}` });
      const copy = h("button", { type: "button", class: "small" }, "Copy");
      copy.addEventListener("click", async () => {
        url.select();
        try { await navigator.clipboard.writeText(answer.url); toast("Link copied."); } catch { /* selected */ }
      });
      box.replaceChildren(url, copy, h("p", { class: "small hint", role: "status" },
        `Give it to ${user.full_name} in person. It works once, until ${fmtTime(answer.expires_at)}; ` +
        "using it signs them out everywhere."));
    } catch (error) {
      toast(error.message || "Could not make a link.", "error");
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
  ctx.setTitle(`Reset link · ${person.full_name}`);
  return h("div", {}, h("h1", {}, `Password reset link for ${person.full_name}`),
    h("p", { class: "lead" }, `For when ${person.full_name} cannot sign in and gets no mail: make a link and give ` +
      "it to them in person. Their current password keeps working until the link is used."),
    handoverButton(person),
    h("p", {}, link(person.role === "client" ? `/clients/${person.id}` : "/admin/users", "Back")));
}
