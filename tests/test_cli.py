"""Tests for the framelens command line (check, actors, report)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from framelens.cli import main

GOOD = ("Vladimir Putin met NATO officials in Kyiv on Monday. Putin said NATO must wait. "
        "The talks in Kyiv ended without a deal, officials said. ") * 3
EVENT = Path(__file__).resolve().parents[1].parent / "shared/corpora/newswcl50/articles/event_0"


def _corpus(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def test_check_good_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _corpus(tmp_path / "c", {"Outlet A.txt": GOOD.encode(), "b.txt": GOOD.replace(
        "Monday", "Tuesday").encode()})
    assert main(["check", str(folder)]) == 0
    assert "OK: 2 article(s) from 2 outlet(s)" in capsys.readouterr().out


def test_check_bad_corpus_names_each_problem(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = _corpus(tmp_path / "c", {"a.txt": GOOD.encode(), "empty.txt": b"",
                                      "latin.txt": "caf\u00e9 ".encode("latin-1") * 50})
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "empty.txt:" in out and "remove it or put the article's text in it" in out
    assert "latin.txt:" in out and "Re-save the file as UTF-8" in out
    assert "2 problem(s); 1 article(s) usable" in out


def test_check_missing_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "/no/such/corpus"]) == 1
    assert "does not exist" in capsys.readouterr().out


def test_actors_prints_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _corpus(tmp_path / "c", {"a.txt": GOOD.encode(), "b.txt": GOOD.encode()})
    assert main(["actors", str(folder), "--min-count", "2"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == ["actor", "type", "pattern", "note"]
    assert {"Putin", "NATO", "Kyiv"} <= {r["actor"] for r in rows}


def test_help_has_example(capsys: pytest.CaptureFixture[str]) -> None:
    for cmd in ("check", "actors", "report"):
        with pytest.raises(SystemExit):
            main([cmd, "--help"])
        assert "example:" in capsys.readouterr().out


@pytest.mark.skipif(not EVENT.is_dir(), reason=f"NewsWCL50 corpus not found at {EVENT}")
def test_report_on_newswcl50_event(tmp_path: Path) -> None:
    out = tmp_path / "report"
    assert main(["report", str(EVENT), "--out", str(out)]) == 0
    assert (out / "index.html").is_file()
    pages = sorted((out / "notebooks").glob("*.html"))
    assert len(pages) == 5
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(o in index for o in ("0_L", "0_LL", "0_M", "0_R", "0_RR"))
