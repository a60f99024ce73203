// English: the browser app's catalogue (static/src/i18n.js says how keys are looked up). One entry per key,
// sorted; lang_he.js has exactly the same keys (tests/web/test_i18n.py checks).
export default {
  "common.cancel": "Cancel",
  "common.yes_delete": "Yes, delete",
  "lang.switch": "Language",
};
