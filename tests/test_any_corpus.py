"""The full report renders on corpora other than the seeds, through both entry points.

A corpus written by the test (article ids with spaces, non-ASCII letters and upper case; one
outlet with two articles; outlets from a manifest.csv; three bad files, which must be listed as
rejected on the findings page and in notebook 01) goes through ``framelens report`` and
``make findings``; NewsWCL50's event 1 through ``make findings``; a one-outlet corpus through
``framelens report``, where the steps that compare outlets show a plain note instead of failing.
Each check reads the written pages: the index and all five notebook pages exist and name the
outlets, and no executed notebook holds an error.

These runs execute every notebook, so each takes tens of seconds. ``make findings`` is run with
``-o .venv/.framelens-installed``: the environment target is not under test here, and without
it make would reinstall the packages whenever pyproject.toml is newer than the stamp.
"""
from __future__ import annotations

import csv
import html
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
EVENT_1 = ROOT.parent / "shared" / "corpora" / "newswcl50" / "articles" / "event_1"
#: NewsWCL50's outlet codes (file name suffix) as its README names them.
WCL_OUTLETS = {"LL": "HuffPost", "L": "New York Times", "M": "USA Today", "R": "Fox News",
               "RR": "Breitbart"}

#: Four short invented reports of one invented event (no real article text in the repo).
ARTICLES = {
    "Ünï Article 1": (
        "Lowland Foreign Minister Anna Kovach asked the Northern Alliance on Monday to invite "
        "Lowland to join at the summit in Brussels next week, according to a letter seen by "
        "reporters. \"An invitation would not be an escalation,\" Kovach wrote in the letter. "
        "Alliance diplomats said there was no consensus among the members yet. Kovach said "
        "Lowland would keep asking. The request comes as fighting continues in the east of Kyiv "
        "province, where the army reported heavy shelling overnight."),
    "ünï article 2": (
        "The Northern Alliance will meet in Brussels next week without a decision on Lowland, "
        "diplomats said on Tuesday. Foreign Minister Anna Kovach said the letter to the allies "
        "stands. \"We will not give up,\" Kovach told reporters in Kyiv. Deputy Prime Minister "
        "Olha Marin said the invitation was not off the table. Analysts said the allies fear "
        "an escalation with the eastern neighbour."),
    "UPPER CASE": (
        "Lowland has asked the Northern Alliance for an invitation to join, Foreign Minister "
        "Anna Kovach wrote in a letter to the allies on Monday. \"An invitation would not be an "
        "escalation,\" Kovach wrote. Diplomats said the members have reached no consensus. The "
        "dictator in the east has warned that such a step would provoke a response, the "
        "ministry said. Officials in Kiev said the letter was sent before the summit."),
    "wire story": (
        "Foreign Minister Anna Kovach urged the Northern Alliance to invite Lowland at next "
        "week's summit in Brussels, in a letter seen by the wire service. \"An invitation would "
        "not be an escalation,\" Kovach said. There is no consensus among the members, three "
        "diplomats said. Deputy Prime Minister Olga Marin said the invitation was not ruled "
        "out. The army said the situation in the east remained difficult."),
}
OUTLETS = {"Ünï Article 1": "Daily Ünïcorn", "ünï article 2": "Daily Ünïcorn",
           "UPPER CASE": "Post Tribune", "wire story": "Wire Service"}


def _write_corpus(folder: Path, articles: dict[str, str], outlets: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for doc_id, text in articles.items():
        (folder / f"{doc_id}.txt").write_text(text + "\n", encoding="utf-8")
    with (folder / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["doc_id", "outlet"])
        writer.writerows(sorted(outlets.items()))
    return folder


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, (
        f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def _report_via_cli(corpus: Path, out: Path) -> None:
    _run([sys.executable, "-m", "framelens", "report", str(corpus), "--out", str(out)])


def _report_via_make(corpus: Path, out: Path) -> None:
    _run(["make", "-C", str(ROOT), "-o", ".venv/.framelens-installed", "findings",
          f"CORPUS={corpus}", f"OUT={out}"])


def _error_cells(executed: Path) -> list[str]:
    nb = nbformat.read(executed, as_version=4)
    return [f"{executed.name} cell {i}: {o.get('ename')}: {o.get('evalue')}"
            for i, c in enumerate(nb.cells) for o in c.get("outputs", [])
            if o.get("output_type") == "error"]


def _notes(executed: Path) -> list[str]:
    """Text outputs of an executed notebook that are framelens notes."""
    nb = nbformat.read(executed, as_version=4)
    found = []
    for c in nb.cells:
        for o in c.get("outputs", []):
            text = o.get("text", "") if o.get("output_type") == "stream" else \
                o.get("data", {}).get("text/plain", "")
            found += [line for line in str(text).splitlines() if line.startswith("Note: ")]
    return found


def _check_report(out: Path, outlets: set[str]) -> None:
    index = out / "index.html"
    assert index.is_file(), f"no {index}"
    pages = {p.stem: p for p in (out / "notebooks").glob("*.html")}
    assert sorted(pages) == NOTEBOOKS
    for name, page in [("index", index), *sorted(pages.items())]:
        text = html.unescape(page.read_text(encoding="utf-8"))
        missing = sorted(o for o in outlets if o not in text)
        assert not missing, f"{name} does not name outlet(s) {missing}"
    errors = [e for nb in NOTEBOOKS for e in _error_cells(out / "notebooks" / f"{nb}.ipynb")]
    assert errors == []


#: Bad inputs added to the made corpus: each must be listed as rejected, none may stop the report.
BAD = {"blank": b"   \n", "latin one": "Caf\u00e9 report.".encode("cp1252"), "only furniture": b"Share\n"}


@pytest.fixture(scope="module")
def made_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = _write_corpus(tmp_path_factory.mktemp("any") / "corpus", ARTICLES, OUTLETS)
    for doc_id, raw in BAD.items():
        (folder / f"{doc_id}.txt").write_bytes(raw)
    with (folder / "manifest.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([doc_id, "Bad Outlet"] for doc_id in BAD)
    return folder


def _check_rejects(out: Path) -> None:
    """The bad inputs are on the findings page and in notebook 01, with their reasons."""
    with (out / "tables" / "rejects.csv").open(encoding="utf-8") as fh:
        rejects = {row["path"]: row["reason"] for row in csv.DictReader(fh)}
    assert sorted(rejects) == sorted(f"{d}.txt" for d in BAD)
    assert "empty" in rejects["blank.txt"]
    assert "not valid UTF-8" in rejects["latin one.txt"] and "byte offset 3" in rejects["latin one.txt"]
    assert "too short to analyse" in rejects["only furniture.txt"]
    index = html.unescape((out / "index.html").read_text(encoding="utf-8"))
    assert "Rejected articles" in index and all(f"{d}.txt" in index for d in BAD)
    page = html.unescape((out / "notebooks" / "01-corpus.html").read_text(encoding="utf-8"))
    assert "4 articles read, 3 rejected" in page and all(f"{d}.txt" in page for d in BAD)


def test_made_corpus_renders_through_framelens_report(made_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "OUT2"
    _report_via_cli(made_corpus, out)
    _check_report(out, set(OUTLETS.values()))
    _check_rejects(out)
    # the outlet with two articles is one column where outlets are compared ...
    keyness = (out / "notebooks" / "05-distinctive-vocabulary.html").read_text(encoding="utf-8")
    assert html.unescape(keyness).count("Daily Ünïcorn") >= 1
    # ... and its articles are told apart where articles are compared
    clusters = html.unescape((out / "notebooks" / "02-tfidf-clusters.html").read_text(encoding="utf-8"))
    assert "Daily Ünïcorn · Ünï Article 1" in clusters and "Daily Ünïcorn · ünï article 2" in clusters
    assert _notes(out / "notebooks" / "04-sources-and-shared-core.ipynb") != []  # no facts.csv


def test_made_corpus_renders_through_make_findings(made_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "OUT1"
    _report_via_make(made_corpus, out)
    _check_report(out, set(OUTLETS.values()))
    _check_rejects(out)


@pytest.mark.skipif(not EVENT_1.is_dir(), reason=f"NewsWCL50 corpus not found at {EVENT_1} "
                    "(../shared/corpora is only present in the project's workplace)")
def test_newswcl50_event_renders_through_make_findings(tmp_path: Path) -> None:
    out = tmp_path / "wcl"
    _report_via_make(EVENT_1, out)
    # without a manifest each file is its own outlet, named by its stem
    _check_report(out, {f"1_{code}" for code in WCL_OUTLETS})


def test_one_outlet_corpus_shows_notes_instead_of_failing(tmp_path: Path) -> None:
    two = dict(list(ARTICLES.items())[:2])
    corpus = _write_corpus(tmp_path / "one", two, {d: "Daily Ünïcorn" for d in two})
    out = tmp_path / "out"
    _report_via_cli(corpus, out)
    _check_report(out, {"Daily Ünïcorn"})
    notes = _notes(out / "notebooks" / "05-distinctive-vocabulary.ipynb")
    assert ("Note: comparing outlets' vocabulary needs at least 2 outlets; the corpus has 1 "
            "(Daily Ünïcorn).") in notes
    assert any("clustering into k=3 groups needs at least 3 articles; the corpus has 2" in n
               for n in _notes(out / "notebooks" / "02-tfidf-clusters.ipynb"))
