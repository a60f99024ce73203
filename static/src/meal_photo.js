// A meal entry's photo as a thumbnail (the server's 320 px copy), opening full size when tapped: lists and the
// review queue never download the full photo until someone asks to see it.
import { h, fmtDate } from "./dom.js";
import { photoThumb } from "./views.js";

export function mealPhotoThumb(entry, className = "thumb") {
  if (!entry.photo_file) return h("div", { class: `${className} no-photo` }, "No photo");
  return photoThumb(entry.photo_file, `Photo of ${entry.meal_name}, ${fmtDate(entry.date)}`,
    { className, signed: entry.photo_url });
}
