// A meal entry's photo as a thumbnail (the server's 320 px copy), opening full size when tapped: lists and the
// review queue never download the full photo until someone asks to see it.
import { h, fmtDate } from "./dom.js";
import { t } from "./i18n.js";
import { photoThumb } from "./views.js";

export function mealPhotoThumb(entry, className = "thumb") {
  if (!entry.photo_file) return h("div", { class: `${className} no-photo` }, t("meal_photo.none"));
  return photoThumb(entry.photo_file, t("meal_photo.alt", { meal: entry.meal_name, date: fmtDate(entry.date) }),
    { className, signed: entry.photo_url });
}
