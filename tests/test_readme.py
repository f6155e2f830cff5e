"""The README's code example runs and prints what it promises."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_shows_both_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make findings" in text and "make test" in text


def test_readme_example_runs(capsys, monkeypatch):
    blocks = _python_blocks()
    assert blocks, "README.md has no python example"
    monkeypatch.chdir(ROOT)
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out
    # the audit lists the CNN Brasil author biography, and the similarity table is labelled by outlet
    assert "author-bio" in out or "Bruce Belcher" in out
    assert "VTC News" in out
