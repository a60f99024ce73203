// Hebrew (עברית): the browser app's catalogue, right-to-left (static/src/i18n.js). Exactly the keys of
// lang_en.js (tests/web/test_i18n.py checks); plural entries give Hebrew's one/two/other forms.
export default {
  "common.cancel": "ביטול",
  "common.yes_delete": "כן, למחוק",
  "lang.switch": "שפה",
};
