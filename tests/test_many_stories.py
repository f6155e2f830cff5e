"""A corpus of several stories: the pipeline, the findings and ``framelens report`` compare
outlets within stories (issue 17).

The NewsWCL50 corpus (10 events x 5 outlets, CC BY-SA 4.0, ``../shared/corpora/newswcl50``)
is copied into a temporary folder with a manifest naming its outlets; its text never enters
the repository. Those tests skip when ``../shared`` is not beside the clone.
"""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from framelens import findings
from framelens.pipeline import Settings, largest_story, load, run, select_story, with_stories
from framelens.storyreport import MAX_FIGURE_PX, page_name, story_folder

ROOT = Path(__file__).resolve().parents[1]
WCL = ROOT.parent / "shared" / "corpora" / "newswcl50" / "articles"
OUTLETS = {"LL": "HuffPost", "L": "New York Times", "M": "USA Today", "R": "Fox News", "RR": "Breitbart"}
LEAN = {"LL": "left", "L": "left", "M": "center", "R": "right", "RR": "right"}

needs_wcl = pytest.mark.skipif(not WCL.is_dir(), reason=f"NewsWCL50 not found at {WCL}")


@pytest.fixture(scope="module")
def wcl_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """NewsWCL50 as one corpus: one sub-folder per event, a top manifest with outlet and lean."""
    if not WCL.is_dir():
        pytest.skip(f"NewsWCL50 not found at {WCL}")
    folder = tmp_path_factory.mktemp("wcl") / "newswcl50"
    rows = []
    for f in sorted(WCL.glob("event_*/*.txt")):
        (folder / f.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, folder / f.parent.name / f.name)
        code = f.stem.split("_")[1]
        rows.append({"doc_id": f.stem, "outlet": OUTLETS[code], "lean": LEAN[code]})
    with open(folder / "manifest.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["doc_id", "outlet", "lean"])
        writer.writeheader()
        writer.writerows(rows)
    return folder


def _three_stories(make_corpus) -> Path:
    text = {"A": "The senator defended the budget plan on Monday in the capital. Critics disagreed strongly.",
            "B": "Lawmakers debated the budget plan on Monday in the capital. The vote comes next week.",
            "C": "The budget plan reached the floor on Monday in the capital. Analysts expect a close vote."}
    files, manifest = {}, []
    for story in ("s1", "s2", "s3"):
        for outlet, body in text.items():
            doc = f"{story}-{outlet}"
            files[f"{doc}.txt"] = f"{story.upper()} story. {body}"
            manifest.append({"doc_id": doc, "outlet": outlet, "story": story})
    return make_corpus(files, manifest)


def test_one_story_corpus_is_unchanged(seeds_dir: Path) -> None:
    corpus, n, how = with_stories(load(seeds_dir))
    assert n == 1 and "story" not in corpus.articles.columns
    assert how == "The whole corpus is one story (fewer than 10 articles and no story column)."


def test_many_story_run_needs_a_story_for_one_story_sections(make_corpus) -> None:
    folder = _three_stories(make_corpus)
    res = run(folder)  # all sections: only those that span the stories
    assert res.sections["section"].tolist() == ["corpus", "stories"]
    assert res.n_stories == 3 and res["corpus"]["story"].tolist() == ["s1"] * 3 + ["s2"] * 3 + ["s3"] * 3
    with pytest.raises(ValueError, match=r"holds 3 stories .* pass story=\.\.\. \(the largest is 's1'\)"):
        run(folder, sections=["similarity"])
    with pytest.raises(ValueError, match="story='nope' is not a story of this corpus; its stories: s1, s2, s3"):
        run(folder, story="nope")


def test_run_on_one_story_sees_only_its_articles(make_corpus) -> None:
    folder = _three_stories(make_corpus)
    res = run(folder, story="s2", sections=["corpus", "similarity", "coverage"])
    assert res.story == "s2" and res.n_stories == 3
    assert res["corpus"]["doc_id"].tolist() == ["s2-A", "s2-B", "s2-C"]
    assert sorted(res["similarity"].index) == ["A", "B", "C"]
    assert set(res["core_share"].index) == {"A", "B", "C"}


def test_select_story_keeps_counts_and_audit_aligned(make_corpus) -> None:
    corpus, _, _ = with_stories(load(_three_stories(make_corpus)))
    sub = select_story(corpus, "s3")
    assert sub.articles["doc_id"].tolist() == ["s3-A", "s3-B", "s3-C"]
    assert sub.counts.shape[0] == 3
    whole = corpus.articles["doc_id"].tolist()
    rows = [whole.index(d) for d in sub.articles["doc_id"]]
    assert (sub.counts != corpus.counts[rows]).nnz == 0
    assert largest_story(corpus) == "s1"  # all of 3 articles and 3 outlets: the first id


def test_settings_validate_the_story_options() -> None:
    with pytest.raises(ValueError, match=r"Settings.stories='events': expected one of \['auto', 'column', 'found', 'one'\]"):
        Settings(stories="events")
    with pytest.raises(ValueError, match="Settings.max_story_pages=-1"):
        Settings(max_story_pages=-1)
    with pytest.raises(ValueError, match="Settings.group=''"):
        Settings(group="")


def test_empty_story_value_is_a_named_reject(make_corpus) -> None:
    folder = make_corpus({"a.txt": "Kyiv asked NATO.", "b.txt": "NATO met in Brussels."},
                         [{"doc_id": "a", "outlet": "A", "story": "s1"}, {"doc_id": "b", "outlet": "B", "story": ""}])
    res = run(folder)
    assert res["corpus"]["doc_id"].tolist() == ["a"]
    assert res["rejects"]["path"].tolist() == ["b.txt"]
    assert "line 3: empty 'story': when the column is given every article needs its story id" in res["rejects"]["reason"][0]


def test_unsafe_story_ids_get_safe_distinct_folders() -> None:
    names = {story_folder(s) for s in ["a/b", "a b", "../x", "é", ""]}
    assert len(names) == 5 and all("/" not in n and not n.startswith(".") for n in names)
    assert page_name("a/b") == f"{story_folder('a/b')}/index.html"


@needs_wcl
def test_newswcl50_loads_as_ten_stories_of_five_outlets(wcl_folder: Path) -> None:
    corpus, n, how = with_stories(load(wcl_folder))
    assert n == 10 and how == "Stories from the corpus's story column."
    sizes = corpus.articles.groupby("story")["outlet"].nunique()
    assert sizes.tolist() == [5] * 10


@needs_wcl
def test_framelens_report_on_newswcl50(wcl_folder: Path, tmp_path: Path) -> None:
    """The whole command: 10 stories, contrasts for the 5 outlets, 10 story pages, each holding
    only its story's articles, and no figure taller than the limit."""
    from framelens.cli import main

    out = tmp_path / "report"
    assert main(["report", str(wcl_folder), "--out", str(out), "--group", "lean"]) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "How outlets framed 10 stories: findings" in index
    contrasts = pd.read_csv(out / "tables" / "contrasts.csv")
    outlets = contrasts[contrasts["level"] == "outlet"]
    assert set(outlets["a"]) | set(outlets["b"]) == set(OUTLETS.values())
    # every pair shares all ten events; a rate of quoted words needs both outlets to quote someone
    whole = outlets[~outlets["measure"].str.contains("quot")]
    assert len(whole) and (whole["n_stories"] == 10).all()
    assert outlets["n_stories"].between(9, 10).all()
    assert set(contrasts["level"]) == {"outlet", "group"}
    manifest = pd.read_csv(wcl_folder / "manifest.csv")
    story_of = {d: f"event_{d.split('_')[0]}" for d in manifest["doc_id"]}
    pages = sorted((out / "stories").glob("*/index.html"))
    assert len(pages) == 10
    for story in sorted(set(story_of.values())):
        folder = out / "stories" / story_folder(story)
        page = (folder / "index.html").read_text(encoding="utf-8")
        assert f"How outlets framed one story ({story})" in page
        assert f'href="stories/{page_name(story)}"' in index
        docs = pd.read_csv(folder / "tables" / "corpus.csv")["doc_id"]
        assert len(docs) == 5 and {story_of[d] for d in docs} == {story}
        sim = pd.read_csv(folder / "tables" / "similarity.csv", index_col=0)
        assert sorted(sim.index) == sorted(OUTLETS.values())
    heights = {p.relative_to(out).as_posix(): Image.open(p).size[1] for p in out.rglob("figures/*.png")}
    assert len(heights) > 10 and max(heights.values()) <= MAX_FIGURE_PX, \
        {k: v for k, v in heights.items() if v > MAX_FIGURE_PX}
    # the notebooks ran on the largest story (all have 5 articles and 5 outlets: the first id)
    drilled = json.loads((out / "notebooks" / "02-tfidf-clusters.ipynb").read_text(encoding="utf-8"))
    injected = [c for c in drilled["cells"] if "injected-parameters" in c.get("metadata", {}).get("tags", [])]
    assert "STORY = \"event_0\"" in "".join(injected[0]["source"])
    assert "../../notebooks/02-tfidf-clusters.html" in (out / "stories" / story_folder("event_0") / "index.html").read_text()


def test_write_findings_many_stories_small(make_corpus, tmp_path: Path) -> None:
    """Without notebooks: the overview, a page per story from run(story=), every article counted."""
    folder = _three_stories(make_corpus)
    index = findings.write_findings(folder, out=tmp_path / "r", n_boot=10, contrast_n_boot=50)
    text = index.read_text(encoding="utf-8")
    assert "How outlets framed 3 stories: findings" in text
    assert "None: all 9 input articles were read and analysed." in text
    for story in ("s1", "s2", "s3"):
        page = (tmp_path / "r" / "stories" / page_name(story)).read_text(encoding="utf-8")
        assert f"Story {story}: everything on this page compares only this story's articles." in page
        assert "3 articles on this story" in page


def test_load_stories_reads_a_corpus_once_per_cache(make_corpus, tmp_path: Path, monkeypatch) -> None:
    """framelens report sets the cache folder: the page and every kernel read the corpus once."""
    import framelens.pipeline as pipeline

    folder = _three_stories(make_corpus)
    monkeypatch.setenv(pipeline.CACHE_ENV, str(tmp_path / "cache"))
    first = pipeline.load_stories(folder)
    calls = []
    real = pipeline.load

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "load", counted)
    again = pipeline.load_stories(folder)
    assert calls == [] and again[1:] == first[1:] == (3, "Stories from the corpus's story column.")
    assert again[0].articles.equals(first[0].articles)
    (folder / "s1-A.txt").write_text("S1 story. Changed text of the article.", encoding="utf-8")
    pipeline.load_stories(folder)  # a changed file is read again
    assert len(calls) == 1
    pipeline.load_stories(folder, Settings(min_words=3))  # other settings: another entry
    assert len(calls) == 2


def test_sections_are_computed_once_per_cache(make_corpus, tmp_path: Path, monkeypatch) -> None:
    """The notebooks and the page of one report share each section's outcome (same corpus, story,
    settings); another story or other settings are computed afresh."""
    import framelens.pipeline as pipeline

    folder = _three_stories(make_corpus)
    monkeypatch.setenv(pipeline.CACHE_ENV, str(tmp_path / "cache"))
    first = run(folder, story="s1", sections=["similarity", "keyness"])
    calls = []
    real = pipeline._SECTION_FUNCTIONS["similarity"]
    monkeypatch.setitem(pipeline._SECTION_FUNCTIONS, "similarity", lambda ctx: calls.append(ctx) or real(ctx))
    again = run(folder, story="s1", sections=["similarity", "keyness"])
    assert calls == []
    assert again["similarity"].equals(first["similarity"])
    assert again.sections.equals(first.sections)  # statuses and notes too
    run(folder, story="s2", sections=["similarity"])
    run(folder, Settings(stop_words=None), story="s1", sections=["similarity"])
    assert len(calls) == 2


def test_a_story_of_30_outlets_draws_every_figure_within_the_limit_and_the_page_says_what_was_cut(
        make_corpus, tmp_path: Path) -> None:
    """A story of 30 outlets: the one-event figures that grow with outlets show their top N (listed in
    figures_truncated.csv with how many of how many), none is left out, and the page says so."""
    files, manifest = {}, []
    for i in range(30):
        files[f"d{i:02d}.txt"] = (f"Outlet {i} reports that the council approved the budget on Monday. "
                                  "The mayor said the plan was fair. Critics called it reckless.")
        manifest.append({"doc_id": f"d{i:02d}", "outlet": f"Outlet {i:02d}", "story": "s1"})
    folder = make_corpus(files, manifest)
    index = findings.write_findings(folder, out=tmp_path / "r", n_boot=10)
    assert not (tmp_path / "r" / "tables" / "figures_left_out.csv").exists()
    cut = pd.read_csv(tmp_path / "r" / "tables" / "figures_truncated.csv")
    got = set(cut[["figure", "what", "shown", "total"]].itertuples(index=False, name=None))
    assert {("corpus_words_per_article", "articles", 20, 30), ("core_share_by_outlet", "outlets", 21, 30)} <= got
    heights = [Image.open(p).size[1] for p in (tmp_path / "r" / "figures").glob("*.png")]
    assert heights and max(heights) <= MAX_FIGURE_PX
    assert index.read_text(encoding="utf-8").count("Figure shortened to stay readable") == len(cut["figure"].unique())
