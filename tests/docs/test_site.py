"""The docs site builds with `mkdocs build --strict` (into a temporary folder: nothing is written into the tree), and
its configuration page lists every setting of `elior.settings.SETTINGS`, each with its sentence.

The build runs once per test session; a warning of any kind (a broken link, a page missing from the nav, an
undocumented setting raised by the hook) fails it.
"""
from __future__ import annotations

import dataclasses
import html
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from elior.settings import SETTINGS, Settings

ROOT = Path(__file__).resolve().parents[2]


def hook() -> ModuleType:
    """docs/hooks/settings_table.py, the mkdocs hook, loaded as the build loads it (by path)."""
    spec = importlib.util.spec_from_file_location("settings_table", ROOT / "docs" / "hooks" / "settings_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # mkdocs-material's banner about its successor, not ours
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)], cwd=ROOT,
                           env=env, capture_output=True, text=True, timeout=300)
    problems = [line for line in build.stderr.splitlines() if re.search(r"\b(WARNING|ERROR)\b", line)]
    assert build.returncode == 0 and problems == [], f"mkdocs build --strict failed:\n{build.stderr[-5000:]}"
    return out


def test_every_setting_has_a_doc_sentence() -> None:
    assert hook().problems(SETTINGS) == []


def test_a_setting_without_a_sentence_stops_the_table() -> None:
    @dataclasses.dataclass
    class Example:
        documented: int = dataclasses.field(default=1, metadata={"env": "DOCUMENTED", "doc": "Is documented here."})
        silent: int = dataclasses.field(default=2, metadata={"env": "SILENT_SETTING", "doc": ""})

    table = hook()
    fields = dataclasses.fields(Example)
    with pytest.raises(table.UndocumentedSetting, match="SILENT_SETTING"):
        table.render(fields, source="")
    assert "`DOCUMENTED` | integer | `1` | Is documented here. |" in table.render(fields[:1], source="")


def test_the_configuration_page_lists_every_setting_with_its_default_and_sentence(site: Path) -> None:
    page = html.unescape(re.sub(r"<[^>]+>", "", (site / "configuration.html").read_text()))
    table = hook()
    for spec in SETTINGS:
        row = re.search(rf"^{re.escape(spec.metadata['env'])}\s*\n.*$", page, re.MULTILINE)
        assert row, f"{spec.metadata['env']} is not in the built configuration page"
        sentence = re.sub(r"`", "", spec.metadata["doc"])
        assert sentence in " ".join(page.split()), f"{spec.metadata['env']}: its sentence is not on the page"
        assert table.shown_default(spec).strip("`") in page, f"{spec.metadata['env']}: its default is not shown"


def test_the_generated_sections_follow_settings_py() -> None:
    """The hook groups the settings by the `# --- name ---` comments of elior/settings.py; every field has one."""
    source = (ROOT / "elior" / "settings.py").read_text()
    sections: dict[str, Any] = hook().sections(source)
    assert {spec.name for spec in SETTINGS} <= set(sections)
    assert all(sections[spec.name] for spec in SETTINGS), "a setting above the first `# --- section ---` comment"
    assert [f.name for f in SETTINGS] == [f.name for f in dataclasses.fields(Settings) if "env" in f.metadata]


def test_the_site_has_every_page_of_the_nav(site: Path) -> None:
    for page in ("index", "install", "configuration", "roles-and-tokens", "cookbook", "operations", "architecture",
                 "benchmarks", "changelog", "dependencies"):
        assert (site / f"{page}.html").exists(), page
    assert "Read ratios, not absolutes" in (site / "benchmarks.html").read_text(), "benchmarks.md has bench/README.md"
    assert (site / "img" / "architecture.svg").exists() and (site / "img" / "trainer-client-page.png").exists()
    assert not (site / "hooks").exists() and not (site / "tools").exists(), "the docs' code is not published"
