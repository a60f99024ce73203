// A user's own photo (avatar). The server keeps no link from a user to their avatar: an avatar is a file with purpose
// "avatar" (POST /api/files/upload), and the user's avatar is the newest such file of theirs. A client's are the
// avatar files about them (`client_id`); a staff member's are the avatar files they uploaded about no client, which
// only they (and admins) may see. Uploading a new one deletes the older ones, so they do not count against the quota.
import { currentUser, del, get, upload } from "./api.js";
import { h, field, formAlert, onSubmit, section, confirmButton, empty, toast } from "./dom.js";
import { t } from "./i18n.js";
import { photoThumb } from "./views.js";

const PAGE = 100;  // the contract's largest page

/** Every avatar file of `user`, newest first, as far as the caller may see them ([] when it may not). */
async function avatarFiles(user) {
  if (user.role === "client") {
    return (await get("/api/files", { purpose: "avatar", client_id: user.id, limit: PAGE })).items;
  }
  // Staff: their own avatars are the ones about no client. The listing mixes in their clients' avatars and cannot
  // filter on "no client", so it is read a page at a time; another staff member's avatar is not visible at all.
  if (user.id !== currentUser()?.id) return [];
  const mine = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await get("/api/files", { purpose: "avatar", limit: PAGE, offset });
    mine.push(...page.items.filter((f) => f.client_id === null));
    if (offset + page.items.length >= page.total || !page.items.length) return mine;
  }
}

/** The user's current avatar file, or null. */
async function currentAvatar(user) {
  return (await avatarFiles(user))[0] || null;
}

/** The Account page's "Photo" section: the current photo (a tap opens it full size), a new one, or none. */
export async function avatarSection(user) {
  const current = h("div", { class: "avatar-current" });
  const paint = (file) => {
    current.replaceChildren(...(file ? [photoThumb(file.filename, t("avatar.yours"),
      { className: "thumb avatar", signed: file.url }), " ", confirmButton(t("avatar.remove"),
      t("avatar.remove_confirm"), async () => {
        await Promise.all((await avatarFiles(user)).map((f) => del(`/api/files/${encodeURIComponent(f.filename)}`)));
        toast(t("avatar.removed"));
        paint(null);
      })] : [empty(t("avatar.none"))]));
  };
  const form = h("form", { class: "editor", novalidate: true, "aria-label": t("avatar.form") }, formAlert(),
    field(t("avatar.file"), "file", { type: "file", attrs: { accept: "image/jpeg,image/png,image/webp,image/heic" },
      hint: t("avatar.hint") }),
    h("button", { type: "submit", class: "primary" }, t("avatar.upload")));
  onSubmit(form, async () => {
    const input = form.querySelector("input[type=file]");
    if (!input.files.length) throw { status: 422, detail: [{ loc: ["body", "file"], msg: t("avatar.choose") }] };
    const stored = await upload(input.files[0], "avatar", user.role === "client" ? user.id : null);
    // The older avatars go: only the newest is shown anywhere. A failure here leaves one behind, nothing worse.
    const older = (await avatarFiles(user)).filter((f) => f.filename !== stored.filename);
    await Promise.all(older.map((f) => del(`/api/files/${encodeURIComponent(f.filename)}`).catch(() => {})));
    form.reset();
    toast(t("avatar.saved"));
    paint(stored);
  });
  paint(await currentAvatar(user));
  return section(t("avatar.title"), current, form);
}
