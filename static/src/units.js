// Units: the browser's one home of the conversion factors (elior/accounts/units.py is the server's twin).
// The API and the database stay metric (weight_kg, *_cm); the user's units_weight ("kg"|"lb") and units_length
// ("cm"|"in") decide what is shown and what a form accepts. Pounds typed in are stored to the gram and shown to
// 0.1 lb, so a value typed, saved and shown again is the value typed (docs/units.md says why that holds).
import { currentUser, put } from "./api.js";
import { h, field, formAlert, onSubmit, section, toast } from "./dom.js";
import { t } from "./i18n.js";

export const KG_PER_LB = 0.45359237;
export const CM_PER_IN = 2.54;
const STORED = 1000; // kilograms and centimetres made from pounds and inches: three decimals

const round = (value, scale) => Math.round(value * scale) / scale;

export const weightUnit = () => (currentUser()?.units_weight === "lb" ? "lb" : "kg");
export const lengthUnit = () => (currentUser()?.units_length === "in" ? "in" : "cm");

const present = (v) => v !== null && v !== undefined && v !== "" && !Number.isNaN(Number(v));

/** Stored kilograms in the user's unit (not rounded: fmtNum rounds for showing). */
export const fromKg = (kg) => (!present(kg) ? null : weightUnit() === "lb" ? Number(kg) / KG_PER_LB : Number(kg));
/** A weight typed in the user's unit as the kilograms to send. */
export const toKg = (value) => (!present(value) ? null
  : weightUnit() === "lb" ? round(Number(value) * KG_PER_LB, STORED) : Number(value));
export const fromCm = (cm) => (!present(cm) ? null : lengthUnit() === "in" ? Number(cm) / CM_PER_IN : Number(cm));
export const toCm = (value) => (!present(value) ? null
  : lengthUnit() === "in" ? round(Number(value) * CM_PER_IN, STORED) : Number(value));

/** A stored metric field's value in the user's unit, by the field's name (weight_kg, waist_cm; others unchanged). */
export function shown(key, value) {
  if (key.endsWith("_kg")) return fromKg(value);
  if (key.endsWith("_cm")) return fromCm(value);
  return present(value) ? Number(value) : null;
}
/** A stored value as an editor's field shows it: kilograms in the user's unit, pounds to 0.1 lb (kept exact by the
 * rounding above: 135 lb is stored as 61.235 kg and shows as 135 again); other numbers unchanged. */
export function typedValue(key, value) {
  const v = shown(key, value);
  return v !== null && key.endsWith("_kg") && weightUnit() === "lb" ? Math.round(v * 10) / 10 : v;
}

/** A typed value of a metric field as the API wants it. */
export function stored(key, value) {
  if (key.endsWith("_kg")) return toKg(value);
  if (key.endsWith("_cm")) return toCm(value);
  return value;
}
/** The unit shown for a metric field ("kg" -> the weight unit, "cm" -> the length unit, others as given). */
export const unitFor = (unit) => (unit === "kg" ? weightUnit() : unit === "cm" ? lengthUnit() : unit);

/** Input bounds given in metric, in the user's unit, rounded inwards to 0.1 (so an edge value typed is in range). */
export function bounds(key, min, max) {
  return { min: Math.ceil(shown(key, min) * 10) / 10, max: Math.floor(shown(key, max) * 10) / 10 };
}

/** "176.4 lb" / "80 kg" for stored kilograms; "" for nothing. */
export const fmtWeight = (kg, digits = 1) => (present(kg) ? `${+fromKg(kg).toFixed(digits)} ${weightUnit()}` : "");
export const fmtLength = (cm, digits = 1) => (present(cm) ? `${+fromCm(cm).toFixed(digits)} ${lengthUnit()}` : "");

/** The two unit choices of `user` (fields units_weight and units_length), for a form that saves them. */
export const unitFields = (user) => h("div", { class: "row" },
  field(t("units.weights_in"), "units_weight", { choices: [["kg", t("units.kilograms")], ["lb", t("units.pounds")]],
    value: user?.units_weight === "lb" ? "lb" : "kg" }),
  field(t("units.lengths_in"), "units_length", {
    choices: [["cm", t("units.centimetres")], ["in", t("units.inches")]],
    value: user?.units_length === "in" ? "in" : "cm" }));

/** The user's own units, settable from any page that mounts it (PUT /api/users/{id} on themself). */
export function unitsForm(onSaved) {
  const me = currentUser();
  const form = h("form", { class: "units-form", novalidate: true, "aria-label": t("units.form_label") }, formAlert(),
    unitFields(me), h("button", { type: "submit", class: "primary" }, t("units.save")));
  onSubmit(form, async (v) => {
    const saved = await put(`/api/users/${me.id}`, { units_weight: v.units_weight, units_length: v.units_length });
    Object.assign(me, { units_weight: saved.units_weight, units_length: saved.units_length });
    toast(t("units.saved", { weight: saved.units_weight, length: saved.units_length }));
    onSaved?.(saved);
  });
  return form;
}

export function unitsPage() {
  return h("div", {}, h("h1", {}, t("units.heading")),
    section(t("units.section_title"), h("p", { class: "muted" }, t("units.explainer")),
    unitsForm()));
}
