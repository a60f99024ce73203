// A client's contact lines and profile on their page (trainer.js clientPage), and the form that edits them
// (PUT /api/users/{id}). The form offers exactly what the server lets this caller set on this client
// (elior/accounts/users.py allowed_fields): a trainer only the profile; an admin the name, email and units as well
// (an owner setting up a client who reads pounds). The language stays the client's own choice (the header's switch).
import { put } from "./api.js";
import { h, field, formAlert, isoDay, onSubmit, toast } from "./dom.js";
import { t } from "./i18n.js";
import { bounds, fromCm, lengthUnit, toCm, unitFields } from "./units.js";

// The profile's fields (PROFILE in users.py), [name, label key, input type]; a 422's loc ["body", "profile", name]
// finds its input by the dotted name `profile.<name>`.
const FIELDS = [["phone", "client_profile.phone", "tel"], ["date_of_birth", "client_profile.date_of_birth", "date"],
  ["height_cm", "client_profile.height", "number"], ["goals", "client_profile.goals", "textarea"],
  ["medical_notes", "client_profile.medical_notes", "textarea"]];

/** The lines under the client's name: email and phone, goals, medical notes. */
function summary(person) {
  const profile = person.profile || {};
  return [
    h("p", { class: "muted" }, person.email, profile.phone ? ` · ${profile.phone}` : ""),
    profile.goals ? h("p", {}, h("strong", {}, t("client_profile.goals_lead")), " ", profile.goals) : null,
    profile.medical_notes ? h("p", { class: "notice" }, h("strong", {}, t("client_profile.medical_notes_lead")), " ",
      profile.medical_notes) : null,
  ];
}

/** A height in the caller's length unit, to 0.1 (what the form shows and takes back). */
const shownHeight = (cm) => (cm === null || cm === undefined ? null : Math.round(fromCm(cm) * 10) / 10);

function profileForm(person, admin, onSaved) {
  const profile = person.profile || {};
  const unit = lengthUnit();
  const form = h("form", { class: "editor client-profile", novalidate: true,
    "aria-label": t("client_profile.form_label", { name: person.full_name }) }, formAlert(),
    admin ? h("div", { class: "row" },
      field(t("client_profile.full_name"), "full_name", { required: true, value: person.full_name }),
      field(t("client_profile.email"), "email", { type: "email", required: true, value: person.email })) : null,
    admin ? unitFields(person) : null,
    h("div", { class: "row" }, FIELDS.slice(0, 3).map(([name, label, type]) => field(
      t(label, { unit }), `profile.${name}`, { type, value: name === "height_cm" ? shownHeight(profile[name])
        : profile[name], attrs: type === "number" ? { step: "any", inputmode: "decimal", ...bounds(name, 50, 300) }
        : type === "date" ? { max: isoDay(0) } : {} }))),
    FIELDS.slice(3).map(([name, label, type]) => field(t(label), `profile.${name}`, { type, value: profile[name],
      wide: true })),
    h("button", { type: "submit", class: "primary" }, t("client_profile.save")));
  onSubmit(form, async (v) => {
    const body = { profile: Object.fromEntries(FIELDS.map(([name]) => [name, v[`profile.${name}`]])) };
    // The height is typed in the caller's unit and kept in centimetres; unchanged, the stored value goes back as it
    // was (a round trip through inches to 0.1 would move it by a hair).
    const typed = body.profile.height_cm;
    body.profile.height_cm = typed === shownHeight(profile.height_cm) ? profile.height_cm ?? null : toCm(typed);
    if (admin) {
      Object.assign(body, { full_name: v.full_name, units_weight: v.units_weight, units_length: v.units_length });
      if (v.email !== person.email) body.email = v.email;  // sent only when changed: the server checks it is free
    }
    let saved;
    try {
      saved = await put(`/api/users/${person.id}`, body);
    } catch (error) {
      // The one 409 here is a taken email: say so at the field rather than in the form's alert.
      if (error?.status === 409 && body.email) {
        throw { status: 409, detail: [{ loc: ["body", "email"], msg: t("client_profile.email_taken",
          { email: body.email }) }] };
      }
      throw error;
    }
    toast(t("client_profile.saved", { name: saved.full_name }));
    onSaved(saved);
  });
  return form;
}

/** The client's contact lines and, folded under them, the form that edits the profile. `onSaved(user)` hears of a
 * save (the page retitles itself after a rename). */
export function profileBox(person, caller, onSaved) {
  const admin = caller?.role === "admin";
  const lines = h("div", { class: "client-summary" }, summary(person));
  const editor = h("details", { class: "client-profile-edit" },
    h("summary", {}, t("client_profile.edit")));
  const mount = (user) => {
    // A fresh form after a save: its default values are the saved ones (so a reset goes back to them).
    const form = profileForm(user, admin, (saved) => {
      lines.replaceChildren(...summary(saved).filter(Boolean));
      const focused = editor.contains(document.activeElement);
      mount(saved);
      onSaved?.(saved);
      if (focused) editor.querySelector("button[type=submit]")?.focus();
    });
    editor.querySelector("form")?.remove();
    editor.append(form);
  };
  mount(person);
  return h("div", { class: "client-profile-box" }, lines, editor);
}
