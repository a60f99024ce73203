// The language switch in the header and above the sign-in forms: English or Hebrew, at once, everywhere. Signed in,
// the choice is saved on the user (PUT /api/users/{id} {"language"}), so it follows them to every device; before
// signing in it is remembered on this device only (static/src/i18n.js says which wins).
import { currentUser, put } from "./api.js";
import { h, toast } from "./dom.js";
import { LANGUAGES, language, setLanguage, t } from "./i18n.js";

export function languageSwitch() {
  const select = h("select", { class: "language-switch", "aria-label": t("lang.switch") },
    Object.entries(LANGUAGES).map(([code, info]) =>
      h("option", { value: code, lang: code, selected: code === language() }, info.name)));
  select.addEventListener("change", async () => {
    const code = select.value;
    const me = currentUser();
    try {
      if (me) {
        const saved = await put(`/api/users/${me.id}`, { language: code });
        me.language = saved.language;
      }
      await setLanguage(code);  // redraws the page (the shell listens)
    } catch (error) {
      select.value = language();
      toast(error.message, "error");
    }
  });
  return select;
}
