"""mkdocs hook: the settings table of docs/configuration.md, generated from `elior.settings.SETTINGS` at build time.

The table is never written by hand, so a setting added to `Settings` appears in the docs on the next build, with the
sentence its `setting(ENV, default, doc)` declaration gives. A setting without a sentence stops the build (and
tests/docs/test_configuration.py fails), so nothing reaches the environment undocumented. The sections of the table
are the `# --- name ---` comments that group the fields in elior/settings.py.
"""
from __future__ import annotations

import ast
import dataclasses
import io
import sys
import tokenize
from pathlib import Path
from typing import Any, Iterable

ROOT = Path(__file__).resolve().parents[2]
MARKER = "<!-- settings-table -->"
if str(ROOT) not in sys.path:  # `mkdocs build` (the script) does not put the working folder on the path
    sys.path.insert(0, str(ROOT))

# How a field's annotation reads to someone setting an environment variable.
KINDS = {"int": "integer", "float": "number", "bool": "boolean", "str": "text", "str | None": "text", "Path": "path",
         "tuple[str, ...]": "comma-separated list"}


class UndocumentedSetting(ValueError):
    """A setting whose declaration carries no usable sentence for the docs."""


def problems(fields: Iterable[dataclasses.Field[Any]]) -> list[str]:
    """Why these settings cannot be documented (an empty list when every one can)."""
    found = []
    for spec in fields:
        env = spec.metadata.get("env") or spec.name
        doc = (spec.metadata.get("doc") or "").strip()
        if not doc:
            found.append(f"{env}: no doc sentence; declare it with setting({env!r}, default, 'One sentence.')")
        elif len(doc.split()) < 3 or not doc.endswith((".", ".)")):
            found.append(f"{env}: the doc {doc!r} is not a sentence (three words or more, ending with a period)")
        elif "|" in doc or "\n" in doc:
            found.append(f"{env}: the doc must fit one table cell (no '|' and no line break)")
    return found


def shown_default(spec: dataclasses.Field[Any]) -> str:
    """The default as the docs show it: the declared `shown_default`, else the value as one would type it."""
    shown = spec.metadata.get("shown_default")
    if shown is not None:  # prose ("made once in development") as it is; a value (a path, a URL) as code
        return str(shown) if " " in str(shown) or shown == "none" else f"`{shown}`"
    value = spec.default
    if value is dataclasses.MISSING or value is None or value == () or value == "":
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def sections(source: str) -> dict[str, str]:
    """Field name -> the `# --- section ---` comment above it in the class `Settings` of `source`."""
    headings = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        text = token.string.strip()
        if token.type == tokenize.COMMENT and text.startswith("# ---") and text.endswith("---"):
            headings.append((token.start[0], text.strip("#- ").strip()))
    owner: dict[str, str] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef) and node.name == "Settings":
            for statement in node.body:
                if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                    above = [name for line, name in headings if line < statement.lineno]
                    owner[statement.target.id] = above[-1] if above else ""
    return owner


def render(fields: Iterable[dataclasses.Field[Any]] | None = None, source: str | None = None) -> str:
    """The Markdown of the table(s); raises UndocumentedSetting naming every setting without a sentence."""
    if fields is None or source is None:
        from elior import settings

        fields = settings.SETTINGS if fields is None else fields
        source = Path(settings.__file__).read_text() if source is None else source
    fields = list(fields)
    missing = problems(fields)
    if missing:
        raise UndocumentedSetting("; ".join(missing))
    owner = sections(source)
    groups: dict[str, list[dataclasses.Field[Any]]] = {}
    for spec in fields:
        groups.setdefault(owner.get(spec.name, ""), []).append(spec)
    out = []
    for title, specs in groups.items():
        if title:
            out.append(f"### {title[0].upper()}{title[1:]}\n")
        out.append("| variable | type | default | meaning |")
        out.append("| --- | --- | --- | --- |")
        for spec in specs:
            kind = KINDS.get(str(spec.type), str(spec.type))
            out.append(f"| `{spec.metadata['env']}` | {kind} | {shown_default(spec)} | {spec.metadata['doc']} |")
        out.append("")
    return "\n".join(out)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any, **kwargs: Any) -> str:
    if MARKER not in markdown:
        return markdown
    from mkdocs.exceptions import PluginError

    try:
        return markdown.replace(MARKER, render())
    except UndocumentedSetting as error:
        raise PluginError(f"configuration.md: {error}") from None
