// Building the page. Every piece of data goes in as text (textContent / attribute values), never as HTML, so a
// name like `<img src=x onerror=alert(1)>` stays text. No inline styles either: the CSP allows neither.
import { locale, numberFormat, t } from "./i18n.js";

let sequence = 0;
export const uid = (prefix = "e") => `${prefix}${++sequence}`;

/** h("p", {class: "x", onclick: fn}, "text", child) -> an element. Strings become text nodes. */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  add(node, children);
  return node;
}

function setAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = String(value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "value" || key === "checked") node[key] = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
}

export function add(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const SVG = "http://www.w3.org/2000/svg";
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(key, String(value));
  }
  return add(node, children);
}

/** A link handled by the router (a plain <a href>, so it works with the keyboard, middle-click and copy). */
export const link = (href, text, attrs = {}) => h("a", { href, ...attrs }, text);

/** A labelled form field. `name` is the body field (dotted for nested: "exercises.0.reps") so that a 422's `loc`
 * finds it; its error appears right under it and is tied to it with aria-describedby. */
export function field(label, name, options = {}) {
  const { type = "text", value, required, hint, choices, attrs = {}, wide } = options;
  const id = uid("f");
  let control;
  if (choices) {
    control = h("select", { id, name, required, ...attrs },
      choices.map(([v, text]) => h("option", { value: v, selected: String(v) === String(value ?? "") }, text)));
  } else if (type === "textarea") {
    control = h("textarea", { id, name, required, rows: 3, ...attrs });
    control.defaultValue = value ?? "";
  } else {
    control = h("input", { id, name, type, required, ...attrs });
    // The default value (not only the current one), so that form.reset() goes back to it.
    if (value !== undefined && value !== null) control.defaultValue = String(value);
  }
  const described = [];
  let hintNode = null;
  if (hint) {
    hintNode = h("p", { class: "hint", id: `${id}-hint` }, hint);
    described.push(hintNode.id);
  }
  const error = h("p", { class: "field-error", id: `${id}-error`, hidden: true });
  described.push(error.id);
  control.setAttribute("aria-describedby", described.join(" "));
  return h("div", { class: wide ? "field wide" : "field" },
    h("label", { for: id }, label, required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null),
    control, hintNode, error);
}

/** A number field that reads as a number (empty -> null). */
export const num = (label, name, value, attrs = {}) =>
  field(label, name, { type: "number", value, attrs: { inputmode: "decimal", step: "any", ...attrs } });

export function formAlert() {
  return h("div", { class: "form-alert", role: "alert", hidden: true });
}

/** Clear the error marks a previous submit left on a form. */
export function clearErrors(form) {
  for (const node of form.querySelectorAll(".field-error")) { node.hidden = true; node.textContent = ""; }
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  const alert = form.querySelector(".form-alert");
  if (alert) { alert.hidden = true; alert.textContent = ""; }
}

/** Show an API error on a form: each 422 `loc` next to its field, anything else in the form's alert. */
export function showErrors(form, error) {
  clearErrors(form);
  const alert = form.querySelector(".form-alert");
  const leftover = [];
  let first = null;
  const details = error && Array.isArray(error.detail) ? error.detail : null;
  if (details) {
    for (const item of details) {
      const loc = (item.loc || []).slice(1).join(".");
      const control = loc ? form.querySelector(`[name="${CSS.escape(loc)}"]`) : null;
      const message = control?.getAttribute("aria-describedby")?.split(" ").map((i) => document.getElementById(i))
        .find((n) => n?.classList.contains("field-error"));
      if (control && message) {
        control.setAttribute("aria-invalid", "true");
        message.textContent = item.msg;
        message.hidden = false;
        first = first || control;
      } else {
        leftover.push(loc ? `${loc}: ${item.msg}` : item.msg);
      }
    }
  } else {
    leftover.push(error?.message || t("dom.something_went_wrong"));
  }
  if (alert && leftover.length) {
    alert.textContent = leftover.join(" ");
    alert.hidden = false;
  }
  (first || alert)?.focus?.();
  if (!first && alert) { alert.tabIndex = -1; alert.focus(); }
}

/** The form's fields as an object; numbers as numbers, empty as null; dotted names stay flat. */
export function values(form) {
  const out = {};
  for (const control of form.elements) {
    if (!control.name || control.type === "file" || control.type === "submit") continue;
    if (control.type === "checkbox") out[control.name] = control.checked;
    else if (control.type === "number") out[control.name] = control.value === "" ? null : Number(control.value);
    else out[control.name] = control.value.trim() === "" ? null : control.value.trim();
  }
  return out;
}

/** Wire a form: submit runs `action(values)` with the button disabled, and shows any API error on the form. */
export function onSubmit(form, action) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const buttons = [...form.querySelectorAll("button[type=submit]")];
    buttons.forEach((b) => { b.disabled = true; });
    form.setAttribute("aria-busy", "true");
    clearErrors(form);
    try {
      await action(values(form), event.submitter);
    } catch (error) {
      if (error?.status === undefined) {
        // A bug, not an API answer: say so on the form and leave the trace in the console.
        const detail = String(error?.message || error);
        showErrors(form, { message: t("dom.something_went_wrong_detail", { detail }) });
        console.error(error);
      } else {
        showErrors(form, error);
      }
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
      form.removeAttribute("aria-busy");
    }
  });
  return form;
}

/** A polite announcement for screen readers and a visible toast. */
export function toast(message, kind = "info") {
  const region = document.getElementById("toasts");
  if (!region) return;
  const node = h("p", { class: `toast ${kind}` }, message);
  region.append(node);
  setTimeout(() => node.remove(), 5000);
}

// Dates and numbers in the language's locale (static/src/i18n.js); numbers without grouping, as a form shows them.
export const fmtDate = (value) => {
  if (!value) return "";
  const date = new Date(value.length === 10 ? `${value}T00:00:00` : value);
  return date.toLocaleDateString(locale(), { weekday: "short", day: "numeric", month: "short", year: "numeric" });
};
// A moment to the minute, as people read one ("Fri 4 Dec 2026, 10:00"): seconds are noise on a screen.
export const fmtTime = (value) => (value ? new Date(value).toLocaleString(locale(), { weekday: "short",
  day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" }) : "");
export const fmtNum = (value, digits = 1) =>
  value === null || value === undefined || Number.isNaN(Number(value)) ? "–"
    : numberFormat(digits, false).format(Number(value));

/** Today / a day offset as YYYY-MM-DD in the user's own time zone (the day the client lives in). */
export function isoDay(offset = 0) {
  const date = new Date();
  date.setDate(date.getDate() + offset);
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export const section = (title, ...children) => {
  const id = uid("s");
  return h("section", { class: "card", "aria-labelledby": id }, h("h2", { id }, title), ...children);
};

export const empty = (text) => h("p", { class: "empty" }, text);

/** A button for something final (a delete) that asks first, in place: the question, then "Yes, delete" / "Cancel".
 * `action` runs on yes; an API error shows as a toast and the button comes back. */
export function confirmButton(label, question, action, attrs = {}) {
  const box = h("span", { class: "confirm-box" });
  const ask = h("button", { type: "button", class: "small danger", ...attrs }, label);
  ask.addEventListener("click", () => {
    const yes = h("button", { type: "button", class: "small danger" }, t("common.yes_delete"));
    const no = h("button", { type: "button", class: "small" }, t("common.cancel"));
    no.addEventListener("click", () => { box.replaceChildren(ask); ask.focus(); });
    yes.addEventListener("click", async () => {
      yes.disabled = true; no.disabled = true;
      try {
        await action();
        if (box.isConnected) box.replaceChildren(ask);  // the question is answered (what it was about may stay)
      } catch (error) {
        toast(error?.message || t("dom.did_not_work"), "error");
        box.replaceChildren(ask);
      }
    });
    box.replaceChildren(h("span", { class: "small confirm-question", role: "alert" }, question), " ", yes, " ", no);
    no.focus();
  });
  box.append(ask);
  return box;
}
