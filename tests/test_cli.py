"""Tests for the framelens command line (check, actors, report)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from framelens import cli
from framelens.cli import find_notebooks, main

GOOD = ("Vladimir Putin met NATO officials in Kyiv on Monday. Putin said NATO must wait. "
        "The talks in Kyiv ended without a deal, officials said. ") * 3
EVENT = Path(__file__).resolve().parents[1].parent / "shared/corpora/newswcl50/articles/event_0"
#: The analysis notebooks `framelens report` executes (01-05 on one story, 06 across stories).
N_NOTEBOOKS = len(list((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb")))


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
        out = capsys.readouterr().out
        assert "example:" in out
        assert ".csv" in out and ".jsonl" in out  # the single-file corpus form is explained
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    assert "framelens check articles.jsonl.xz --min-words 50" in capsys.readouterr().out


@pytest.mark.skipif(not EVENT.is_dir(), reason=f"NewsWCL50 corpus not found at {EVENT}")
def test_report_on_newswcl50_event(tmp_path: Path) -> None:
    out = tmp_path / "report"
    assert main(["report", str(EVENT), "--out", str(out)]) == 0
    assert (out / "index.html").is_file()
    pages = sorted((out / "notebooks").glob("*.html"))
    assert len(pages) == N_NOTEBOOKS
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(o in index for o in ("0_L", "0_LL", "0_M", "0_R", "0_RR"))


# ------------------------------------------------------------------ check on a single file


def test_check_csv_file_names_each_bad_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "articles.csv"
    text = "Putin met NATO officials in Kyiv on Monday."
    table.write_text(f"doc_id,outlet,text\na,A,{text}\nb,B,\na,C,{text}\nc,C,...\n", encoding="utf-8")
    assert main(["check", str(table)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"articles.csv:line 3: {table}, line 3: the text is empty or only whitespace; put the article's "
        "text in it or delete the row.",
        f"articles.csv:line 4: {table}, line 4: doc_id 'a' repeats line 2; give each article a unique "
        "doc_id, or delete the copy.",
        f"articles.csv:line 5: {table}, line 5: the text has no words once page furniture is removed (too "
        "short to analyse); put the article's text in it or delete the row.",
        "3 problem(s); 1 article(s) usable from 1 outlet(s).",
    ]


def test_check_jsonl_file_ok_and_min_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "a.jsonl"
    table.write_text('{"doc_id": "a", "outlet": "A", "text": "Kyiv asked NATO."}\n'
                     '{"doc_id": "b", "outlet": "B", "text": "Kyiv asked NATO for an invitation today."}\n',
                     encoding="utf-8")
    assert main(["check", str(table)]) == 0
    assert f"OK: 2 article(s) from 2 outlet(s) in {table}." in capsys.readouterr().out
    assert main(["check", str(table), "--min-words", "5"]) == 1
    out = capsys.readouterr().out
    assert "a.jsonl:line 1:" in out and "has 3 words once page furniture is removed, fewer than min_words=5" in out


# ------------------------------------------------------------------ where report finds the notebooks


def _notebook_folder(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "01-x.ipynb").write_text("{}", encoding="utf-8")
    return folder


def test_notebook_lookup_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a package installed from a wheel: no source tree two levels above the module
    monkeypatch.setattr(cli, "__file__", str(tmp_path / "site-packages" / "framelens" / "cli.py"))
    monkeypatch.setattr(cli.sys, "prefix", str(tmp_path / "prefix"))
    with pytest.raises(FileNotFoundError) as err:
        find_notebooks()
    message = str(err.value)
    assert f"{tmp_path / 'notebooks'} (source tree)" in message
    assert f"{tmp_path / 'prefix/share/framelens/notebooks'} (installed with the package)" in message
    assert "pass --notebooks FOLDER" in message
    installed = _notebook_folder(tmp_path / "prefix" / "share" / "framelens" / "notebooks")
    assert find_notebooks() == installed
    source = _notebook_folder(tmp_path / "notebooks")  # a checkout wins over the installed copies
    assert find_notebooks() == source
    explicit = _notebook_folder(tmp_path / "mine")  # --notebooks wins over both
    assert find_notebooks(explicit) == explicit
    with pytest.raises(FileNotFoundError, match=r"looked in .*empty \(--notebooks\)"):
        find_notebooks(tmp_path / "empty")


def test_report_without_notebooks_fails_naming_where_it_looked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli, "__file__", str(tmp_path / "site-packages" / "framelens" / "cli.py"))
    monkeypatch.setattr(cli.sys, "prefix", str(tmp_path / "prefix"))
    folder = _corpus(tmp_path / "c", {"a.txt": GOOD.encode()})
    assert main(["report", str(folder), "--out", str(tmp_path / "out")]) == 1
    assert "framelens report: no analysis notebooks (*.ipynb) found; looked in" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_wheel_ships_the_notebooks(tmp_path: Path) -> None:
    """Build a wheel from a copy of the project; it must carry every notebook as data."""
    import shutil
    import subprocess
    import sys
    import zipfile

    root = Path(__file__).resolve().parents[1]
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(root / name, project / name)
    shutil.copytree(root / "notebooks", project / "notebooks", ignore=shutil.ignore_patterns(".*"))
    shutil.copytree(root / "src", project / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    errors = []
    for isolation in (["--no-build-isolation"], []):  # the environment's setuptools, else a fresh one
        run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "-q", "-w",
                              str(tmp_path / "dist"), str(project)], capture_output=True, text=True)
        if run.returncode == 0:
            break
        errors.append(run.stderr.strip().splitlines()[-1] if run.stderr.strip() else f"exit {run.returncode}")
    else:
        pytest.skip(f"cannot build a wheel here (offline, or no 'wheel'/recent setuptools): {errors}")
    wheel = next((tmp_path / "dist").glob("framelens-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(Path(n).name for n in names if "/data/share/framelens/notebooks/" in n)
    assert shipped == sorted(p.name for p in (root / "notebooks").glob("*.ipynb"))
    assert "framelens/cli.py" in names and "framelens/data/lexicons/vader.csv" in names
    assert "framelens/data/lexicons/LICENSE-vader.txt" in names and "framelens/data/lexicons/resources.csv" in names


@pytest.mark.skipif(not EVENT.is_dir(), reason=f"NewsWCL50 corpus not found at {EVENT}")
def test_report_on_a_csv_corpus_file(tmp_path: Path) -> None:
    """The single-file form end to end: one NewsWCL50 event written as one CSV in a temp folder."""
    folder = tmp_path / "event"
    folder.mkdir()
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["doc_id", "outlet", "text"])
    for f in sorted(EVENT.glob("*.txt")):
        writer.writerow([f.stem, f"Outlet {f.stem.split('_')[1]}", f.read_text(encoding="utf-8")])
    (folder / "articles.csv").write_text(buf.getvalue(), encoding="utf-8")
    out = tmp_path / "report"
    assert main(["report", str(folder / "articles.csv"), "--out", str(out)]) == 0
    assert len(sorted((out / "notebooks").glob("*.html"))) == N_NOTEBOOKS
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f"Outlet {o}" in index for o in ("L", "LL", "M", "R", "RR"))
    assert "None: all 5 input articles were read and analysed." in index
    corpus = csv.DictReader(io.StringIO((out / "tables" / "corpus.csv").read_text(encoding="utf-8")))
    assert sorted(r["doc_id"] for r in corpus) == sorted(f.stem for f in EVENT.glob("*.txt"))


def test_check_columns_renames_a_files_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "abp.jsonl"
    table.write_text('{"id": "x1", "source": "Daily A", "content": "Kyiv asked NATO."}\n', encoding="utf-8")
    assert main(["check", str(table)]) == 1
    assert "no 'doc_id' field (fields: 'id', 'source', 'content')" in capsys.readouterr().out
    assert main(["check", str(table), "--columns", "id=doc_id,source=outlet,content=text"]) == 0
    assert "OK: 1 article(s) from 1 outlet(s)" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["check", str(table), "--columns", "id:doc_id"])
    assert "'id:doc_id' is not FILE_NAME=CORPUS_NAME" in capsys.readouterr().err


@pytest.mark.skipif(not EVENT.is_dir(), reason=f"NewsWCL50 corpus not found at {EVENT}")
def test_report_columns_renames_a_single_files_fields(tmp_path: Path) -> None:
    """A JSONL file with its own field names reported from the command line (issue 15, item 14)."""
    import json

    table = tmp_path / "event.jsonl"
    table.write_text("".join(json.dumps({"id": f.stem, "source": f"Outlet {f.stem.split('_')[1]}",
                                         "content": f.read_text(encoding="utf-8")}) + "\n"
                             for f in sorted(EVENT.glob("*.txt"))), encoding="utf-8")
    out = tmp_path / "report"
    assert main(["report", str(table), "--out", str(out), "--columns",
                 "id=doc_id,source=outlet,content=text"]) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f"Outlet {o}" in index for o in ("L", "LL", "M", "R", "RR"))
    assert "None: all 5 input articles were read and analysed." in index
