"""Fingerprint the browser app: static/src/* -> static/assets/<name>.<hash>.<ext>, plus static/index.html.

    python3 tools/fingerprint_static.py           # (re)write static/assets/ and static/index.html
    python3 tools/fingerprint_static.py --check   # exit 1, naming the files, when the committed output is stale

The server caches any file whose name holds `.<8+ hex>.` for a year, immutable, so a name must change whenever its
bytes could: a module's hash is taken AFTER its own imports were rewritten to their hashed names, so a change deep in
the import graph renames every module that (transitively) imports it. No bundler, no Node: the output is the same
plain ES modules, only renamed. index.html (never cached) names the entry module, the stylesheet, and preloads the
entry's static imports so the browser fetches them in parallel rather than one import level at a time.
"""
from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "static" / "src"
ASSETS = ROOT / "static" / "assets"
INDEX = ROOT / "static" / "index.html"
ENTRY = "app.js"
STYLE = "style.css"
MARKER = "<!-- elior:assets -->"

# `from "./x.js"`, `import "./x.js"` and `import("./x.js")`: the sources keep to these relative, flat forms.
IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])\./([\w-]+\.js)\2""")
STATIC_IMPORT = re.compile(r"""(?:\bfrom\s*|\bimport\s+)(["'])\./([\w-]+\.js)\1""")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def hashed_name(name: str, text: str) -> str:
    stem, _, ext = name.rpartition(".")
    return f"{stem}.{digest(text)}.{ext}"


def build() -> dict[Path, str]:
    """Every file the output should hold, path -> text; nothing is written."""
    sources = {path.name: path.read_text(encoding="utf-8") for path in sorted(SRC.glob("*.js"))}
    names: dict[str, str] = {}
    texts: dict[str, str] = {}
    visiting: list[str] = []

    def visit(name: str) -> None:
        if name in names:
            return
        if name in visiting:
            raise SystemExit(f"import cycle: {' -> '.join(visiting + [name])} (hashes need an acyclic graph)")
        if name not in sources:
            raise SystemExit(f"{visiting[-1] if visiting else '?'} imports ./{name}, which is not in static/src/")
        visiting.append(name)
        for match in IMPORT.finditer(sources[name]):
            visit(match.group(3))
        text = IMPORT.sub(lambda m: f"{m.group(1)}{m.group(2)}./{names[m.group(3)]}{m.group(2)}", sources[name])
        names[name] = hashed_name(name, text)
        texts[name] = text
        visiting.pop()

    for name in sources:
        visit(name)
    css = (SRC / STYLE).read_text(encoding="utf-8")
    css_name = hashed_name(STYLE, css)

    preload: list[str] = []
    pending = [ENTRY]
    while pending:
        for match in STATIC_IMPORT.finditer(sources[pending.pop()]):
            if match.group(2) not in preload:
                preload.append(match.group(2))
                pending.append(match.group(2))
    tags = [f'<link rel="stylesheet" href="/assets/{css_name}">']
    tags += [f'<link rel="modulepreload" href="/assets/{names[n]}">' for n in sorted(preload)]
    tags.append(f'<script type="module" src="/assets/{names[ENTRY]}"></script>')
    template = (SRC / "index.html").read_text(encoding="utf-8")
    if MARKER not in template:
        raise SystemExit(f"static/src/index.html has no {MARKER}")
    out = {ASSETS / names[n]: texts[n] for n in sources}
    out[ASSETS / css_name] = css
    out[INDEX] = template.replace(MARKER, "\n".join(tags))
    return out


def stale(expected: dict[Path, str]) -> list[str]:
    """What differs between the expected output and the files on disk (missing, changed, or left over)."""
    problems = []
    for path, text in expected.items():
        if not path.is_file():
            problems.append(f"missing {path.relative_to(ROOT)}")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"out of date {path.relative_to(ROOT)}")
    for path in sorted(ASSETS.glob("*")) if ASSETS.is_dir() else []:
        if path not in expected:
            problems.append(f"left over {path.relative_to(ROOT)}")
    return problems


def write(expected: dict[Path, str]) -> None:
    """New assets first, then index.html, then the old assets: a running server never names a missing file."""
    ASSETS.mkdir(parents=True, exist_ok=True)
    for path, text in sorted(expected.items(), key=lambda item: item[0] == INDEX):
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    for path in ASSETS.glob("*"):
        if path not in expected:
            path.unlink()


def main(argv: list[str]) -> int:
    expected = build()
    if "--check" in argv:
        problems = stale(expected)
        for problem in problems:
            print(problem)
        if problems:
            print("run: python3 tools/fingerprint_static.py")
        return 1 if problems else 0
    write(expected)
    print(f"wrote {len(expected) - 1} assets and static/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
