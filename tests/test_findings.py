"""Tests for framelens.findings: the findings page, its tables and figures, and its safety."""
from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelens import findings
from framelens.render import external_references
from framelens.report.figures import FIGURE_DRAWERS
from framelens.report.page import escape

#: Article text that must never become markup.
PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click me</a>',
)


from _html import Page, parse  # shared test helper


def assert_inert(page: str) -> Page:
    """No script, no event handler, no javascript: link, images only from figures/."""
    p = parse(page)
    assert [t for t, _ in p.tags if t in {"script", "iframe", "object", "embed"}] == []
    assert [(t, k) for t, a in p.tags for k in a if k.startswith("on")] == []
    hrefs = [a.get("href", "") for t, a in p.tags if t == "a"]
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript")]
    srcs = [a.get("src", "") for t, a in p.tags if t == "img"]
    assert all(s.startswith("figures/") and s.endswith(".png") for s in srcs), srcs
    return p


def _article(n_words: int, lead: str, topic: str) -> str:
    body = " ".join(f"{topic}{i % 7} nato kyiv membership" for i in range(n_words // 4))
    return f"{lead} Ukraine asked NATO for an invitation.\n\n{body}.\n"


ACTORS = "actor,type,pattern\nPutin,person,(?:Vladimir\\s+)?Putin\nSybiha,person,Sybiha\n"
FACTS = "fact,pattern,note\nthe letter,\\bletter\\b,a letter was sent\nthe summit,\\bsummit\\b,a summit is due\n"
RICH = (
    'Russian dictator Vladimir Putin attacked Kyiv again. "We need an invitation now," Sybiha said. '
    "Reuters saw the letter before the summit.",
    'Russian President Vladimir Putin spoke in Kiev on Friday. "We need an invitation now," Sybiha told '
    "Reuters. The letter was sent to allies.",
    'President Vladimir Putin met officials in Kiev. "We must be invited soon," said Sybiha. British '
    "journalists learned about the letter and the summit.",
    "Illegitimate Russian president Vladimir Putin warned Kyiv. Sybiha wrote a letter, according to Reuters."
    "\n\nSource: Paper 3",
)


def rich_corpus(make_corpus, name: str = "rich"):
    """Four short articles with actors, labels, quotes, spellings and facts for every section."""
    files = {f"d{i}.txt": f"{_article(40 + 10 * i, 'More.', f't{i}')}\n{text}\n" for i, text in enumerate(RICH)}
    folder = make_corpus(files, [{"doc_id": f"d{i}", "outlet": f"Paper {i}"} for i in range(len(RICH))], name=name)
    (folder / "actors.csv").write_text(ACTORS, encoding="utf-8")
    (folder / "facts.csv").write_text(FACTS, encoding="utf-8")
    return folder


@pytest.fixture
def xss_corpus(make_corpus):
    files = {
        f"doc{i}.txt": _article(40 + 20 * i, f"Report {i} quoted {payload} in full.", f"w{i}")
        for i, payload in enumerate(PAYLOADS)
    }
    manifest = [
        {"doc_id": f"doc{i}", "outlet": f"Outlet {i} {payload}", "translated": "no"}
        for i, payload in enumerate(PAYLOADS)
    ]
    return make_corpus(files, manifest, name="xss")


def test_article_text_and_outlet_names_are_escaped_not_markup(xss_corpus, tmp_path):
    out = tmp_path / "out"
    index = findings.write_findings(xss_corpus, out=out, n_boot=10)
    page = index.read_text(encoding="utf-8")
    p = assert_inert(page)
    text = "".join(p.text)
    # the payloads are on the page, as text a reader can see, not dropped
    for payload in PAYLOADS:
        assert f"quoted {payload} in full" in text
        assert f"Outlet {PAYLOADS.index(payload)} {payload}" in text
    assert external_references(page).empty


def test_page_numbers_follow_the_corpus(make_corpus, tmp_path):
    pages = {}
    for name, lengths in (("short", (20, 40, 60)), ("long", (100, 140, 180))):
        files = {f"d{i}.txt": _article(n, f"Lead {i}.", f"t{i}") for i, n in enumerate(lengths)}
        manifest = [{"doc_id": f"d{i}", "outlet": f"Paper {chr(65 + i)}"} for i in range(3)]
        folder = make_corpus(files, manifest, name=name)
        out = tmp_path / f"out-{name}"
        page = findings.write_findings(folder, out=out, n_boot=10).read_text(encoding="utf-8")
        table = pd.read_csv(out / "tables" / "corpus.csv")
        lo, hi = int(table["words"].min()), int(table["words"].max())
        assert f"from {lo} to {hi} words" in page
        pages[name] = (lo, hi, page)
    assert pages["short"][:2] != pages["long"][:2]
    assert pages["short"][2] != pages["long"][2]


def test_numbers_are_read_from_the_saved_tables_at_render_time(make_corpus, tmp_path):
    files = {f"d{i}.txt": _article(40 + 10 * i, f"Lead {i}.", f"t{i}") for i in range(3)}
    folder = make_corpus(files, [{"doc_id": f"d{i}", "outlet": f"Paper {i}"} for i in range(3)])
    out = tmp_path / "out"
    findings.write_findings(folder, out=out, n_boot=10)
    csv = out / "tables" / "corpus.csv"
    table = pd.read_csv(csv, keep_default_na=False)
    table.loc[0, "words"] = 98765
    table.to_csv(csv, index=False)
    page = findings.findings_page(out)
    assert "98765" in page
    # no actors.csv in this corpus: labels use proposed actors (as notebook 03 does) and say so
    status = pd.read_csv(out / "tables" / "sections.csv", keep_default_na=False).set_index("section")
    assert status.loc["labels", "status"] == "computed"
    assert status.loc["labels", "note"].startswith("No actors.csv in the corpus folder: using ")
    sim = pd.read_csv(out / "tables" / "similarity.csv", index_col=0)
    sim.iloc[0, 1] = sim.iloc[1, 0] = 0.4321
    sim.to_csv(out / "tables" / "similarity.csv")
    assert "0.43" in findings.summarize(out).set_index("section").loc["similarity", "statement"]


def test_tables_and_figures_written_and_byte_stable(make_corpus, tmp_path):
    folder = rich_corpus(make_corpus)
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        findings.write_findings(folder, out=out, n_boot=10)
        runs.append(out)
    status = pd.read_csv(runs[0] / "tables" / "sections.csv", keep_default_na=False)
    assert status["status"].eq("computed").all(), status
    for table in findings.TABLES:
        assert (runs[0] / "tables" / f"{table}.csv").is_file(), table
    for figure in findings.FIGURES:
        for ext in ("png", "svg"):
            first = (runs[0] / "figures" / f"{figure}.{ext}").read_bytes()
            assert first == (runs[1] / "figures" / f"{figure}.{ext}").read_bytes(), f"{figure}.{ext}"
    said = findings.summarize(runs[0]).set_index("section")["statement"]
    assert "Paper 0 and Paper 3 call Putin \u201cRussian dictator\u201d" in said["labels"]
    assert "\u201cKiev\u201d (Russian-based) in Paper 1 (1\u00d7) and Paper 2 (1\u00d7)" in said["spelling"]
    assert "to Reuters by Paper 1 and Paper 3" in said["quotes"]
    assert "the summit (missing in Paper 1 and Paper 3)" in said["coverage"]
    assert "Paper 0 uses the most delegitimising wording" in said["lexicon"]
    svg = (runs[0] / "figures" / "similarity_heatmap.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
    assert "Paper 0" in svg  # outlet names, not file ids, on the axes
    assert (runs[0] / "index.html").read_bytes() == (runs[1] / "index.html").read_bytes()


def test_page_links_each_figure_and_the_notebook_section(make_corpus, tmp_path):
    folder = rich_corpus(make_corpus)
    out = tmp_path / "out"
    nb_page = out / "notebooks" / "02-tfidf-clusters.html"
    nb_page.parent.mkdir(parents=True)
    nb_page.write_text('<h1 id="Clusters">Clusters</h1><h2 id="Cosine-similarity">Cosine similarity</h2>',
                       encoding="utf-8")
    notebooks = pd.DataFrame({"notebook": ["02-tfidf-clusters"], "html": ["notebooks/02-tfidf-clusters.html"],
                              "title": ["Clusters"]})
    page = findings.write_findings(folder, out=out, notebooks=notebooks, n_boot=10).read_text(encoding="utf-8")
    p = assert_inert(page)
    hrefs = [a.get("href") for t, a in p.tags if t == "a"]
    assert "notebooks/02-tfidf-clusters.html#Cosine-similarity" in hrefs
    srcs = {a["src"] for t, a in p.tags if t == "img"}
    assert {f"figures/{f}.png" for f in findings.FIGURES} == srcs
    assert all((out / s).is_file() for s in srcs)
    assert "Caveats" in page and "Only 4 articles" in page
    assert "Not computed" not in page


def test_missing_tables_give_no_findings(tmp_path):
    (tmp_path / "tables").mkdir()
    table = findings.summarize(tmp_path)
    assert table.empty
    assert list(table.columns) == ["section", "heading", "statement", "figure", "tables"]
    assert findings.draw_figures(tmp_path).empty


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_bad_n_boot_is_named(seeds_dir, tmp_path, bad):
    with pytest.raises(ValueError, match=rf"n_boot={bad!r}"):
        findings.compute_tables(seeds_dir, out=tmp_path, n_boot=bad)


def test_pairwise_sections_skipped_above_max_docs(make_corpus, tmp_path):
    folder = rich_corpus(make_corpus)
    status = findings.compute_tables(folder, out=tmp_path, n_boot=5, max_docs=3).set_index("section")
    skipped = sorted(status.index[status["status"] == "not computed"])
    assert skipped == ["coverage", "framing", "quotes", "sensitivity", "sentences", "similarity", "stability"]
    assert "4 articles exceed max_docs=3" in status.loc["similarity", "note"]
    assert not (tmp_path / "tables" / "similarity.csv").exists()
    assert (tmp_path / "tables" / "register_rates.csv").is_file()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_characters="\r\x00", exclude_categories=("Cs",))))
def test_any_text_placed_on_the_page_stays_text(text):
    """Whatever an article or manifest holds, the page shows it verbatim and it adds no element.

    (Carriage returns and NUL are left out: HTML parsing itself normalises them.)
    """
    p = parse(f"<p>{escape(text)}</p><img alt=\"{escape(text)}\" src=\"figures/x.png\">")
    assert [t for t, _ in p.tags] == ["p", "img"]
    assert "".join(p.text) == text
    assert p.tags[1][1]["alt"] == text


def test_rerun_on_another_corpus_leaves_no_stale_table(make_corpus, tmp_path):
    out = tmp_path / "out"
    findings.write_findings(rich_corpus(make_corpus), out=out, n_boot=5)
    assert (out / "tables" / "coverage_matrix.csv").is_file()
    files = {f"d{i}.txt": _article(40 + 10 * i, f"Lead {i}.", f"t{i}") for i in range(3)}
    plain = make_corpus(files, [{"doc_id": f"d{i}", "outlet": f"Other {i}"} for i in range(3)], name="plain")
    page = findings.write_findings(plain, out=out, n_boot=5).read_text(encoding="utf-8")
    assert not (out / "tables" / "coverage_matrix.csv").exists()
    assert not (out / "figures" / "fact_coverage.png").exists()
    assert "Paper 0" not in page and "Other 0" in page


# ------------------------------------------------------------------ rejected articles, small corpora


def _rejected(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(corpus.csv, rejects.csv) as written."""
    read = lambda name: pd.read_csv(out / "tables" / f"{name}.csv", keep_default_na=False)  # noqa: E731
    return read("corpus"), read("rejects")


def test_rejected_articles_are_listed_escaped_and_none_is_lost(make_corpus, tmp_path):
    files = {f"d{i}.txt": _article(40 + 10 * i, f"Lead {i}.", f"t{i}") for i in range(3)}
    files.update({"<b>empty.txt": "", "latin.txt": "Caf\xe9 ".encode("latin-1") * 9, "dots.txt": "... !!"})
    manifest = [{"doc_id": d, "outlet": f"Paper {d}"} for d in ("d0", "d1", "d2", "<b>empty", "latin", "dots",
                                                                 "ghost")]
    folder = make_corpus(files, manifest)
    out = tmp_path / "out"
    findings.compute_tables(folder, out=out, n_boot=5)
    corpus, rejects = _rejected(out)
    assert corpus["doc_id"].tolist() == ["d0", "d1", "d2"]
    assert rejects["path"].tolist() == ["<b>empty.txt", "dots.txt", "ghost.txt", "latin.txt"]
    assert len(corpus) + len(rejects) == 7  # six files and a manifest row without a file
    page = findings.findings_page(out)
    p = assert_inert(page)
    text = " ".join("".join(p.text).split())
    assert "4 input articles could not be analysed and are left out of every finding below; 3 were analysed" in text
    assert "<b>empty.txt is empty or holds only whitespace" in text  # shown as text, not markup
    assert [t for t, _ in p.tags if t == "b"] == []
    assert "dots.txt has no words once page furniture is removed (too short to analyse)" in text
    assert "doc_id 'ghost' has no file 'ghost.txt'" in text and "Re-save the file as UTF-8" in text
    assert 'href="tables/rejects.csv"' in page


def test_no_rejects_says_none(make_corpus, tmp_path):
    files = {f"d{i}.txt": _article(40, f"Lead {i}.", f"t{i}") for i in range(3)}
    folder = make_corpus(files, [{"doc_id": f"d{i}", "outlet": f"Paper {i}"} for i in range(3)])
    findings.compute_tables(folder, out=tmp_path, n_boot=5)
    assert _rejected(tmp_path)[1].empty
    text = " ".join("".join(parse(findings.findings_page(tmp_path)).text).split())
    assert "Rejected articles None: all 3 input articles were read and analysed." in text


def test_one_article_corpus_says_what_needs_more(make_corpus, tmp_path):
    folder = make_corpus({"only.txt": _article(60, "Lead.", "t")}, [{"doc_id": "only", "outlet": "Solo"}])
    status = findings.compute_tables(folder, out=tmp_path, n_boot=5).set_index("section")
    for section in ("keyness", "quotes", "coverage", "spelling"):
        assert status.loc[section, "status"] == "not computed"
        assert status.loc[section, "note"] == ("compares outlets, and the corpus has 1 article from a single "
                                               "outlet (Solo); it needs articles from at least 2 outlets")
    assert "needs at least 2 articles" in status.loc["similarity", "note"]
    assert "needs at least 3 articles" in status.loc["stability", "note"]
    assert status.loc["corpus", "status"] == "computed" and status.loc["lexicon", "status"] == "computed"
    text = " ".join("".join(parse(findings.findings_page(tmp_path)).text).split())
    assert "This corpus has 1 article from 1 outlet. Findings that compare articles need at least 2" in text
    assert "None: the one input article was read and analysed." in text
    assert "1 version of the report" in text and "Only 1 article:" in text


def test_one_outlet_corpus_compares_no_outlets(make_corpus, tmp_path):
    files = {f"d{i}.txt": _article(40 + 10 * i, f"Lead {i}.", f"t{i}") for i in range(3)}
    folder = make_corpus(files, [{"doc_id": f"d{i}", "outlet": "Same Paper"} for i in range(3)])
    status = findings.compute_tables(folder, out=tmp_path, n_boot=5).set_index("section")
    assert status.loc["keyness", "note"].startswith("compares outlets, and the corpus has 3 articles from "
                                                    "a single outlet (Same Paper)")
    # articles are still compared, each told apart by its id
    sim = pd.read_csv(tmp_path / "tables" / "similarity.csv", index_col=0)
    assert sim.index.tolist() == [f"Same Paper · d{i}" for i in range(3)]
    assert status.loc["stability", "status"] == "computed"
    page = findings.findings_page(tmp_path)
    assert "This corpus has 3 articles from 1 outlet." in page
    assert "Same Paper · d" in " ".join("".join(parse(page).text).split())


def test_csv_corpus_with_companions_next_to_the_file(make_corpus, tmp_path):
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["doc_id", "outlet", "text"])
    writer.writerows([[f"d{i}", f"Paper {i}", f"{_article(40 + 10 * i, 'More.', f't{i}')}\n{text}"]
                      for i, text in enumerate(RICH)] + [["d9", "Paper 9", ""]])
    folder = tmp_path / "csvcorpus"
    folder.mkdir()
    table = folder / "articles.csv"
    table.write_text(buf.getvalue(), encoding="utf-8")
    (folder / "actors.csv").write_text(ACTORS, encoding="utf-8")
    out = tmp_path / "out"
    status = findings.compute_tables(table, out=out, n_boot=5).set_index("section")
    assert status.loc["labels", "status"] == "computed"  # actors.csv found next to the file
    corpus, rejects = _rejected(out)
    data = buf.getvalue()
    last = data[:data.index("d9,Paper 9,")].count("\n") + 1  # the texts span several lines each
    assert len(corpus) == 4 and rejects["path"].tolist() == [f"articles.csv:line {last}"]
    assert f"line {last}: the text is empty or only whitespace" in rejects["reason"].iloc[0]


def test_lexicon_files_next_to_the_corpus_add_terms(make_corpus, tmp_path):
    files = {f"d{i}.txt": _article(40, f"Lead {i} blamed the junta.", f"t{i}") for i in range(3)}
    folder = make_corpus(files, [{"doc_id": f"d{i}", "outlet": f"Paper {i}"} for i in range(3)])
    (folder / "lexicon-mine.csv").write_text(
        "term,is_regex,register,target_type,note,source\n"
        "junta,false,delegitimising,government,a government named as seized by force,test fixture\n",
        encoding="utf-8")
    findings.compute_tables(folder, out=tmp_path, n_boot=5)
    used = pd.read_csv(tmp_path / "tables" / "lexicon_used.csv", keep_default_na=False)
    assert used.loc[used["term"] == "junta", "origin"].tolist() == ["lexicon-mine.csv"]
    hits = pd.read_csv(tmp_path / "tables" / "lexicon_hits.csv", keep_default_na=False)
    assert (hits["term"] == "junta").sum() == 3


def test_labels_without_actors_csv_use_proposed_actors_and_the_page_says_so(make_corpus, tmp_path):
    text = ("Foreign Minister Anna Kovach wrote to the alliance on Monday. "
            "Anna Kovach said the letter stands. Diplomats met Anna Kovach in Brussels.")
    files = {f"d{i}.txt": text for i in range(3)}
    folder = make_corpus(files, [{"doc_id": f"d{i}", "outlet": f"Paper {i}"} for i in range(3)])
    out = tmp_path / "out"
    page = html.unescape(findings.write_findings(folder, out=out, n_boot=10).read_text(encoding="utf-8"))
    labels = pd.read_csv(out / "tables" / "actor_labels.csv", keep_default_na=False)
    assert set(labels["actor"]) == {"Kovach"}  # proposed actors are named by the surname
    assert set(labels["label"]) == {"Foreign Minister"}
    assert re.search(r"Foreign Minister”\. .*No actors\.csv in the corpus folder: using \d+ proposed actors", page)


# ------------------------------------------------------------------ the seed page: claims that follow from the numbers


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory) -> Path:
    """The seeds rendered as ``make findings`` does (200 bootstrap samples), into a temporary folder."""
    out = tmp_path_factory.mktemp("seed-report")
    findings.write_findings(Path(__file__).resolve().parents[1] / "seeds", out=out, n_boot=200)
    return out


def _statements(out: Path) -> pd.Series:
    return findings.summarize(out).set_index("section")["statement"]


def test_seed_similarity_names_the_tie_not_one_closest_pair(seed_report):
    said = _statements(seed_report)["similarity"]
    # similarity.csv: 003-004 0.532701, VTC-004 0.529756, CNN-VTC 0.529377 lie within 0.005; next 0.495997
    assert ("3 pairs tie as the most alike, within 0.005 of each other: Unnamed site (003) and Reuters-based "
            "(004) (0.5327), VTC News and Reuters-based (004) (0.5298) and CNN Brasil (republished) and VTC News "
            "(0.5294), so no single pair is the most alike") in said
    assert "Unnamed site (000) and CNN Brasil (republished) are the least alike (cosine 0.40)" in said
    # with stop words kept 004 stands apart instead of 000: the page says so
    assert "with stop words kept (function words counted) Reuters-based (004) does instead" in said
    svg = (seed_report / "figures" / "similarity_heatmap.svg").read_text(encoding="utf-8")
    assert "closest pair" not in svg and "3 pairs tie as the closest" in svg


def test_seed_stability_says_what_the_bootstrap_is_and_where_the_grouping_breaks(seed_report):
    said = _statements(seed_report)["stability"]
    assert "redraws the vocabulary, not the articles" in said and "not a confidence" in said
    assert "does not hinge on a few words" not in said
    # 191/200 = 96%; Wilson intervals of 186, 181 and 179 of 200 overlap [0.917, 0.976]
    assert "CNN Brasil (republished) and VTC News share a group in 96% of samples" in said
    assert "3 other pairs overlap theirs" in said
    assert "16 settings, k=3: together in 62%" in said
    assert ("bootstrap, stop words kept, k=3: together in 24% (the most common grouping there, in 47% of runs, "
            "separates them)") in said


def test_seed_labels_list_003_as_naming_putin_without_a_title(seed_report):
    said = _statements(seed_report)["labels"]
    assert "Unnamed site (003) names Putin without a title (1\u00d7)" in said
    assert "the other 3 outlets that name Putin" not in said
    # grouped only by equal label sets: 004 writes "Russian President Vladimir Putin" once and never "President" alone
    assert "CNN Brasil (republished) and VTC News call Putin \u201cPresident\u201d and \u201cRussian President\u201d" in said
    assert "Reuters-based (004) calls Putin \u201cRussian President\u201d;" in said
    text = (Path(__file__).resolve().parents[1] / "seeds" / "004_d6eb0f94e4030983.txt").read_text(encoding="utf-8")
    assert text.count("Putin") == text.count("Russian President Vladimir Putin") == 1


def test_seed_readme_rate_claim_states_the_overlapping_interval(seed_report):
    said = findings.readme_summary(seed_report)
    assert "Unnamed site (000) has the highest rate of delegitimising lexicon hits" in said
    assert "overlaps another outlet's, so these texts do not show that it uses more" in said


def test_seed_coverage_states_its_thresholds_and_every_missing_fact(seed_report):
    said = _statements(seed_report)["coverage"]
    assert "TF-IDF cosine with its best counterpart is at least 0.14" in said
    assert "at least 50% of its word trigrams" in said
    # core_share.csv: 003 and 004 both 0.0 -> a tie at the bottom, named together
    assert "Unnamed site (003) and Reuters-based (004) have none" in said
    assert "\u2026" not in said  # the fact list is complete
    assert "Zelensky's NATO-umbrella idea (missing in CNN Brasil (republished) and Unnamed site (003))" in said
    assert "awaiting Trump (missing in Unnamed site (000), VTC News and Unnamed site (003))" in said
    assert "\u201cdefy\u201d" not in said or "Ukraine urges NATO to defy Russia" in said


def test_seed_sensitivity_panel(seed_report):
    said = _statements(seed_report)["sensitivity"]
    assert "(0.5327), VTC News and Reuters-based (004) (0.5298)" in said
    assert "16 settings: cleaned or published text" in said
    # stop words kept, k=3: {CNN, 000, 003} | {004} | {VTC} in 94 of 200 samples = 47%
    assert ("{CNN Brasil (republished), Unnamed site (000), Unnamed site (003)} | {Reuters-based (004)} | "
            "{VTC News} (47%)") in said
    assert "at 0.20 CNN Brasil (republished) and Unnamed site (000) tie for the most (37%, 36%)" in said
    assert "holds at 0.10 and 0.14 only" in said
    page = (seed_report / "index.html").read_text(encoding="utf-8")
    assert 'id="finding-sensitivity"' in page and "0.5327" in page


_NUMBER = re.compile(r"(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")


def _admissible(tables: list[pd.DataFrame]) -> set[str]:
    """Every rendering of every number a table holds or directly implies (means, sums, counts)."""
    values: set[float] = set()
    for t in tables:
        values.add(float(len(t)))
        num = t.select_dtypes("number")
        values.update(float(v) for v in num.to_numpy().ravel())
        for col in num.columns:
            s = num[col].astype(float)
            values.update({s.mean(), s.median(), s.sum(), s.min(), s.max()})
        text_cols = list(t.select_dtypes(exclude="number").columns)
        for i, a in enumerate(text_cols):  # distinct combinations (e.g. actor x label)
            for b in text_cols[i + 1:]:
                values.add(float(len(t.drop_duplicates([a, b]))))
        if {"outlet_a", "outlet_b"} <= set(t.columns) and len(num.columns):  # each article's mean over its pairs
            rest = [c for c in text_cols if c not in ("outlet_a", "outlet_b")]
            for _, g in (t.groupby(rest[0]) if rest else [(None, t)]):
                for name in set(g["outlet_a"]) | set(g["outlet_b"]):
                    rows = g[(g["outlet_a"] == name) | (g["outlet_b"] == name)]
                    values.update(float(v) for v in rows[num.columns].mean())
        if len(num.columns):  # rows with a zero / with none (e.g. facts missing somewhere)
            values.update({float((num == 0).any(axis=1).sum()), float((num > 0).all(axis=1).sum())})
        for col in text_cols:
            values.add(float(t[col].nunique()))
            values.update(float(v) for v in t[col].value_counts())
            for other in num.columns:  # per-outlet means (e.g. mean cosine of each article)
                values.update(float(v) for v in t.groupby(col)[other].mean())
        if len(num.columns) == len(t) and len(t) > 1:  # a square matrix: row means off the diagonal
            m = num.to_numpy(dtype=float)
            off = m[~np.eye(len(m), dtype=bool)].reshape(len(m), -1)
            values.update(off.mean(axis=1).tolist())
            values.add(float(off.mean()))
    out = set()
    for v in values:
        if not np.isfinite(v):
            continue
        out |= {f"{v:.0f}", f"{v:.1f}", f"{v:.2f}", f"{v:.3f}", f"{v:.4f}", f"{100 * v:.0f}%", f"{v:,.0f}"}
    return out


def test_every_number_on_the_seed_page_is_in_its_tables(seed_report):
    import numpy as np  # noqa: F401  (used by _admissible)
    from framelens.align import MIN_WORDS, PARAPHRASE, VERBATIM
    from framelens.claims import COSINE_TOL

    found = findings.summarize(seed_report)
    corpus = pd.read_csv(seed_report / "tables" / "corpus.csv", keep_default_na=False)
    constants = {f"{PARAPHRASE:.2f}", f"{100 * VERBATIM:.0f}%", str(MIN_WORDS), str(COSINE_TOL), "1.96", "95%",
                 "80%", "1,000", "5", "2", "3", "1", "0.10", "0.20", "0.30", "0.40"}
    names = sorted(corpus["outlet"].astype(str), key=len, reverse=True)
    unexplained = {}
    for row in found.itertuples():
        text = re.sub(r"\u201c[^\u201d]*\u201d", "", row.statement)  # quoted article text is evidence, not a number
        text = re.sub(r"(?<=[\s(:])'[^']+'(?=[\s:;,.)])", "", text)  # evidence quoted in the traces table
        for name in names:
            text = text.replace(name, "OUTLET")
        text = re.sub(r"k=\d", "", text)
        tables = [pd.read_csv(seed_report / "tables" / f"{t}.csv", keep_default_na=False)
                  for t in row.tables.split(",") if (seed_report / "tables" / f"{t}.csv").is_file()]
        for t in [tbl for tbl in tables if "outlet" in tbl.columns and tbl.columns[0] == "outlet"]:
            tables.append(t.set_index("outlet"))
        allowed = _admissible(tables + [corpus]) | constants
        missing = [n for n in _NUMBER.findall(text) if n not in allowed]
        if missing:
            unexplained[row.section] = missing
    assert unexplained == {}


def test_a_broken_tie_is_then_stated(seed_report, tmp_path):
    import shutil

    out = tmp_path / "edited"
    shutil.copytree(seed_report / "tables", out / "tables")
    sim = pd.read_csv(out / "tables" / "similarity.csv", index_col=0)
    sim.loc["Unnamed site (003)", "Reuters-based (004)"] = sim.loc["Reuters-based (004)", "Unnamed site (003)"] = 0.61
    sim.to_csv(out / "tables" / "similarity.csv")
    said = _statements(out)["similarity"]
    assert "Unnamed site (003) and Reuters-based (004) are the most alike (cosine 0.61)" in said
    assert "tie as the most alike" not in said


def test_seed_figures_are_readable_at_the_page_width_and_show_every_outlet(seed_report):
    from framelens.viz import MIN_TEXT_PX, PAGE_PX

    names = pd.read_csv(seed_report / "tables" / "corpus.csv")["outlet"].astype(str)
    small, absent = {}, {}
    for svg in sorted((seed_report / "figures").glob("*.svg")):
        text = svg.read_text(encoding="utf-8")
        width_pt = float(re.search(r'<svg[^>]*width="([\d.]+)pt"', text).group(1))
        shown = min(PAGE_PX, width_pt * 150 / 72)  # the PNG is saved at 150 dpi, shown at most PAGE_PX wide
        px = min(float(s) for s in re.findall(r"font-size: ([\d.]+)px", text)) * shown / width_pt
        if px < MIN_TEXT_PX and svg.stem != "register_rates":  # register_rates belongs to the lexicon work
            small[svg.stem] = round(px, 1)
        if svg.stem not in {"sensitivity_pairs"}:
            lost = [n for n in names if html.escape(n) not in text and n not in text]
            if lost:
                absent[svg.stem] = lost
    assert small == {}
    assert absent == {}
    traces = (seed_report / "figures" / "traces_by_outlet.svg").read_text(encoding="utf-8")
    assert "Reuters-based (004)" in traces  # no trace: a bar of 0, not a missing row


def test_side_by_side_view_of_the_seeds(seed_report):
    page = (seed_report / "side_by_side.html").read_text(encoding="utf-8")
    p = assert_inert(page)
    text = "".join(p.text)
    assert "Ukraine urges NATO to defy Russia with membership invite" in text
    marks = [(a.get("class", ""), a.get("title", "")) for t, a in p.tags if t == "mark"]
    assert ("loaded", "delegitimising (dictator), in the outlet's own voice") in marks
    assert any(c == "spelling" and "Kiev (Russian-based)" in ti for c, ti in marks)
    assert any(c == "trace" and "das tens" in ti for c, ti in marks)
    labels = pd.read_csv(seed_report / "tables" / "sentence_labels.csv", keep_default_na=False)
    spans = [a.get("class", "") for t, a in p.tags
             if t == "span" and a.get("class", "").startswith("s ") and "title" in a]  # the legend has no title
    assert len(spans) == len(labels)  # every sentence once
    assert spans.count("s unique") == int((labels["label"] == "unique").sum())
    assert 'href="side_by_side.html"' in (seed_report / "index.html").read_text(encoding="utf-8")


def test_side_by_side_escapes_article_text(xss_corpus, tmp_path):
    out = tmp_path / "out"
    findings.write_findings(xss_corpus, out=out, n_boot=10)
    page = (out / "side_by_side.html").read_text(encoding="utf-8")
    p = assert_inert(page)
    text = "".join(p.text)
    for payload in PAYLOADS:
        assert f"quoted {payload} in full" in text
    assert external_references(page).empty


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(exclude_characters="\r\x00", exclude_categories=("Cs",)), max_size=60),
       st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70), st.sampled_from(["a", "b<"]),
                          st.text(max_size=5)), max_size=6))
def test_marked_text_stays_the_text(text, spans):
    from framelens.side_by_side import mark_spans

    markup = mark_spans(text, spans)
    p = parse(f"<p>{markup}</p>")
    assert "".join(p.text) == text
    assert {t for t, _ in p.tags} <= {"p", "mark"}
    assert markup.count("<mark") == markup.count("</mark>")


def test_seed_who_said_what_framing_spellings_and_traces(seed_report):
    said = _statements(seed_report)
    # who_said_what.csv: Stefanishyna quoted by CNN, 003, 004; reported without quotation marks by VTC News
    assert ("Stefanishyna: verbatim in CNN Brasil (republished), Unnamed site (003) and Reuters-based (004), "
            "paraphrase in VTC News, absent in Unnamed site (000)") in said["who_said"]
    assert "Only Unnamed site (003) opens with a headline line" in said["framing"]
    assert "Reuters-based (004) omits none" in said["framing"]
    assert "Unnamed site (000) writes Zelensky as \u201cZelensky\u201d (2\u00d7) and \u201cZelenskyi\u201d (2\u00d7)" in said["spelling"]
    assert "\u201cSybiga\u201d (unmarked) in Unnamed site (000) (2\u00d7)" in said["spelling"]
    assert "none in VTC News, Unnamed site (003) and Reuters-based (004)" in said["traces"]
    assert "9 pieces of page furniture" in said["traces"] and "Friday (29)" in said["traces"]
    assert "a passage is one speaker's words" in said["quotes"]
    page = (seed_report / "index.html").read_text(encoding="utf-8")
    assert 'id="finding-who_said"' in page and 'id="finding-framing"' in page
    assert "Framing choices, version by version" in page


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=0.0, max_value=1.0, allow_nan=False), min_size=6, max_size=6))
def test_similarity_names_one_closest_pair_only_when_no_tie(tmp_path_factory, values):
    """Whatever the cosines, "are the most alike" (one pair) is said exactly when claims.ties finds one pair."""
    from framelens.claims import COSINE_TOL, ties

    out = tmp_path_factory.mktemp("ties")
    (out / "tables").mkdir(exist_ok=True)
    names = ["A", "B", "C", "D"]
    m = np.eye(4)
    pairs = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    for (i, j), v in zip(pairs, values):
        m[i, j] = m[j, i] = round(v, 6)
    pd.DataFrame(m, index=pd.Index(names, name="outlet"), columns=names).to_csv(out / "tables" / "similarity.csv")
    said = findings.summarize(out).set_index("section").loc["similarity", "statement"]
    tied = ties({p: round(v, 6) for p, v in zip(pairs, values)}, tol=COSINE_TOL)
    if len({round(round(v, 6), 2) for v in values}) == 1:  # every pair alike: nobody stands apart
        assert said.startswith("Every pair of the 4 has cosine similarity") and "most alike" not in said
    elif len(tied) == 1:
        a, b = tied[0]
        assert f"{names[a]} and {names[b]} are the most alike" in said and "tie as the most alike" not in said
    else:
        assert f"{len(tied)} pairs tie as the most alike" in said and "are the most alike (cosine" not in said


def test_every_number_in_the_readme_summary_is_in_the_tables(seed_report):
    """The README block (generated) holds no number the seed tables do not hold or imply."""
    from framelens.align import PARAPHRASE
    from framelens.claims import COSINE_TOL

    text = findings.readme_summary(seed_report)
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert text in readme  # the committed README carries exactly this block
    corpus = pd.read_csv(seed_report / "tables" / "corpus.csv", keep_default_na=False)
    for name in sorted(corpus["outlet"].astype(str), key=len, reverse=True):
        text = text.replace(name, "OUTLET")
    text = re.sub(r"\u201c[^\u201d]*\u201d", "", text)
    text = re.sub(r"(?<=[\s(:])'[^']+'(?=[\s:;,.)])", "", text)
    text = re.sub(r"k=\d", "", text).replace("1,000", "")
    tables = [pd.read_csv(p, keep_default_na=False) for p in sorted((seed_report / "tables").glob("*.csv"))]
    allowed = _admissible(tables) | {f"{PARAPHRASE:.2f}", str(COSINE_TOL)}
    assert [n for n in _NUMBER.findall(text) if n not in allowed] == []


def test_contents_links_every_finding_in_page_order(seed_report):
    p = parse(findings.findings_page(seed_report))
    ids = [a["id"] for t, a in p.tags if t == "section" and "id" in a]
    hrefs = [a["href"] for t, a in p.tags if t == "a" and a.get("href", "").startswith("#")]
    headings = list(findings.summarize(seed_report)["section"])
    # one link per finding, in the order of the page, then the closing sections, each to a section that exists
    assert hrefs[:len(headings)] == [f"#finding-{s}" for s in headings]
    assert hrefs[len(headings):] == ["#caveats", "#tables"]
    assert [h[1:] for h in hrefs if h[1:] not in ids] == []


def test_seed_lexicon_names_every_outlet_tied_at_the_lowest_rate(seed_report):
    said = _statements(seed_report)["lexicon"]
    # in narration only 000 has delegitimising hits (3); the other four have none, not just CNN Brasil
    rates = pd.read_csv(seed_report / "tables" / "register_rates.csv")
    own = rates[(rates["voice"] == "narration") & (rates["register"] == "delegitimising")]
    assert sorted(own[own["hits"] == 0]["outlet"]) == ["CNN Brasil (republished)", "Reuters-based (004)",
                                                       "Unnamed site (003)", "VTC News"]
    assert ("against 0.0 per 1,000 words for each of CNN Brasil (republished), VTC News, Unnamed site (003) "
            "and Reuters-based (004) (0 hits each; the narrowest 95% interval, CNN Brasil (republished)'s, "
            "is 0.0\u20136.9). Even that interval overlaps") in said


def test_seed_furniture_is_named_from_the_audit_and_the_seam_is_not_called_removed(seed_report):
    said = _statements(seed_report)
    audit = pd.read_csv(seed_report / "tables" / "cleaning_audit.csv")
    assert len(audit) == 8 and audit["rule"].nunique() == 8  # one span of each of 8 rules
    assert ("cleaning removed 8 spans of page furniture from 4 articles (1 date header, 1 time stamp, 1 share "
            "button, 1 comment counter, 1 source link, 1 source line, 1 republishing notice and 1 author "
            "biography).") in said["corpus"]
    # CNN Brasil's "since August. ." stays in the cleaned text: a seam, not removed
    assert "1 copy-paste seam, left in the text" in said["traces"]
    assert "which cleaning removed before the comparison; 1 copy-paste seam" in said["traces"]


# --------------------------------------------------------------------------- figures of a big story

_FIRST = ["Anna", "Boris", "Clara", "Dmitri", "Elena", "Felix", "Greta", "Hugo", "Irina", "Jonas", "Karla", "Lukas",
          "Marta", "Nikolai", "Olga", "Pavel", "Rosa", "Stefan", "Tamara", "Viktor", "Wanda", "Yuri", "Zofia", "Oskar"]
_LAST = ["Novak", "Kerr", "Ortiz", "Lind", "Moreau", "Haas", "Berg", "Costa", "Vidal", "Ruiz", "Sauer", "Falk",
         "Engel", "Roth", "Weber", "Koch", "Vogel", "Brandt", "Frank", "Kraus", "Lang", "Ernst", "Marx", "Hahn"]
#: The five one-event figures that grow with the story's articles, outlets, actors or speakers.
_GROWING = ("corpus_words_per_article", "keyness_by_outlet", "actor_label_variety", "register_rates", "who_said_what")


def _min_text_px(svg: Path) -> float:
    """The smallest text of a saved figure in CSS pixels as the page shows it (at most PAGE_PX wide)."""
    from framelens.viz import PAGE_PX

    text = svg.read_text(encoding="utf-8")
    width_pt = float(re.search(r'<svg[^>]*width="([\d.]+)pt"', text).group(1))
    shown = min(PAGE_PX, width_pt * 150 / 72)
    return min(float(s) for s in re.findall(r"font-size: ([\d.]+)px", text)) * shown / width_pt


@pytest.fixture(scope="module")
def report_30_outlets(tmp_path_factory) -> Path:
    """One story, 30 outlets x 2 articles: 24 councillors quoted (3 an article), Novak called "the dictator"
    by outlets 00, 06, 12, 18 and 24 only, articles of 0-8 extra sentences (k % 9)."""
    folder = tmp_path_factory.mktemp("c30")
    rows = ["doc_id,outlet,story"]
    for i in range(30):
        for j in range(2):
            k = 2 * i + j
            said = " ".join(f'"The budget vote {s} matters for district {(k + 7 * s) % 24}," said Councillor '
                            f"{_FIRST[(k + 7 * s) % 24]} {_LAST[(k + 7 * s) % 24]}." for s in range(3))
            extra = " ".join(f"Outlet{i} reporter{i} noted item {n} of the plan." for n in range(k % 9))
            (folder / f"d{k:02d}.txt").write_text(
                "The council approved the budget on Monday after a long debate in the city hall. "
                f"{'The dictator' if i % 6 == 0 else 'President'} Anna Novak praised the plan, and Mayor Boris Kerr "
                f"called it fair. {said} Critics called the plan reckless and massive. {extra}", encoding="utf-8")
            rows.append(f"d{k:02d},Outlet {i:02d},s1")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("r30")
    findings.write_findings(folder, out=out, n_boot=10)
    return out


def test_a_story_of_30_outlets_and_60_articles_draws_the_top_n_of_each_growing_figure(report_30_outlets):
    """Each figure that grows with the story is drawn, at most MAX_FIGURE_PX tall with text readable at the
    page width, showing the top N (hand-worked below from the figures' sizes) and saying so."""
    from PIL import Image

    from framelens.storyreport import MAX_FIGURE_PX
    from framelens.viz import MIN_TEXT_PX

    out = report_30_outlets
    left = pd.read_csv(out / "tables" / "figures_left_out.csv") if (out / "tables" / "figures_left_out.csv").is_file() \
        else pd.DataFrame(columns=["figure"])
    assert not set(_GROWING) & set(left["figure"])
    for stem in _GROWING:
        assert Image.open(out / "figures" / f"{stem}.png").size[1] <= MAX_FIGURE_PX, stem
        assert _min_text_px(out / "figures" / f"{stem}.svg") >= MIN_TEXT_PX, stem
    cut = pd.read_csv(out / "tables" / "figures_truncated.csv")
    got = {(r.figure, r.what): (r.shown, r.total) for r in cut.itertuples()}
    # heights budget (2000 - 150) / 150 = 12.33 in; widths keep 9-pt text at 10 px: 9 * 736 / 720 = 9.2 in
    assert got == {
        ("corpus_words_per_article", "articles"): (20, 60),  # (12.33 - 1.6 - 0.5 gap row) / 0.5 = 20.5
        ("quotes_by_speaker", "outlets"): (20, 30),  # (12.33 - 2.0) / 0.5 = 20.67
        ("core_share_by_outlet", "outlets"): (21, 30),  # (12.33 - 1.5) / 0.5 = 21.67
        ("similarity_heatmap", "articles"): (15, 60),  # more than 20 articles: the 15 of the closest pairs
        ("cluster_stability_k2", "articles"): (15, 60),  # the same bound: the 15 most often grouped with another
        ("keyness_by_outlet", "outlets"): (5, 30),  # (12.33 - 0.9) / (0.3 * 5 + 0.75) = 5.08
        ("register_rates", "outlets"): (4, 30),  # two voices: (12.33 - 2 * 1.6 - 0.6) / (2 * 0.9) = 4.74
        ("actor_label_variety", "outlets"): (5, 30),  # (9.2 - 1.6) / 1.35 = 5.63; both actors fit
        ("who_said_what", "outlets"): (5, 30),  # (9.2 - 1.8) / 1.3 = 5.69
        ("who_said_what", "speakers"): (18, 24),  # (12.33 - 1.9) / 0.55 = 18.97
    }
    assert set(cut["table"]) == {"corpus", "keyness", "register_rates", "actor_labels", "who_said_what", "quotes",
                                 "core_share", "similarity", "cluster_pairs"}
    assert _min_text_px(out / "figures" / "similarity_heatmap.svg") >= MIN_TEXT_PX
    assert "\u00b7 d0" not in (out / "figures" / "similarity_heatmap.svg").read_text(encoding="utf-8")  # no file ids
    labels = (out / "figures" / "actor_label_variety.svg").read_text(encoding="utf-8")
    for outlet in ("Outlet 00", "Outlet 06", "Outlet 12", "Outlet 18", "Outlet 24"):  # the loaded labels are kept
        assert outlet in labels
    assert "Outlet 01" not in labels
    page = (out / "index.html").read_text(encoding="utf-8")
    # quotes, core share, similarity, stability
    assert page.count("Figure shortened to stay readable") == len(_GROWING) + 4
    assert _min_text_px(out / "figures" / "cluster_stability_k2.svg") >= MIN_TEXT_PX
    assert "\u00b7 d0" not in (out / "figures" / "cluster_stability_k2.svg").read_text(encoding="utf-8")
    assert ("Shown: 18 of 24 speakers (quoted or paraphrased by the most outlets); 5 of 30 outlets (quoting the most "
            "of those speakers); who_said_what.csv holds all.") in html.unescape(page)
    titles = findings.draw_figures(out).set_index("figure")["title"]
    assert all("Shown: " in titles[stem].replace("\n", " ") for stem in _GROWING)


def test_a_shortened_words_per_article_figure_shows_the_longest_and_the_shortest(tmp_path):
    """40 articles of 1..40 words: 20 fit; the 10 longest (40..31) and the 10 shortest (10..1), named by
    outlet and opening words, not by id."""
    n = 40
    corpus = pd.DataFrame({"doc_id": [f"id{i:03d}x" for i in range(n)], "outlet": [f"O{i % 4}" for i in range(n)],
                           "words_raw": np.arange(1, n + 1), "words": np.arange(1, n + 1),
                           "first_sentence": [f"Article number {i + 1} opens here and goes on" for i in range(n)]})
    (tmp_path / "tables").mkdir()
    corpus.to_csv(tmp_path / "tables" / "corpus.csv", index=False)
    drawn = findings.draw_figures(tmp_path)
    assert list(drawn["figure"]) == ["corpus_words_per_article"]
    svg = (tmp_path / "figures" / "corpus_words_per_article.svg").read_text(encoding="utf-8")
    shown = sorted({int(m) for m in re.findall(r"Article number (\d+) opens", svg)})  # ticks (and the title)
    assert shown == [*range(1, 11), *range(31, 41)]
    assert "20 articles in between (corpus.csv)" in svg and "id0" not in svg
    # opening words: the first sentence cut at a word within 24 characters ("Article number 40 opens ")
    assert "O3 \u00b7 Article number 40 opens \u2026 is the longest (40 words), O0 \u00b7 Article number 1 opens " \
           "\u2026 the shortest (1)" in drawn["title"].iloc[0].replace("\n", " ")
    cut = pd.read_csv(tmp_path / "tables" / "figures_truncated.csv")
    assert cut[["what", "shown", "total"]].values.tolist() == [["articles", 20, 40]]


def test_the_seed_figures_are_not_shortened(seed_report):
    """Five outlets, five articles: every figure drawn whole, none cut, none left out."""
    assert not (seed_report / "tables" / "figures_truncated.csv").exists()
    assert not (seed_report / "tables" / "figures_left_out.csv").exists()
    assert {p.stem for p in (seed_report / "figures").glob("*.png")} == set(findings.FIGURES)
    assert "Figure shortened" not in (seed_report / "index.html").read_text(encoding="utf-8")


def test_a_figure_still_taller_than_the_limit_is_left_out_and_the_page_says_so(seed_report, tmp_path, monkeypatch):
    """A drawer with no top N that would draw 30 inches (4,500 px at 150 dpi) is not drawn: listed in
    figures_left_out.csv with its height, and its finding says so."""
    import shutil

    import matplotlib.pyplot as plt

    out = tmp_path / "r"
    shutil.copytree(seed_report / "tables", out / "tables")
    monkeypatch.setitem(FIGURE_DRAWERS, "traces_by_outlet", lambda _: plt.figure(figsize=(7.0, 30.0)))
    drawn = findings.draw_figures(out)
    assert "traces_by_outlet" not in set(drawn["figure"]) and not (out / "figures" / "traces_by_outlet.png").exists()
    left = pd.read_csv(out / "tables" / "figures_left_out.csv")
    assert left.values.tolist() == [["traces_by_outlet", 4500, 2000]]
    page = findings.findings_page(out)
    assert "Figure not drawn: for this many outlets or pairs it would be 4,500 px tall (limit 2,000 px)" in page


def test_a_shortened_traces_figure_keeps_the_outlets_with_the_most_traces(tmp_path):
    """30 outlets, outlet i with i % 7 calques and one piece of page furniture: the 20 shown are those
    with the most translation traces (furniture apart): the 16 with 3 to 6 and the 4 with 2 (O02, O09,
    O16, O23); the 10 with 0 or 1 are cut."""
    n = 30
    (tmp_path / "tables").mkdir()
    pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "outlet": [f"O{i:02d}" for i in range(n)],
                  "words_raw": 10, "words": 10, "first_sentence": "x"}).to_csv(tmp_path / "tables" / "corpus.csv",
                                                                                  index=False)
    rows = [{"doc_id": f"d{i}", "outlet": f"O{i:02d}", "kind": "calque", "category": "translation", "rule": "r"}
            for i in range(n) for _ in range(i % 7)]
    rows += [{"doc_id": f"d{i}", "outlet": f"O{i:02d}", "kind": "page-furniture", "category": "furniture",
              "rule": "f"} for i in range(n)]
    pd.DataFrame(rows).to_csv(tmp_path / "tables" / "traces.csv", index=False)
    drawn = findings.draw_figures(tmp_path).set_index("figure")["title"]
    cut = pd.read_csv(tmp_path / "tables" / "figures_truncated.csv").set_index("figure")
    assert cut.loc["traces_by_outlet", ["what", "shown", "total", "table"]].tolist() == ["outlets", 20, 30, "traces"]
    svg = (tmp_path / "figures" / "traces_by_outlet.svg").read_text(encoding="utf-8")
    shown = sorted({int(m) for m in re.findall(r"O(\d\d)", svg)})  # tick labels (the title names four of them)
    assert shown == sorted([i for i in range(n) if i % 7 >= 3] + [2, 9, 16, 23])
    assert "O06, O13, O20 and O27 tie for the most traces of translation (6 each)" in \
        drawn["traces_by_outlet"].replace("\n", " ")
    assert "O00 \u00b7 x, O01 \u00b7 x, O10 \u00b7 x and 27 more are the longest" in \
        drawn["corpus_words_per_article"].replace("\n", " ")


def test_stability_finding_names_a_few_tied_pairs_and_counts_the_rest(tmp_path):
    import itertools

    names = [f"art{i:02d}" for i in range(12)]  # 66 pairs, all together in 100 of 200 samples: all tied
    rows = [(2, a, b, 100, 200, 0.5) for a, b in itertools.combinations(names, 2)]
    (tmp_path / "tables").mkdir()
    pd.DataFrame(rows, columns=["k", "outlet_a", "outlet_b", "together", "runs", "share"]).to_csv(
        tmp_path / "tables" / "cluster_pairs.csv", index=False)
    said = _statements(tmp_path)["stability"]
    assert "of 65 other pairs overlap theirs" in said
    assert said.count(" 50%") == 1 + findings.SHOWN_PAIRS
    assert "; and 59 more, all in cluster_pairs.csv), so the samples single out no one pair" in said
