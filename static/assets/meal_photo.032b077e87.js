// A meal entry's photo as a small picture (fetched with the token when the API gave no signed URL).
import { photoUrl } from "./api.2764f6f883.js";
import { h, fmtDate } from "./dom.7fd3a2da85.js";

export function mealPhotoThumb(entry, className = "thumb") {
  if (!entry.photo_file) return h("div", { class: `${className} no-photo` }, "No photo");
  const img = h("img", { alt: `Photo of ${entry.meal_name}, ${fmtDate(entry.date)}`, class: className });
  photoUrl(entry.photo_file, entry.photo_url).then((src) => { img.src = src; })
    .catch(() => { img.alt = "The photo could not be loaded"; });
  return img;
}
