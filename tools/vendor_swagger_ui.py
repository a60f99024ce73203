"""Vendor Swagger UI (the /docs page's reader) from the npm registry into static/vendor/swagger-ui/.

    python3 tools/vendor_swagger_ui.py            # the pinned VERSION
    python3 tools/vendor_swagger_ui.py 5.36.0     # another one: then update VERSION here and run the tests

It runs `npm pack swagger-ui-dist@VERSION` (npm checks the tarball against the registry's integrity hash), keeps only
the files the page loads plus the licence texts, and writes a README naming the version and each file's SHA-256,
which tests/web/test_openapi.py checks against the files. Served from this server, never from a CDN: /docs works
offline and under the app's Content-Security-Policy (`script-src 'self'`).
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "5.35.0"
PACKAGE = "swagger-ui-dist"
# The page loads the first two; the Apache-2.0 licence asks for LICENSE and NOTICE to travel with the code.
KEEP = ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE")
TARGET = Path(__file__).resolve().parent.parent / "static" / "vendor" / "swagger-ui"


def readme(version: str, integrity: str, digests: dict[str, str]) -> str:
    lines = [f"Swagger UI {version}, from the npm package {PACKAGE}@{version} (integrity {integrity}).",
             "Made by tools/vendor_swagger_ui.py; do not edit these files by hand. Apache-2.0: see LICENSE, NOTICE.",
             "", "SHA-256 of each file:"]
    lines += [f"{digest}  {name}" for name, digest in sorted(digests.items())]
    return "\n".join(lines) + "\n"


def vendor(version: str = VERSION, target: Path = TARGET) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as folder:
        packed = subprocess.run(["npm", "pack", f"{PACKAGE}@{version}", "--json", "--pack-destination", folder],
                                check=True, capture_output=True, text=True, cwd=folder)
        info = json.loads(packed.stdout)[0]
        target.mkdir(parents=True, exist_ok=True)
        digests: dict[str, str] = {}
        with tarfile.open(Path(folder) / info["filename"]) as archive:
            for name in KEEP:
                member = archive.extractfile(f"package/{name}")
                if member is None:
                    raise SystemExit(f"{PACKAGE}@{version} has no {name}")
                data = member.read()
                (target / name).write_bytes(data)
                digests[name] = hashlib.sha256(data).hexdigest()
    (target / "README.md").write_text(readme(version, info["integrity"], digests))
    return digests


if __name__ == "__main__":
    for file_name, sha256 in vendor(sys.argv[1] if len(sys.argv) > 1 else VERSION).items():
        print(f"{sha256}  {TARGET / file_name}")
