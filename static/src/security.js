// Security (issue 17): two-factor sign-in (turn on with a QR code, confirm a code, save the ten recovery codes; new
// codes; turn off) and the e-mail notification preferences (static/src/notify_prefs.js).
// The same enrolment steps serve the sign-in page when the studio requires two-factor: there the calls carry the
// enrolment token the login answered instead of a session, and the confirmation signs the user in.
import { ApiError, request, restore } from "./api.js";
import { add, h, field, formAlert, onSubmit, section, toast } from "./dom.js";
import { t } from "./i18n.js";
import { notifyPrefsSection } from "./notify_prefs.js";

/** Take a token pair from a login with a code or an enrolment. api.js adopts a pair only from its own signIn (email
 * and password) or from the tab's refresh token, so the pair is handed over as the refresh token, which restore()
 * rotates into the session (one refresh more than needed; an export of api.js's adopt() would save it). */
export async function adoptTokens(tokens) {
  sessionStorage.setItem("elior.refresh", tokens.refresh_token);
  if (!await restore()) throw { status: 401, message: t("security.sign_in_failed") };
}

/** A call with the session, or with an enrolment token (which api.js does not hold) when one is given. */
async function call(method, path, body, token) {
  if (!token) return request(method, path, { body });
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { detail: t("security.offline") });
  }
  const data = (response.headers.get("content-type") || "").includes("json") ? await response.json() : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** The server's SVG QR code as a node: parsed as SVG (never as HTML), scripts and handlers impossible in it. */
function qrNode(svgText) {
  const parsed = new DOMParser().parseFromString(svgText, "image/svg+xml").documentElement;
  if (parsed.nodeName !== "svg" || parsed.querySelector("script, foreignObject")) {
    return h("p", {}, t("security.no_qr"));
  }
  const node = document.importNode(parsed, true);
  node.setAttribute("role", "img");
  node.setAttribute("aria-label", t("security.qr_label"));
  return h("div", { class: "qr" }, node);
}

function recoveryCodesNode(codes, onDone) {
  const done = h("button", { type: "button", class: "primary" }, t("security.codes_saved"));
  done.addEventListener("click", onDone);
  return h("div", { class: "recovery-codes" },
    h("p", { class: "lead" }, t("security.codes_intro")),
    h("ol", { class: "codes", "aria-label": t("security.codes_label") },
      codes.map((code) => h("li", {}, h("code", {}, code)))),
    done);
}

/** The enrolment steps: start (the QR code and the secret), then a code to confirm, then the recovery codes.
 * `token`: an enrolment token (the sign-in page), or null for the signed-in user. `onDone` runs at the end. */
export function enrolmentPanel(token, onDone) {
  const panel = h("div", { class: "enrolment" });
  const start = h("button", { type: "button", class: "primary" }, t("security.set_up"));
  const alert = formAlert();
  add(panel, [token ? h("p", { class: "lead" }, t("security.required_at_sign_in")) : null, alert, start]);
  start.addEventListener("click", async () => {
    start.disabled = true;
    try {
      const enrolment = await call("POST", "/api/auth/two-factor", undefined, token);
      panel.replaceChildren(confirmStep(enrolment, token, onDone));
      panel.querySelector("[name=code]")?.focus();
    } catch (error) {
      alert.textContent = error.status === 409 ? t("security.already_on") : error.message;
      alert.hidden = false;
      start.disabled = false;
    }
  });
  return panel;
}

function confirmStep(enrolment, token, onDone) {
  const form = h("form", { novalidate: true, "aria-label": t("security.confirm_form") },
    h("p", {}, t("security.step_scan")),
    qrNode(enrolment.qr_svg),
    h("details", {}, h("summary", {}, t("security.cannot_scan")),
      h("p", {}, h("code", { class: "secret" }, enrolment.secret))),
    h("p", {}, t("security.step_code")),
    formAlert(),
    field(t("security.code"), "code", { required: true, attrs: { autocomplete: "one-time-code", inputmode: "numeric",
      maxlength: 12 } }),
    h("button", { type: "submit", class: "primary" }, t("security.turn_on")));
  onSubmit(form, async (v) => {
    let answer;
    try {
      answer = await call("POST", "/api/auth/two-factor/confirm", { code: v.code || "" }, token);
    } catch (error) {
      if (error.status === 422) error.detail = [{ loc: ["body", "code"], msg: t("security.wrong_code") }];
      throw error;
    }
    if (token) await adoptTokens(answer);
    form.replaceWith(recoveryCodesNode(answer.recovery_codes, onDone));
  });
  return form;
}

function turnOffForm(reload) {
  const form = h("form", { novalidate: true, "aria-label": t("security.turn_off") }, formAlert(),
    field(t("security.your_password"), "password", { type: "password", attrs: { autocomplete: "current-password" } }),
    h("button", { type: "submit", class: "danger" }, t("security.turn_off")));
  onSubmit(form, async (v) => {
    try {
      await request("DELETE", "/api/auth/two-factor", { body: { password: v.password || "" } });
    } catch (error) {
      if (error.status === 403) error.message = error.detail?.includes?.("requires") ? error.detail
        : t("security.wrong_password");
      throw error;
    }
    toast(t("security.turned_off"));
    reload();
  });
  return form;
}

function newCodesForm(box) {
  const form = h("form", { novalidate: true, "aria-label": t("security.new_codes_form") }, formAlert(),
    field(t("security.current_code"), "code", { attrs: { autocomplete: "one-time-code", inputmode: "numeric",
      maxlength: 12 } }),
    h("button", { type: "submit" }, t("security.make_new_codes")));
  onSubmit(form, async (v) => {
    try {
      const answer = await request("POST", "/api/auth/two-factor/recovery-codes", { body: { code: v.code || "" } });
      form.replaceWith(recoveryCodesNode(answer.recovery_codes, () => box.reload()));
    } catch (error) {
      if (error.status === 403) error.message = t("security.code_failed");
      throw error;
    }
  });
  return form;
}

async function twoFactorSection() {
  const box = section(t("security.two_factor_title"));
  const body = h("div", {});
  box.append(body);
  box.reload = async () => {
    const status = await request("GET", "/api/auth/two-factor");
    const reload = () => box.reload();
    if (!status.enabled) {
      body.replaceChildren(
        h("p", { class: "status-off" }, status.required ? t("security.required")
          : t("security.status_off")),
        enrolmentPanel(null, reload));
      return;
    }
    body.replaceChildren(
      h("p", { class: "status-on" }, t("security.status_on")),
      h("p", {}, t("security.codes_left", { count: status.recovery_codes_left, total: 10 })),
      newCodesForm(box),
      status.required ? h("p", { class: "small" }, t("security.stays_on"))
        : turnOffForm(reload));
  };
  await box.reload();
  return box;
}

/** /security: two-factor and the e-mail notification preferences. */
export async function securityPage() {
  return h("div", { class: "page" }, h("h1", { tabindex: "-1" }, t("security.title")),
    await twoFactorSection(), await notifyPrefsSection());
}
