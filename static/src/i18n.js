// Languages: the one home of the browser app's words. Every string a person reads comes from t("module.key"), looked
// up in the catalogue of the chosen language: lang_en.js and lang_he.js, one file per language, the same keys in
// both (tests/web/test_i18n.py fails on a key used here but missing there, and on a key one catalogue has and the
// other lacks). English is bundled with the shell; Hebrew is fetched only by those who choose it.
//
// Which language: the signed-in user's own choice (`language` on their User, saved by the switch), else the last
// choice made on this device (before signing in), else the studio's language (`GET /api/studio`, set by the owner),
// else English. Hebrew turns the page right-to-left (`<html dir="rtl">`); the stylesheet uses logical properties
// (margin-inline-start, not margin-left), so the layout mirrors without a second stylesheet.
//
// Dates and numbers are formatted with Intl in the language's locale (fmtDate/fmtNum in dom.js call `locale()`).
import EN from "./lang_en.js";

export const LANGUAGES = {
  en: { name: "English", dir: "ltr", locale: "en-GB", load: async () => EN },
  he: { name: "עברית", dir: "rtl", locale: "he-IL", load: async () => (await import("./lang_he.js")).default },
};
export const DEFAULT_LANGUAGE = "en";
const DEVICE_KEY = "elior.language";

let current = DEFAULT_LANGUAGE;
let catalogue = EN;
let plurals = new Intl.PluralRules(LANGUAGES.en.locale);
const listeners = new Set();

export const language = () => current;
export const locale = () => LANGUAGES[current].locale;
export const direction = () => LANGUAGES[current].dir;
export const isLanguage = (code) => Object.hasOwn(LANGUAGES, code || "");

/** Called after the language changed (the shell redraws the page in it). */
export function onLanguageChange(listener) { listeners.add(listener); }

/** Switch to `code` ("en"|"he"): load its catalogue, set <html lang dir>, remember it on this device. */
export async function setLanguage(code, { remember = true } = {}) {
  const next = isLanguage(code) ? code : DEFAULT_LANGUAGE;
  const loaded = await LANGUAGES[next].load();
  const changed = next !== current;
  current = next;
  catalogue = loaded;
  plurals = new Intl.PluralRules(LANGUAGES[next].locale);
  document.documentElement.lang = next;
  document.documentElement.dir = LANGUAGES[next].dir;
  if (remember) localStorage.setItem(DEVICE_KEY, next);
  if (changed) listeners.forEach((listener) => listener(next));
}

/** The language this device last chose, if any. */
export const deviceLanguage = () => {
  const saved = localStorage.getItem(DEVICE_KEY);
  return isLanguage(saved) ? saved : null;
};

const PLACEHOLDER = /\{(\w+)\}/g;

/** The text of `key` in the current language, with `{name}` placeholders filled from `params`. A catalogue entry
 * may be an object of plural forms ({one, two, other}) chosen by `params.count` with the language's plural rules.
 * A key missing from the catalogue is a bug: it is reported on the console (which fails the browser tests) and the
 * English text is shown rather than nothing. */
export function t(key, params = null) {
  let entry = catalogue[key];
  if (entry === undefined) {
    console.error(`i18n: missing key "${key}" in "${current}"`);
    entry = EN[key] ?? key;
  }
  if (typeof entry === "object") {
    const count = Number(params?.count ?? 0);
    entry = entry[plurals.select(count)] ?? entry.other;
  }
  if (!params) return entry;
  return entry.replace(PLACEHOLDER, (whole, name) => {
    const value = params[name];
    if (value === undefined || value === null) return whole;
    return typeof value === "number" ? numberFormat(1, true).format(value) : String(value);
  });
}

const formats = new Map();
/** The current locale's number format (Hebrew uses Western digits), made once per locale and options: a table
 * formats a number per cell, and building an Intl.NumberFormat costs far more than using one. */
export function numberFormat(maximumFractionDigits, useGrouping) {
  const key = `${current}|${maximumFractionDigits}|${useGrouping}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale(), { maximumFractionDigits, useGrouping });
    formats.set(key, format);
  }
  return format;
}
