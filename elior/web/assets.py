"""The browser app's fingerprinted files, built in memory from static/src/: nothing generated is written or committed.

static/src/NAME.js and style.css are served as /assets/NAME.<10 hex>.EXT, and the template static/src/index.html as
the app's page, with the stylesheet, `modulepreload` links for the entry's static imports (so the browser fetches
them in parallel rather than one import level at a time) and the entry script where it says <!-- elior:assets -->.

The server caches a hashed name for a year, `immutable`, so a name must change whenever its bytes could: a module's
hash is taken AFTER its own imports were rewritten to their hashed names, so a change deep in the import graph renames
every module that (transitively) imports it. No bundler, no Node: the output is the same plain ES modules, renamed.

Why in memory rather than copies on disk: it is ~18 small files, ~10 ms to hash and gzip (once, at level 9, rather
than per request) on first use, and nothing in the tree can go stale or be forgotten in a commit; a fresh clone
serves the app with `python3 -m elior` alone. The sources are re-checked (one `stat` each) at most every
`CHECK_SECONDS`, so an edit or a deploy shows without a restart; a tab still open from before asks for a name that
is gone, gets a 404, and the app reloads itself once (static/src/app.js).
"""
from __future__ import annotations

import gzip
import hashlib
import logging
import mimetypes
import re
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("elior.spa")

ENTRY = "app.js"
STYLE = "style.css"
TEMPLATE = "index.html"
MARKER = "<!-- elior:assets -->"
CHECK_SECONDS = 2.0

# `from "./x.js"`, `import "./x.js"` and `import("./x.js")`: the sources keep to these relative, flat forms.
IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])\./([\w-]+\.js)\2""")
STATIC_IMPORT = re.compile(r"""(?:\bfrom\s*|\bimport\s+)(["'])\./([\w-]+\.js)\1""")


class BuildError(Exception):
    """The sources cannot be fingerprinted (an import cycle, a missing module, a template without its marker)."""


def media_type(name: str) -> str:
    """The Content-Type of a file by its name, with the charset for text (every text file here is UTF-8)."""
    found = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if found.startswith("text/") or found in {"application/javascript", "image/svg+xml"}:
        found += "; charset=utf-8"
    return found


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes
    media_type: str
    etag: str


@dataclass(frozen=True)
class Build:
    index: bytes
    index_etag: str
    assets: dict[str, Asset]  # by hashed file name, as in /assets/<name>
    entry: str  # the hashed name of app.js


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def hashed_name(name: str, text: str) -> str:
    stem, _, ext = name.rpartition(".")
    return f"{stem}.{digest(text)}.{ext}"


def _fingerprint(sources: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Each module's hashed name and its text with its imports renamed, leaves first."""
    names: dict[str, str] = {}
    texts: dict[str, str] = {}
    visiting: list[str] = []

    def visit(name: str) -> None:
        if name in names:
            return
        if name in visiting:
            raise BuildError(f"import cycle: {' -> '.join(visiting + [name])} (hashes need an acyclic graph)")
        if name not in sources:
            raise BuildError(f"{visiting[-1] if visiting else '?'} imports ./{name}, which is not in static/src/")
        visiting.append(name)
        for match in IMPORT.finditer(sources[name]):
            visit(match.group(3))
        text = IMPORT.sub(lambda m: f"{m.group(1)}{m.group(2)}./{names[m.group(3)]}{m.group(2)}", sources[name])
        names[name] = hashed_name(name, text)
        texts[name] = text
        visiting.pop()

    for name in sources:
        visit(name)
    return names, texts


def _preloads(sources: dict[str, str]) -> list[str]:
    """The modules the entry imports statically, transitively: the page names them so they load in parallel."""
    found: list[str] = []
    pending = [ENTRY]
    while pending:
        for match in STATIC_IMPORT.finditer(sources[pending.pop()]):
            if match.group(2) not in found:
                found.append(match.group(2))
                pending.append(match.group(2))
    return sorted(found)


def _asset(name: str, text: str) -> Asset:
    body = text.encode()
    # mtime=0: the same sources give the same bytes on every start and every server.
    return Asset(body, gzip.compress(body, compresslevel=9, mtime=0), media_type(name), f'W/"{digest(text)}"')


def build(src: Path) -> Build:
    """Every fingerprinted file and the page that names them, from the sources in `src`; nothing is written."""
    sources = {path.name: path.read_text(encoding="utf-8") for path in sorted(src.glob("*.js"))}
    if ENTRY not in sources:
        raise BuildError(f"{src} has no {ENTRY}")
    names, texts = _fingerprint(sources)
    css = (src / STYLE).read_text(encoding="utf-8")
    css_name = hashed_name(STYLE, css)
    tags = [f'<link rel="stylesheet" href="/assets/{css_name}">']
    tags += [f'<link rel="modulepreload" href="/assets/{names[name]}">' for name in _preloads(sources)]
    tags.append(f'<script type="module" src="/assets/{names[ENTRY]}"></script>')
    template = (src / TEMPLATE).read_text(encoding="utf-8")
    if MARKER not in template:
        raise BuildError(f"{src / TEMPLATE} has no {MARKER}")
    index = template.replace(MARKER, "\n".join(tags)).encode()
    assets = {names[name]: _asset(names[name], texts[name]) for name in sources}
    assets[css_name] = _asset(css_name, css)
    return Build(index, f'W/"{hashlib.sha256(index).hexdigest()[:32]}"', assets, names[ENTRY])


def signature(src: Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when a source does: each file's name, mtime and size (a `stat` each, no reading)."""
    found = []
    for path in sorted(src.iterdir()) if src.is_dir() else []:
        stat = path.stat()
        found.append((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(found)


class Bundle:
    """The current build of a source folder, re-checked at most every `ttl` seconds and rebuilt when a file changed.

    A rebuild that fails (a half-copied deploy, a typo in an import) keeps serving the last good build and logs why;
    it is tried again on the next change. With no good build yet, the error is raised (a 500 names it in the log).
    """

    def __init__(self, ttl: float = CHECK_SECONDS) -> None:
        self.ttl = ttl
        self._build: Build | None = None
        self._key: tuple[str, tuple[tuple[str, int, int], ...]] | None = None
        self._checked = 0.0

    def get(self, src: Path) -> Build:
        now = time.monotonic()
        if self._build is not None and now - self._checked < self.ttl and self._key and self._key[0] == str(src):
            return self._build
        # The signature is taken before reading: a file changed mid-build shows as a change at the next check.
        key = (str(src), signature(src))
        self._checked = now
        if self._build is not None and key == self._key:
            return self._build
        self._key = key
        try:
            self._build = build(src)
        except (BuildError, OSError, UnicodeDecodeError) as error:
            if self._build is None:
                raise
            log.error("the browser app's sources do not build; still serving the previous build",
                      extra={"error": str(error)})
        return self._build
