"""Add sha256 hashes to requirements.lock, so `pip install --require-hashes -r requirements.lock` works.

Every pin `name==version` gets the hashes of all files PyPI holds for that release (wheels for
every platform and the sdist), read from PyPI's JSON simple API (PEP 691), as pip-tools'
`--generate-hashes` does. Comments and pins are kept; earlier hashes are replaced.

    .venv/bin/python .ci/hash-lock.py requirements.lock
"""
from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

from packaging.utils import (InvalidSdistFilename, InvalidWheelFilename, canonicalize_name,
                             parse_sdist_filename, parse_wheel_filename)
from packaging.version import Version


def release_hashes(name: str, version: str) -> list[str]:
    req = urllib.request.Request(f"https://pypi.org/simple/{canonicalize_name(name)}/",
                                 headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        files = json.load(resp)["files"]
    want = Version(version)
    out = set()
    for f in files:
        fn = f["filename"]
        try:
            v = parse_wheel_filename(fn)[1] if fn.endswith(".whl") else parse_sdist_filename(fn)[1]
        except (InvalidWheelFilename, InvalidSdistFilename):
            continue
        if v == want and "sha256" in f.get("hashes", {}):
            out.add(f["hashes"]["sha256"])
    if not out:
        raise SystemExit(f"no files with sha256 on PyPI for {name}=={version}")
    return sorted(out)


def main(path: str) -> None:
    lock = Path(path)
    lines, out = lock.read_text().splitlines(), []
    for line in lines:
        s = line.strip()
        if s.startswith("--hash") or not s:
            continue
        if s.startswith("#"):
            out.append(line)
            continue
        pin = s.rstrip("\\").strip()
        name, version = pin.split("==")
        hashes = release_hashes(name, version)
        out.append(f"{pin} \\")
        out.extend(f"    --hash=sha256:{h}" + (" \\" if i < len(hashes) - 1 else "")
                   for i, h in enumerate(hashes))
    lock.write_text("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "requirements.lock")
