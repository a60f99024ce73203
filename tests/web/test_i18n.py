"""The browser app's catalogues (static/src/lang_en.js, lang_he.js) against the sources that use them, read as text:
no browser, no server. Both catalogues parse and hold the same keys; every key a source asks t() for exists, and every
entry is asked for somewhere (no dead text); placeholders and plural forms agree between the languages; keys are
written whole (never built from a template) and well-formed; the Hebrew entries are Hebrew; dates and numbers are
formatted in the chosen language's locale, never the browser's default.

A failing assertion names the key and the file to look at. The catalogues are generated from the translators'
fragments, so a fix goes into the fragment and the merge, not into lang_*.js by hand.
"""
from __future__ import annotations

import re

from tests.web.i18n_sources import SRC, calls_of_t, catalogue, forms, literals, parse_catalogue, t_calls, tokens

LANGUAGES = ("en", "he")
KEY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
PLACEHOLDER = re.compile(r"\{(\w+)\}")  # what i18n.js's t() fills in
HEBREW = re.compile(r"[\u05d0-\u05ea]")
# The plural categories Intl.PluralRules gives for each language (English: one/other; Hebrew: one/two/other).
PLURAL_FORMS = {"en": {"one", "other"}, "he": {"one", "two", "other"}}

# A Hebrew entry may hold no Hebrew word when all it says is placeholders, figures, punctuation and these tokens,
# which stay as written in every language.
TOKENS = {
    "Elior": "the brand",
    "kg": "unit", "lb": "unit", "cm": "unit", "in": "unit", "g": "unit (grams)", "kcal": "unit (kilocalories)",
    "KB": "unit (file size)", "kB": "unit (file size)", "MB": "unit (file size)",
    "RPE": "training term (rate of perceived exertion), written so on the gym floor",
    "RIR": "training term (reps in reserve)", "AMRAP": "training term (as many reps as possible)",
    "CSV": "file format", "PDF": "file format", "TOTP": "technical standard", "iCal": "technical standard",
    "URL": "technical term",
}
# Quoted literals shaped like a key of a module's namespace that are not keys: the live events and notification
# kinds named after a module (bell.js and notify_prefs.js map them to keys).
NOT_KEYS = {"progress.created": "a live event / notification kind", "progress.updated": "a live event kind"}
FILE_NAME = re.compile(r"\.(csv|ics|json|pdf|png|jpe?g|txt|zip|js)$")  # "progress.csv", a download's name


# --- the tests ---

def test_the_lexer_finds_keys_in_code_and_templates_but_not_in_comments_or_regexes() -> None:
    code = ('// t("in.comment")\nconst a = /"x"/g, b = `${t("in.template")} and ${`${t("nested.one")}`}`;\n'
            '/* t("block.comment") */ x.t("method.call"); t(\'single.quoted\'); t(`built.${k}`); y = 4 / 2 / t("k.e");')
    toks = tokens(code, "sample.js")
    strs = [v for kind, v, _ in toks if kind == "str"]
    assert strs == ["in.template", "nested.one", "method.call", "single.quoted", "k.e"]
    assert [(kind, value) for _, _, kind, value in calls_of_t("sample.js", toks)] == [
        ("str", "in.template"), ("str", "nested.one"), ("str", "single.quoted"), ("tpl", "`"), ("str", "k.e")]
    assert parse_catalogue('// c\nexport default {\n  "a.b": "x, }", "c.d": {"one": "1", "other": "{count}"},\n};\n',
                           "t.js") == {"a.b": "x, }", "c.d": {"one": "1", "other": "{count}"}}


def test_both_catalogues_parse_and_hold_the_same_keys() -> None:
    en, he = catalogue("en"), catalogue("he")
    assert en, "lang_en.js is empty"
    only_en, only_he = sorted(set(en) - set(he)), sorted(set(he) - set(en))
    assert not only_en, f"keys in lang_en.js missing from lang_he.js: {only_en}"
    assert not only_he, f"keys in lang_he.js missing from lang_en.js: {only_he}"
    for lang in LANGUAGES:
        for key, entry in catalogue(lang).items():
            assert isinstance(entry, str) or (isinstance(entry, dict) and entry and all(
                isinstance(text, str) for text in entry.values())), \
                f"lang_{lang}.js: key {key!r} is neither a text nor an object of plural texts"


def test_keys_are_well_formed() -> None:
    for lang in LANGUAGES:
        bad = [key for key in catalogue(lang) if not KEY.match(key)]
        assert not bad, f"lang_{lang}.js: keys not of the form namespace.name (lowercase a-z0-9_): {bad}"


def test_every_key_a_source_asks_for_is_in_both_catalogues() -> None:
    missing = [f"{name}:{line}: t({value!r})" for name, line, kind, value in t_calls()
               if kind == "str" and not all(value in catalogue(lang) for lang in LANGUAGES)]
    assert not missing, "keys asked for but not in lang_en.js and lang_he.js:\n" + "\n".join(missing)


def test_no_key_is_built_from_a_template() -> None:
    # A built key (t(`status.${s}`)) cannot be found by reading the sources; use a map of whole keys instead.
    built = [f"{name}:{line}" for name, line, kind, _ in t_calls() if kind == "tpl"]
    assert not built, "t() called with a template literal as its key: " + ", ".join(built)


def test_key_shaped_literals_of_a_module_namespace_are_catalogue_keys() -> None:
    # Keys kept in maps ({done: "data.status_done"}) are looked up later: a typo there shows only in the browser.
    namespaces = {p.stem for p in SRC.glob("*.js")} | {"common", "lang"}
    unknown = [f"{where[0]}: {value!r}" for value, where in literals().items()
               if KEY.match(value) and value.split(".")[0] in namespaces and value not in catalogue("en")
               and value not in NOT_KEYS and not FILE_NAME.search(value)]
    assert not unknown, "literals shaped like a key of a module's namespace that lang_en.js lacks (a missing " \
        "entry, or add the literal to NOT_KEYS with a reason):\n" + "\n".join(sorted(unknown))


def test_every_catalogue_key_is_used_by_a_source() -> None:
    used = literals()
    dead = sorted(key for key in catalogue("en") if key not in used)
    assert not dead, "entries of lang_en.js/lang_he.js that no source under static/src names as a quoted literal " \
        f"(dead text, or a key built at run time): {dead}"


def test_placeholders_and_plural_forms_agree_between_the_languages() -> None:
    en, he = catalogue("en"), catalogue("he")
    for key in sorted(set(en) & set(he)):
        if isinstance(en[key], dict) or isinstance(he[key], dict):
            for lang, entry in (("en", en[key]), ("he", he[key])):
                assert isinstance(entry, dict) and set(entry) == PLURAL_FORMS[lang], \
                    f"lang_{lang}.js: key {key!r} should be a plural object with exactly the forms " \
                    f"{sorted(PLURAL_FORMS[lang])}, not {entry!r}"
            # Hebrew's "two" is English's "other". A singular or dual form may spell out its number ("one set",
            # "שני סטים") so {count} may be left out there; every other placeholder matches form by form.
            for form, english in (("one", "one"), ("two", "other"), ("other", "other")):
                want, have = set(PLACEHOLDER.findall(en[key][english])), set(PLACEHOLDER.findall(he[key][form]))
                if form != "other":
                    want, have = want - {"count"}, have - {"count"}
                assert want == have, f"key {key!r}: placeholders of lang_he.js form {form!r} {sorted(have)} " \
                    f"differ from lang_en.js form {english!r} {sorted(want)}"
        else:
            want, have = set(PLACEHOLDER.findall(en[key])), set(PLACEHOLDER.findall(he[key]))
            assert want == have, f"key {key!r}: placeholders {sorted(have)} in lang_he.js, {sorted(want)} in " \
                "lang_en.js"


def test_hebrew_entries_are_in_hebrew() -> None:
    for key, entry in catalogue("he").items():
        for form, text in forms(entry).items():
            if HEBREW.search(text):
                continue
            words = re.findall(r"[^\W\d_]+", PLACEHOLDER.sub(" ", text))
            others = [word for word in words if word not in TOKENS]
            assert not others, f"lang_he.js: key {key!r}{f' (form {form})' if form else ''} is {text!r}: no " \
                f"Hebrew, and {others} are not tokens kept as written (TOKENS in tests/web/test_i18n.py)"


def test_dates_and_numbers_use_the_chosen_languages_locale() -> None:
    # toLocaleDateString(undefined) / Intl.DateTimeFormat() use the browser's locale, not the one the user chose.
    default = re.compile(r"(?:toLocale\w*String|Intl\.\w+)\(\s*(?:undefined|\[\]|null)?\s*[,)]")
    for path in sorted(SRC.glob("*.js")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not default.search(line), f"{path.name}:{number}: format in the language's locale " \
                f"(locale() from ./i18n.js, or dom.js fmtDate/fmtTime/fmtNum): {line.strip()}"


def test_the_stylesheet_mirrors_for_right_to_left() -> None:
    """Only logical properties (margin-inline-start, not margin-left): <html dir="rtl"> then mirrors the layout."""
    css = re.sub(r"/\*.*?\*/", "", (SRC / "style.css").read_text(), flags=re.DOTALL)
    physical = re.compile(r"(?<![\w-])(?:(?:margin|padding|border)-(?:left|right)[\w-]*|left|right|float)\s*:"
                          r"|text-align\s*:\s*(?:left|right)|clear\s*:\s*(?:left|right)")
    found = [f"style.css:{css.count(chr(10), 0, m.start()) + 1}: {m.group(0)}" for m in physical.finditer(css)]
    assert found == [], found
    assert "margin-inline-start" in css and "inset-inline-end" in css
