"""Reading the browser app's sources and catalogues as text, for tests/web/test_i18n.py: the catalogues
(`export default {...}` of JSON literals) and a small JavaScript lexer that finds string literals and the calls
of t(), in code and in template expressions, but not in comments or regular expressions."""
from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parents[2] / "static" / "src"


# --- reading the catalogues ---

def _skip_space(text: str, at: int) -> int:
    """Past whitespace and // or /* */ comments."""
    while at < len(text):
        if text[at].isspace():
            at += 1
        elif text.startswith("//", at):
            end = text.find("\n", at)
            at = len(text) if end < 0 else end + 1
        elif text.startswith("/*", at):
            end = text.find("*/", at + 2)
            assert end >= 0, "unclosed /* comment"
            at = end + 2
        else:
            break
    return at


def parse_catalogue(text: str, name: str) -> dict[str, Any]:
    """`export default { "key": <JSON value>, ... };` entry by entry with the JSON decoder (so a comma or a brace in a
    text is no trouble); a duplicate key is an error (a JS object literal would keep the last silently)."""
    decoder = json.JSONDecoder()
    start = re.search(r"^export\s+default\s*\{", text, re.MULTILINE)
    assert start, f"{name}: no `export default {{` found"
    at, entries = start.end(), {}
    while True:
        at = _skip_space(text, at)
        assert at < len(text), f"{name}: the object is not closed"
        if text[at] == "}":
            break
        key, at = decoder.raw_decode(text, at)
        assert isinstance(key, str), f"{name}: a key that is not a JSON string near offset {at}"
        at = _skip_space(text, at)
        assert text[at] == ":", f"{name}: key {key!r} is not followed by ':'"
        value, at = decoder.raw_decode(text, _skip_space(text, at + 1))
        assert key not in entries, f"{name}: key {key!r} appears twice"
        entries[key] = value
        at = _skip_space(text, at)
        if text[at] == ",":
            at += 1
    rest = text[at + 1:].strip()
    assert rest in ("", ";"), f"{name}: unexpected text after the object: {rest[:40]!r}"
    return entries


@cache
def catalogue(lang: str) -> dict[str, Any]:
    name = f"lang_{lang}.js"
    return parse_catalogue((SRC / name).read_text(encoding="utf-8"), name)


def forms(entry: Any) -> dict[str, str]:
    """A plain text as {"": text}; a plural object as itself."""
    return entry if isinstance(entry, dict) else {"": entry}


# --- reading the sources ---

REGEX_BEFORE = set("(,=:[!&|?{};+-*%<>~^") | {None}
REGEX_AFTER_WORDS = {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw",
                     "instanceof", "yield", "await"}


def tokens(text: str, name: str) -> list[tuple[str, str, int]]:
    """A small JavaScript lexer, enough to find calls and string literals outside comments: (kind, value, line) with
    kind "str" (a quoted literal, its raw content), "tpl" (a template literal starts), "id" (a word) or "op". The
    expressions inside a template's ${...} are lexed as code, so a t("...") there counts."""
    out: list[tuple[str, str, int]] = []
    at, line, n = 0, 1, len(text)
    braces: list[int] = []  # for each open ${: the brace depth at which its } closes it
    depth = 0

    def significant() -> str | None:
        if not out:
            return None
        kind, value, _ = out[-1]
        if kind == "id":
            return "(" if value in REGEX_AFTER_WORDS else "word"
        return value if kind == "op" else "literal"

    def template(at: int) -> int:
        """From just after a ` (or a template's closing }), to just after the closing ` or into a ${."""
        nonlocal line, depth
        while at < n:
            char = text[at]
            if char == "\\":
                at += 2
                continue
            if char == "\n":
                line += 1
            if char == "`":
                return at + 1
            if text.startswith("${", at):
                depth += 1
                braces.append(depth)
                return at + 2
            at += 1
        raise AssertionError(f"{name}:{line}: unclosed template literal")

    while at < n:
        char = text[at]
        if char == "\n":
            line += 1
            at += 1
        elif char.isspace():
            at += 1
        elif text.startswith("//", at):
            end = text.find("\n", at)
            at = n if end < 0 else end
        elif text.startswith("/*", at):
            end = text.find("*/", at + 2)
            assert end >= 0, f"{name}:{line}: unclosed comment"
            line += text.count("\n", at, end)
            at = end + 2
        elif char in "\"'":
            end = at + 1
            while text[end] != char:
                assert text[end] != "\n", f"{name}:{line}: unclosed string"
                end += 2 if text[end] == "\\" else 1
            out.append(("str", text[at + 1:end], line))
            at = end + 1
        elif char == "`":
            out.append(("tpl", "`", line))
            at = template(at + 1)
        elif char == "/" and significant() in REGEX_BEFORE:
            end, in_class = at + 1, False
            while in_class or text[end] != "/":
                assert text[end] != "\n", f"{name}:{line}: unclosed regular expression"
                if text[end] == "\\":
                    end += 1
                elif text[end] == "[":
                    in_class = True
                elif text[end] == "]":
                    in_class = False
                end += 1
            at = end + 1
            while at < n and text[at].isalpha():
                at += 1
            out.append(("re", "", line))
        elif char.isalnum() or char in "_$":
            end = at
            while end < n and (text[end].isalnum() or text[end] in "_$"):
                end += 1
            out.append(("id", text[at:end], line))
            at = end
        else:
            if char == "{":
                depth += 1
            elif char == "}":
                if braces and braces[-1] == depth:
                    braces.pop()
                    depth -= 1
                    at = template(at + 1)
                    continue
                depth -= 1
            out.append(("op", char, line))
            at += 1
    return out


@cache
def sources() -> dict[str, list[tuple[str, str, int]]]:
    files = sorted(p for p in SRC.glob("*.js") if not p.name.startswith("lang_"))
    assert files, f"no sources in {SRC}"
    return {p.name: tokens(p.read_text(encoding="utf-8"), p.name) for p in files}


def calls_of_t(name: str, toks: list[tuple[str, str, int]]) -> list[tuple[str, int, str, str]]:
    """Every call t(...) (not x.t(...)): (file, line, kind of the first argument, its value)."""
    return [(name, line, toks[i + 2][0], toks[i + 2][1]) for i, (kind, value, line) in enumerate(toks[:-2])
            if kind == "id" and value == "t" and toks[i + 1][:2] == ("op", "(")
            and (i == 0 or toks[i - 1][:2] != ("op", "."))]


def t_calls() -> list[tuple[str, int, str, str]]:
    return [call for name, toks in sources().items() for call in calls_of_t(name, toks)]


def literals() -> dict[str, list[str]]:
    """Every quoted literal of the sources -> the files (with line) that hold it."""
    found: dict[str, list[str]] = {}
    for name, toks in sources().items():
        for kind, value, line in toks:
            if kind == "str":
                found.setdefault(value, []).append(f"{name}:{line}")
    return found
