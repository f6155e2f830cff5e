"""framelens.storyreport: the many-story report compares outlets within stories only."""
from __future__ import annotations

import re
import struct
from pathlib import Path

import pandas as pd
import pytest

from framelens.storyreport import MAX_FIGURE_PX, many_story_tables, page_name, write_many_story_report

NEWSWCL50 = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "newswcl50" / "articles"


def _corpus() -> pd.DataFrame:
    texts = {
        ("s1", "A"): "Dictator Smith raised taxes on Monday. Critics objected loudly.",
        ("s1", "B"): "Governor Smith raised taxes on Monday. Critics objected.",
        ("s1", "C"): "Smith raised taxes on Monday, officials said.",
        ("s2", "A"): "The dictator closed the border at dawn. Trucks waited.",
        ("s2", "B"): "The governor closed the border at dawn. Trucks waited.",
        ("s2", "C"): "Officials closed the border at dawn. Trucks waited for hours.",
        ("s3", "A"): "Flooding hit the valley after rain. <script>alert(1)</script>",
        ("s3", "B"): "Flooding hit the valley after three days of rain.",
        ("s3", "C"): "Rain brought floods to the valley.",
        ("<img src=x onerror=alert(2)>", "A"): "A story only one outlet covered. It rained.",
    }
    return pd.DataFrame([{"doc_id": f"{s[:2]}-{o}-{i}", "story": s, "outlet": o, "text": t}
                         for i, ((s, o), t) in enumerate(texts.items())])


def _png_height(path: Path) -> int:
    with path.open("rb") as f:
        head = f.read(24)
    return struct.unpack(">II", head[16:24])[1]


def test_page_names_are_safe_and_distinct():
    names = {page_name(s) for s in ["a/b", "a b", "a?b", "../x", "é", ""]}
    assert len(names) == 6
    assert all(re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{8}/index\.html", n) for n in names)


def test_report_compares_within_stories_and_escapes(tmp_path):
    docs = _corpus()
    tables = many_story_tables(docs, n_boot=200)
    assert tables["skipped_stories"]["story"].tolist() == ["<img src=x onerror=alert(2)>"]
    c = tables["contrasts"]
    deleg = c[(c["measure"] == "delegitimising hits per 1,000 words") & (c["a"] == "A") & (c["b"] == "B")].iloc[0]
    assert deleg["difference"] > 0 and deleg["n_stories"] == 3 and deleg["n_differing"] == 2
    ev = tables["contrast_evidence"]
    ev = ev[(ev["measure"] == deleg["measure"]) & (ev["a"] == "A") & (ev["b"] == "B")]
    assert sorted(ev["sentence"]) == ["Dictator Smith raised taxes on Monday.",
                                      "The dictator closed the border at dawn."]
    index = write_many_story_report(tables, tmp_path, articles=docs, corpus_name="<b>test</b>")
    page = index.read_text()
    assert "<script>" not in page and "<img src=x" not in page and "<b>test</b>" not in page
    assert "&lt;b&gt;test&lt;/b&gt;" in page
    for png in (tmp_path / "figures").glob("*.png"):
        assert _png_height(png) <= MAX_FIGURE_PX, png.name
    # one page per story; each lists only its own story's articles
    pages = sorted(p.relative_to(tmp_path / "stories").as_posix() for p in (tmp_path / "stories").glob("*/index.html"))
    assert pages == sorted(page_name(s) for s in docs["story"].unique())
    for story, part in docs.groupby("story"):
        text = (tmp_path / "stories" / page_name(story)).read_text()
        assert "<script>" not in text and "<img src=x" not in text
        listed = set(re.findall(r"<td>(s\d-[A-C]-\d+|&lt;i-A-\d+)</td>", text))
        assert listed == {d.replace("<", "&lt;") for d in part["doc_id"]}


def test_story_page_limit(tmp_path):
    docs = _corpus()
    write_many_story_report(many_story_tables(docs, n_boot=0), tmp_path, articles=docs, max_story_pages=2)
    assert len(list((tmp_path / "stories").glob("*/index.html"))) == 2
    assert "The 2 largest of 4 stories have a page" in (tmp_path / "index.html").read_text()
    with pytest.raises(ValueError, match="max_story_pages"):
        write_many_story_report({}, tmp_path, articles=docs, max_story_pages=-1)


@pytest.mark.skipif(not NEWSWCL50.is_dir(), reason="../shared/corpora/newswcl50 is not beside this clone")
def test_newswcl50_as_ten_stories(tmp_path):
    names = {"LL": "HuffPost", "L": "New York Times", "M": "USA Today", "R": "Fox News", "RR": "Breitbart"}
    rows = [{"doc_id": f.stem, "story": f.parent.name, "outlet": names[f.stem.split("_")[1]],
             "text": f.read_text(encoding="utf-8")} for f in sorted(NEWSWCL50.glob("event_*/*.txt"))]
    docs = pd.DataFrame(rows)
    tables = many_story_tables(docs, n_boot=100)
    assert len(tables["stories"]) == 10 and tables["stories"]["n_outlets"].eq(5).all()
    core = tables["story_core_share"]
    assert core.groupby("story")["outlet"].nunique().eq(5).all()
    aside = tables["house_style_set_aside"]
    assert "mr" in set(aside.loc[aside["outlet"] == "New York Times", "term"])
    assert "mr" not in set(tables["distinctive_within"]["term"])
    write_many_story_report(tables, tmp_path, articles=docs)
    assert len(list((tmp_path / "stories").glob("*/index.html"))) == 10
    for png in (tmp_path / "figures").glob("*.png"):
        assert _png_height(png) <= MAX_FIGURE_PX, png.name


def test_story_ids_sources_and_messages():
    from framelens.storyreport import story_ids
    docs = _corpus()
    ids, how = story_ids(docs)
    assert ids.tolist() == docs["story"].tolist() and "story column" in how
    ev = docs.rename(columns={"story": "event"})
    assert story_ids(ev)[0].tolist() == docs["story"].tolist()
    assert set(story_ids(docs, source="one")[0]) == {"all"}
    bad = docs.assign(story=docs["story"].where(docs.index != 2, ""))
    with pytest.raises(ValueError, match=r"empty for 1 article\(s\) \(s1-C-2\)"):
        story_ids(bad)
    with pytest.raises(ValueError, match="no 'story' or 'event' column"):
        story_ids(docs.drop(columns="story"), source="column")
    with pytest.raises(ValueError, match="expected one of"):
        story_ids(docs, source="clusters")
    # no column, 10 articles: found; the three versions of s1 share its words
    found, how = story_ids(docs.drop(columns="story"), source="found")
    assert how.startswith("Stories found by group_stories") and found.str.startswith("found-").all()
