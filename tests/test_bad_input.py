"""The bad-input catalogue of issue 15, one case a test: nothing lost, nothing hangs, nothing of
the user's deleted.

Each test gives the input a new user might give, and asserts that the message names the file
(or ``FILE:line N``, or the manifest line) and that every input article is either in the
corpus or in the rejects table.
"""
from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from framelens import render
from framelens.actors import ActorTableError, load_actors
from framelens.cli import main
from framelens.corpus import (CorpusError, duplicate_texts, junk_reason, load_corpus, prepare,
                              rejects_table, source_note)

GOOD = ("Vladimir Putin met NATO officials in Kyiv on Monday. Putin said NATO must wait. "
        "The talks in Kyiv ended without a deal, officials said.")
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
SRC = str(Path(__file__).resolve().parents[1] / "src")


def _read(path, *, errors="raise", min_words=1, **kw):
    """Read and prepare a corpus as the pipeline does (junk and min_words are judged after cleaning)."""
    return prepare(load_corpus(path, errors=errors, **kw), min_words=min_words, errors=errors)


def _folder(path: Path, files: dict[str, str | bytes], manifest: str | None = None) -> Path:
    path.mkdir(parents=True)
    for name, data in files.items():
        (path / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    if manifest is not None:
        (path / "manifest.csv").write_text(manifest, encoding="utf-8")
    return path


def _accounted(corpus, names: set[str]) -> None:
    """Every input (file name, or FILE:line N) is either read or rejected, never both."""
    read = set(corpus.articles["path"])
    rejected = set(rejects_table(corpus)["path"])
    assert read | rejected == names and not read & rejected


# ------------------------------------------------------------------ 1. unclosed quote


def test_csv_with_an_unclosed_quote_is_refused_naming_the_line(tmp_path: Path, capsys) -> None:
    table = tmp_path / "u.csv"
    table.write_text('doc_id,text\na,"First article about Kyiv\nb,Second article here\n'
                     'c,Third article about NATO\n', encoding="utf-8")
    assert main(["check", str(table)]) == 1
    out = capsys.readouterr().out
    assert f"{table}, line 2: a quoted field opened on this line is never closed, so lines 2-4" in out
    assert "OK" not in out
    with pytest.raises(CorpusError, match="line 2: a quoted field"):
        _read(table, errors="collect")


def test_manifest_with_an_unclosed_quote_is_refused_naming_the_line(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "c", {"a.txt": GOOD, "b.txt": GOOD + " More."},
                     'doc_id,outlet\na,"Daily A\nb,Daily B\n')
    with pytest.raises(CorpusError, match=r"manifest .*manifest\.csv, line 2: a quoted field opened"):
        _read(folder, errors="collect")


def test_quoted_multiline_fields_that_close_are_still_read(tmp_path: Path) -> None:
    table = tmp_path / "ok.csv"
    table.write_text(f'doc_id,text\na,"{GOOD}\n\nSecond paragraph, with a comma."\nb,"{GOOD} B"\n',
                     encoding="utf-8")
    df = _read(table)
    assert df.articles["doc_id"].tolist() == ["a", "b"] and "\n\nSecond paragraph" in df.articles.loc[0, "text_raw"]


# ------------------------------------------------------------------ 2. hidden files


def test_hidden_txt_file_is_listed_as_a_reject(tmp_path: Path, capsys) -> None:
    files = {f"{n}.txt": f"{GOOD} {n}." for n in "abcd"} | {".hidden_article.txt": GOOD + " hidden."}
    folder = _folder(tmp_path / "c", files)
    df = _read(folder, errors="collect")
    _accounted(df, set(files))
    reason = rejects_table(df).set_index("path").loc[".hidden_article.txt", "reason"]
    assert "hidden file" in reason and "rename it without the leading dot" in reason
    assert main(["check", str(folder)]) == 1
    assert ".hidden_article.txt: article" in capsys.readouterr().out


# ------------------------------------------------------------------ 6. --out owns its folder


def _executed_notebook(path: Path) -> Path:
    nb = new_notebook(metadata={"kernelspec": KERNELSPEC})
    nb.cells = [new_markdown_cell("# Corpus"), new_code_cell("1 + 1", execution_count=1)]
    nb.cells[1].outputs = [nbformat.v4.new_output("execute_result", execution_count=1,
                                                  data={"text/plain": "2"})]
    nbformat.write(nb, path)
    return path


def _param_notebook(path: Path, code: str) -> Path:
    """A notebook with a ``parameters`` cell (``CORPUS``) and one code cell."""
    cells = [new_code_cell('CORPUS = "../seeds"', metadata={"tags": ["parameters"]}), new_code_cell(code)]
    nbformat.write(new_notebook(metadata={"kernelspec": KERNELSPEC}, cells=cells), path)
    return path


def _small_corpus(tmp_path: Path) -> Path:
    files = {f"d{i}.txt": f"Lead {i}. Ukraine asked NATO {'word ' * (10 + i)}t{i}." for i in range(3)}
    return _folder(tmp_path / "corpus", files)


def _render(nbs: Path, out: Path, corpus: Path, *extra: str) -> int:
    return render.main(["--notebooks", str(nbs), "--out", str(out), "--no-execute", "--corpus",
                        str(corpus), "--n-boot", "3", *extra])


def test_report_refuses_a_foreign_folder_and_never_deletes_the_users_files(tmp_path: Path, capsys) -> None:
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _executed_notebook(nbs / "01-corpus.ipynb")
    corpus = _small_corpus(tmp_path)
    out = tmp_path / "mine"
    mine = {"tables/budget.csv": "a,b\n1,2\n", "figures/holiday.png": "png", "notebooks/diary.html": "x",
            "figures/plan.svg": "<svg/>"}
    for rel, text in mine.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, encoding="utf-8")
    assert _render(nbs, out, corpus) == 1
    err = capsys.readouterr().err
    assert f"--out {out} is not empty" in err and "--force" in err
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == sorted(mine)
    assert _render(nbs, out, corpus, "--force") == 0
    for rel, text in mine.items():  # still there, unchanged
        assert (out / rel).read_text(encoding="utf-8") == text
    assert (out / "index.html").is_file() and (out / "tables" / "corpus.csv").is_file()
    written = json.loads((out / render.MARKER).read_text(encoding="utf-8"))["files"]
    assert "index.html" in written and not set(mine) & set(written)
    # a second run (no --force needed: the marker says the folder holds a report) deletes only
    # what the first run wrote and this one does not
    stale = out / "tables" / "stale_from_last_run.csv"
    stale.write_text("x\n", encoding="utf-8")
    marker = json.loads((out / render.MARKER).read_text(encoding="utf-8"))
    marker["files"].append("tables/stale_from_last_run.csv")
    (out / render.MARKER).write_text(json.dumps(marker), encoding="utf-8")
    outside = tmp_path / "outside.csv"
    outside.write_text("not the report's\n", encoding="utf-8")
    marker["files"] += [str(outside), "../outside.csv"]  # a marker edited to point outside OUT
    (out / render.MARKER).write_text(json.dumps(marker), encoding="utf-8")
    assert _render(nbs, out, corpus) == 0
    assert not stale.exists() and outside.exists()
    for rel, text in mine.items():
        assert (out / rel).read_text(encoding="utf-8") == text
    assert not list(out.glob(".framelens-partial-*"))


def test_report_out_pointing_at_a_file_is_a_message(tmp_path: Path, capsys) -> None:
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _executed_notebook(nbs / "01-corpus.ipynb")
    target = tmp_path / "report.html"
    target.write_text("mine", encoding="utf-8")
    assert _render(nbs, target, _small_corpus(tmp_path)) == 1
    assert f"--out {target} is a file, not a folder" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "mine"


def test_failed_report_leaves_the_folder_as_it_was_and_says_so(tmp_path: Path, capsys) -> None:
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    for name, code in (("01-a.ipynb", "x = 1"), ("02-b.ipynb", "x = 2"), ("03-c.ipynb", "1 / 0")):
        _param_notebook(nbs / name, code)
    out = tmp_path / "new-report"
    assert render.main(["--notebooks", str(nbs), "--out", str(out), "--corpus",
                        str(_small_corpus(tmp_path))]) == 1
    err = capsys.readouterr().err
    assert "03-c.ipynb: cell 1 ('1 / 0') failed" in err and "this notebook was not saved" in err
    assert f"Nothing was written: {out} did not exist before and was not created." in err
    assert not out.exists()  # the two notebooks executed before it were not left behind


def test_sigterm_ends_a_report_promptly_leaving_the_folder_as_it_was(tmp_path: Path) -> None:
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _param_notebook(nbs / "01-slow.ipynb", "open(CORPUS + '/../started', 'w').close()\nimport time\ntime.sleep(120)")
    corpus = _small_corpus(tmp_path)
    out = tmp_path / "report"
    out.mkdir()
    (out / render.MARKER).write_text('{"files": ["index.html"]}', encoding="utf-8")
    (out / "index.html").write_text("last week's report", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": SRC}
    proc = subprocess.Popen([sys.executable, "-m", "framelens.render", "--notebooks", str(nbs), "--out",
                             str(out), "--corpus", str(corpus)], env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (tmp_path / "started").exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    assert (tmp_path / "started").exists(), "the slow cell never started"
    proc.send_signal(signal.SIGTERM)
    start = time.monotonic()
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - start < 30
    assert proc.returncode == 130 and "interrupted" in err and "is left as it was" in err
    assert sorted(p.name for p in out.iterdir()) == [render.MARKER, "index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "last week's report"


# ------------------------------------------------------------------ 7. names are text in figures


def test_outlet_names_with_dollars_are_drawn_as_text(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from framelens.plots import style

    names = ["Daily $\\undefinedmacro$ News", "The $\\alpha$ Post"]
    with style():
        fig, ax = plt.subplots()
        ax.barh(names, [1, 2])
        ax.set_title(names[0])
        fig.savefig(tmp_path / "f.png")  # mathtext would raise ParseFatalException here
        fig.savefig(tmp_path / "f.svg")
        plt.close(fig)
    svg = (tmp_path / "f.svg").read_text(encoding="utf-8")
    assert "The $\\alpha$ Post" in svg and "α" not in svg


# ------------------------------------------------------------------ 8. messages, not tracebacks


def test_actors_on_a_folder_with_an_empty_file_names_it_and_goes_on(tmp_path: Path, capsys) -> None:
    folder = _folder(tmp_path / "c", {"a.txt": GOOD, "b.txt": GOOD + " Again.", "empty.txt": ""})
    assert main(["actors", str(folder)]) == 0
    captured = capsys.readouterr()
    assert "empty.txt left out:" in captured.err and "Putin" in captured.out


def test_actors_on_a_missing_path_is_a_message(tmp_path: Path, capsys) -> None:
    assert main(["actors", str(tmp_path / "nope")]) == 1
    err = capsys.readouterr().err
    assert f"framelens actors: {tmp_path / 'nope'}: corpus folder" in err and "does not exist" in err
    assert "Traceback" not in err


def test_actors_csv_with_an_unclosed_quote_names_the_file(tmp_path: Path) -> None:
    table = tmp_path / "actors.csv"
    table.write_text('actor,type,pattern,note\nPutin,person,"Putin\nNATO,organisation,NATO,\n',
                     encoding="utf-8")
    with pytest.raises(ActorTableError, match=r"alias table .*actors\.csv: cannot be read as CSV"):
        load_actors(table)


# ------------------------------------------------------------------ 9. junk is not an article


def test_junk_after_cleaning_is_rejected_with_the_reason(tmp_path: Path) -> None:
    files = {"a.txt": GOOD, "link.txt": "Link Copied\n", "digits.txt": "12 345, 678.\n2024-11-29"}
    df = _read(_folder(tmp_path / "c", files), errors="collect")
    _accounted(df, set(files))
    reasons = rejects_table(df).set_index("path")["reason"]
    assert "holds only web-page interface text ('Link Copied')" in reasons["link.txt"]
    assert "holds no letters, only digits, punctuation or symbols" in reasons["digits.txt"]
    assert all(str(tmp_path / "c" / name) in reasons[name] for name in ("link.txt", "digits.txt"))


def test_junk_reason_keeps_short_real_text() -> None:
    assert junk_reason("Kyiv.") == "" and junk_reason("Link Copied\nKyiv asked NATO.") == ""


# ------------------------------------------------------------------ 10. dates


@pytest.mark.parametrize("date", ["29/11/2024", "2024-13-45", "yesterday"])
def test_manifest_date_not_iso_is_rejected_naming_the_row(tmp_path: Path, date: str) -> None:
    folder = _folder(tmp_path / "c", {"a.txt": GOOD, "b.txt": GOOD + " B."},
                     f"doc_id,date\na,2024-11-29\nb,{date}\n")
    df = _read(folder, errors="collect")
    _accounted(df, {"a.txt", "b.txt"})
    reason = rejects_table(df)["reason"].iloc[0]
    assert f"manifest {folder / 'manifest.csv'}, line 3: date {date!r} is not a calendar day" in reason
    assert "YYYY-MM-DD" in reason and "undated" in reason


def test_table_date_not_iso_is_rejected_naming_the_line(tmp_path: Path) -> None:
    table = tmp_path / "a.jsonl"
    table.write_text(json.dumps({"doc_id": "a", "date": "2016-09-20", "text": GOOD}) + "\n"
                     + json.dumps({"doc_id": "b", "date": "7/23/17", "text": GOOD + " B."}) + "\n"
                     + json.dumps({"doc_id": "c", "date": "", "text": GOOD + " C."}) + "\n",
                     encoding="utf-8")
    df = _read(table, errors="collect")
    _accounted(df, {"a.jsonl:line 1", "a.jsonl:line 2", "a.jsonl:line 3"})
    assert df.articles["date"].tolist() == ["2016-09-20", "unknown"]
    assert rejects_table(df)["reason"].iloc[0].startswith(f"{table}, line 2: date '7/23/17' is not")


# ------------------------------------------------------------------ 11. identical texts


def test_identical_texts_are_named_by_check_and_in_the_source_note(tmp_path: Path, capsys) -> None:
    folder = _folder(tmp_path / "c", {"a.txt": GOOD, "b.txt": GOOD + "\n", "c.txt": GOOD + " C."})
    df = _read(folder, errors="collect")
    _accounted(df, {"a.txt", "b.txt", "c.txt"})  # both copies are kept
    assert duplicate_texts(df.articles)[["path", "same_as"]].values.tolist() == [["b.txt", "a.txt"]]
    assert "1 article has the same text as another (b.txt = a.txt); both are kept." in source_note(df)
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "b.txt: warning: b.txt has the same text as a.txt" in out
    assert "1 problem(s); 3 article(s) usable" in out


def test_identical_texts_do_not_make_one_stand_furthest(tmp_path: Path) -> None:
    from framelens import findings

    (tmp_path / "tables").mkdir()
    names = pd.Index(["A", "B", "C"], name="outlet")
    pd.DataFrame(1.0, index=names, columns=names).to_csv(tmp_path / "tables" / "similarity.csv")
    said = findings.summarize(tmp_path).set_index("section").loc["similarity", "statement"]
    assert said == ("Every pair of the 3 has cosine similarity 1.00, so no article stands closer to "
                    "or further from the others.")


# ------------------------------------------------------------------ 12. byte-identical runs


def test_two_runs_on_the_same_corpus_give_identical_notebooks(tmp_path: Path) -> None:
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _param_notebook(nbs / "01-a.ipynb", "print(len(CORPUS) > 0)")
    corpus = _small_corpus(tmp_path)
    first = render.execute_notebooks(nbs, out=tmp_path / "o1", corpus=corpus)["executed"].iloc[0]
    second = render.execute_notebooks(nbs, out=tmp_path / "o2", corpus=corpus)["executed"].iloc[0]
    assert Path(first).read_bytes() == Path(second).read_bytes()
    ids = [c.id for c in nbformat.read(first, as_version=4).cells]
    assert ids[1] == "injected-parameters"


# ------------------------------------------------------------------ 13. messages that point the right way


def test_utf16_file_gets_a_utf16_hint(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "c", {"a.txt": GOOD, "w.txt": (GOOD + " W.").encode("utf-16")})
    df = _read(folder, errors="collect")
    _accounted(df, {"a.txt", "w.txt"})
    reason = rejects_table(df)["reason"].iloc[0]
    assert "w.txt is not valid UTF-8" in reason and "iconv -f utf-16 -t utf-8" in reason
    assert "cp1252" not in reason


def test_utf16_csv_row_gets_a_utf16_hint(tmp_path: Path) -> None:
    table = tmp_path / "a.csv"
    table.write_bytes(b"doc_id,text\n" + b"a," + GOOD.replace(",", "").encode() + b"\nb," + "Kyiv W".encode("utf-16-le")
                      + b"\xff\xfe\n")
    df = _read(table, errors="collect")
    _accounted(df, {"a.csv:line 2", "a.csv:line 3"})
    assert "iconv -f utf-16" in rejects_table(df)["reason"].iloc[0]


def test_json_error_reads_once_at_column(tmp_path: Path) -> None:
    table = tmp_path / "a.jsonl"
    table.write_text('{"doc_id": "a", "text": "' + GOOD + '"}\n{"doc_id": "b", "text": "unterminated\n',
                     encoding="utf-8")
    df = _read(table, errors="collect")
    _accounted(df, {"a.jsonl:line 1", "a.jsonl:line 2"})
    reason = rejects_table(df)["reason"].iloc[0]
    assert "Unterminated string starting at column 25" in reason and "at at" not in reason


# ------------------------------------------------------------------ 14. --columns


def test_columns_naming_a_key_twice_is_refused(tmp_path: Path, capsys) -> None:
    table = tmp_path / "a.jsonl"
    table.write_text(json.dumps({"id": "a", "content": GOOD}) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["check", str(table), "--columns", "id=doc_id,id=outlet,content=text"])
    assert "'id' is renamed twice (id=doc_id and id=outlet)" in capsys.readouterr().err


def test_columns_reach_the_notebooks_as_a_parameter(tmp_path: Path) -> None:
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _param_notebook(nbs / "01-a.ipynb", "print(COLUMNS)")
    runs = render.execute_notebooks(nbs, out=tmp_path / "o", corpus=_small_corpus(tmp_path),
                                    columns={"id": "doc_id"})
    nb = nbformat.read(runs["executed"].iloc[0], as_version=4)
    assert nb.cells[-1].outputs[0]["text"] == "{'id': 'doc_id'}\n"
    with pytest.raises(ValueError, match="columns given without corpus"):
        render.execute_notebooks(nbs, columns={"id": "doc_id"})


# ------------------------------------------------------------------ size limit


def test_article_beyond_max_article_chars_is_rejected(tmp_path: Path, capsys) -> None:
    folder = _folder(tmp_path / "c", {"a.txt": GOOD, "big.txt": GOOD * 40, "huge.txt": "x" * 9000})
    assert main(["check", str(folder), "--max-article-chars", "2000"]) == 1
    out = capsys.readouterr().out
    assert f"big.txt: article {folder / 'big.txt'} has 5,400 characters, more than max_chars=2,000" in out
    assert f"huge.txt: article {folder / 'huge.txt'} has 9,000 bytes, more than 4 x max_chars=2,000" in out
    assert "2 problem(s); 1 article(s) usable" in out
    table = tmp_path / "t.csv"
    table.write_text(f'doc_id,text\na,"{GOOD}"\nb,"{GOOD * 40}"\n', encoding="utf-8")
    df = _read(table, errors="collect", max_chars=500)
    _accounted(df, {"t.csv:line 2", "t.csv:line 3"})
    with pytest.raises(ValueError, match="max_chars=0 is not allowed"):
        _read(table, max_chars=0)


# ------------------------------------------------------------------ property: any input, bounded time


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)


@settings(max_examples=40, deadline=3000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.tuples(_TEXT, st.integers(1, 3000)), min_size=1, max_size=4))
def test_any_unicode_and_huge_texts_are_read_or_rejected_in_bounded_time(tmp_path_factory, texts) -> None:
    base = tmp_path_factory.mktemp("any")
    folder = base / "folder"
    folder.mkdir()
    rows = []
    for i, (text, times) in enumerate(texts):
        body = text * times
        (folder / f"t{i}.txt").write_text(body, encoding="utf-8", newline="")
        rows.append({"doc_id": f"t{i}", "text": body})
    for path, names in (
        (folder, {f"t{i}.txt" for i in range(len(texts))}),
        (base / "a.jsonl", {f"a.jsonl:line {i + 1}" for i in range(len(texts))}),
    ):
        if path.suffix == ".jsonl":
            path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        start = time.monotonic()
        try:
            df = _read(path, errors="collect", max_chars=200_000)
        except CorpusError as err:  # nothing readable left: the message names every file
            assert all(name in str(err) for name in names)
        else:
            _accounted(df, names)
        assert time.monotonic() - start < 3
    table = base / "a.csv"
    with table.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL)
        writer.writerow(["doc_id", "text"])
        writer.writerows([r["doc_id"], r["text"]] for r in rows)
    start = time.monotonic()
    try:
        df = _read(table, errors="collect", max_chars=200_000)
    except CorpusError as err:
        assert str(table) in str(err)
    else:
        assert len(df.articles) + len(rejects_table(df)) == len(rows)
    assert time.monotonic() - start < 3


# ------------------------------------------------------------------ inputs that already behaved, pinned


def test_a_broken_link_or_a_pipe_named_txt_is_a_reject(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "c", {"a.txt": GOOD})
    os.symlink(tmp_path / "gone.txt", folder / "broken.txt")
    os.mkfifo(folder / "pipe.txt")
    df = _read(folder, errors="collect")
    _accounted(df, {"a.txt", "broken.txt", "pipe.txt"})
    assert all("is not a regular file" in r for r in rejects_table(df)["reason"])


def test_nul_bytes_in_valid_utf8_are_kept_as_written(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "c", {"a.txt": (GOOD + "\x00 tail.").encode(), "b.txt": GOOD + " B."})
    df = _read(folder)
    assert df.articles.loc[0, "text_raw"] == GOOD + "\x00 tail."


def test_header_only_csv_says_it_holds_no_articles(tmp_path: Path) -> None:
    table = tmp_path / "h.csv"
    table.write_text("doc_id,text\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"h\.csv holds no articles: add one line per article"):
        _read(table, errors="collect")


def test_json_numbers_objects_and_booleans_are_carried_as_json_text(tmp_path: Path) -> None:
    table = tmp_path / "n.jsonl"
    table.write_text(json.dumps({"doc_id": 7, "text": GOOD, "meta": {"a": [1]}, "flag": True}) + "\n",
                     encoding="utf-8")
    assert _read(table).articles[["doc_id", "meta", "flag"]].values.tolist() == [["7", '{"a": [1]}', "true"]]


def test_truncated_xz_names_the_file(tmp_path: Path) -> None:
    import lzma

    data = lzma.compress((json.dumps({"doc_id": "a", "text": GOOD}) + "\n").encode() * 50)
    table = tmp_path / "t.jsonl.xz"
    table.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorpusError, match=r"t\.jsonl\.xz cannot be decompressed .*complete \.xz file"):
        _read(table, errors="collect")


_CELL = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=3000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.lists(_CELL, min_size=1, max_size=4), body=st.text(st.characters(blacklist_categories=("Cs",)),
                                                                     max_size=400))
def test_any_manifest_raises_naming_it_or_accounts_for_every_file(tmp_path_factory, header, body) -> None:
    folder = tmp_path_factory.mktemp("manifest")
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b.txt").write_text(GOOD + " B.", encoding="utf-8")
    (folder / "manifest.csv").write_text(",".join(["doc_id", *header]) + "\n" + body, encoding="utf-8",
                                         newline="")
    start = time.monotonic()
    try:
        df = _read(folder, errors="collect")
    except CorpusError as err:
        assert "manifest.csv" in str(err) or "a.txt" in str(err)
    else:
        read, rejected = set(df.articles["path"]), set(rejects_table(df)["path"])
        assert {"a.txt", "b.txt"} <= read | rejected and not read & rejected
    assert time.monotonic() - start < 3


def test_check_counts_the_stories_of_a_story_folder(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "c"
    for rel in ("e1/a.txt", "e1/b.txt", "e2/c.txt"):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(f"{GOOD} {rel}.", encoding="utf-8")
    assert main(["check", str(folder)]) == 0
    assert capsys.readouterr().out == f"OK: 3 article(s) from 3 outlet(s) in 2 stories in {folder}.\n"
