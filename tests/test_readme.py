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


def _summary_block() -> str:
    from framelens.findings import README_BEGIN, README_END

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.count(README_BEGIN) == 1 and text.count(README_END) == 1
    return text.split(README_BEGIN)[1].split(README_END)[0].lstrip("\n")


def test_readme_findings_are_generated_from_the_tables(tmp_path):
    """The README's summary is what `make findings` writes from the seeds' tables: no typed number.

    Fails when the code changes a number or a claim and README.md was not regenerated
    (run `make findings`).
    """
    from framelens import findings

    findings.compute_tables(ROOT / "seeds", out=tmp_path, n_boot=200)  # as make findings does
    assert _summary_block() == findings.readme_summary(tmp_path)


def test_readme_findings_fix_the_wrong_statements():
    block = _summary_block()
    assert "survives every check" not in block
    assert "carry no sentence of their own" not in block
    assert "Oreshnik" not in block.split("Unnamed site (000)'s")[1].split(";")[0]  # 000 adds no missile background
    assert "\u201cThe team of Ukrainian leader Volodymyr Zelensky privately called \u2026\u201d" in block
    assert "\u201cBritish journalists learned about it.\u201d" in block
    assert "\u201cdefy\u201d in \u201cUkraine urges NATO to defy Russia with membership invite\u201d" in block
    assert "\u201cproposed\u201d, \u201cnovel\u201d, \u201capproach\u201d" in block
    # similarity.csv: 0.532701, 0.529756, 0.529377 tie within 0.005
    assert "the 3 closest pairs tie within 0.005" in block and "0.5327" in block and "0.5294" in block
    assert "Unnamed site (003) names Putin without a title" in block


def test_write_readme_needs_both_markers(tmp_path):
    import pytest

    from framelens import findings

    readme = tmp_path / "README.md"
    readme.write_text("# x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="must hold the markers"):
        findings.write_readme(readme, tmp_path)
    assert readme.read_text(encoding="utf-8") == "# x\n"
    (tmp_path / "tables").mkdir()
    readme.write_text(f"a\n{findings.README_BEGIN}\nold\n{findings.README_END}\nb\n", encoding="utf-8")
    assert findings.write_readme(readme, tmp_path) is True  # no tables: the block empties
    assert readme.read_text(encoding="utf-8") == f"a\n{findings.README_BEGIN}\n{findings.README_END}\nb\n"
