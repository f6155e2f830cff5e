"""framelens.storyreport: the many-story report compares outlets within stories only."""
from __future__ import annotations

import re
import struct
from pathlib import Path

import numpy as np
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
    tried = tables["actors_measured"]  # no alias table: proposed from the articles, each measured or not, and why
    assert len(tried) and (tried["source"] == "proposed").all() and tried["reason"].ne("").all()
    measured = tried.loc[tried["measured"], "actor"].tolist()
    assert set(measured) == set(tables["contrasts"].loc[tables["contrasts"]["measure"].str.contains(
        "mentions with a"), "measure"].str.extract(r"% of (.+) mentions with", expand=False))
    write_many_story_report(tables, tmp_path, articles=docs)
    assert len(list((tmp_path / "stories").glob("*/index.html"))) == 10
    page = (tmp_path / "index.html").read_text()
    assert f"Actor measures: {len(measured)} of {len(tried)} actors proposed from the articles are measured" in page
    assert (tmp_path / "tables" / "actors_measured.csv").is_file()
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


def _quoted_corpus() -> pd.DataFrame:
    """3 stories x 3 outlets; only A uses the planted label "regime", inside quotations, in s1 and s2."""
    texts = {
        ("s1", "A"): 'Officials met on Monday. "The regime must answer for this," Smith said.',
        ("s1", "B"): 'Officials met on Monday. "The government must answer for this," Smith said.',
        ("s1", "C"): 'Officials met on Monday. "The cabinet must answer for this," Smith said.',
        ("s2", "A"): 'The border closed at dawn. "The regime will not last long," Jones said.',
        ("s2", "B"): 'The border closed at dawn. "The government will not last long," Jones said.',
        ("s2", "C"): 'The border closed at dawn. "The leaders will not last long," Jones said.',
        ("s3", "A"): "Flooding hit the valley after three days of rain.",
        ("s3", "B"): "Flooding hit the valley after rain fell for days.",
        ("s3", "C"): "Rain brought floods to the valley.",
    }
    return pd.DataFrame([{"doc_id": f"{s}-{o}", "story": s, "outlet": o, "text": t} for (s, o), t in texts.items()])


def _planted_lexicon() -> pd.DataFrame:
    return pd.DataFrame([{"term": "regime", "is_regex": "false", "register": "delegitimising",
                          "target_type": "government", "note": "planted", "source": "test"}])


def test_quotation_voice_contrast_planted_label():
    docs = _quoted_corpus()
    tables = many_story_tables(docs, lexicon=_planted_lexicon(), n_boot=200)
    c = tables["contrasts"].set_index(["measure", "level", "a", "b"])
    quoted = c.loc[("delegitimising hits per 1,000 words of quotation", "outlet", "A", "B")]
    # A's quotations: 6 words each ("The regime must answer for this", "The regime will not last long"),
    # one hit each; B quotes the same words without the label; s3 quotes nobody, so n = 2
    assert quoted["n_stories"] == 2 and quoted["n_differing"] == 2 and quoted["stories"] == "s1;s2"
    assert quoted["difference"] == pytest.approx(1000 / 6)
    assert quoted["ci_low"] == pytest.approx(1000 / 6) and quoted["ci_high"] == pytest.approx(1000 / 6)
    narration = c.loc[("delegitimising hits per 1,000 words of narration", "outlet", "A", "B")]
    assert narration["difference"] == 0 and narration["n_stories"] == 3  # A's own voice never uses it
    allwords = c.loc[("delegitimising hits per 1,000 words", "outlet", "A", "B")]
    # all words: 1 hit in 12 words (s1: 4 + 6 + 2) and in 13 (s2: 5 + 6 + 2), none in s3
    assert allwords["difference"] == pytest.approx(1000 * (1 / 12 + 1 / 13 + 0) / 3)
    assert c.loc[("delegitimising hits per 1,000 words of quotation", "outlet", "B", "C"), "difference"] == 0
    ev = tables["contrast_evidence"]
    ev = ev[(ev["measure"] == "delegitimising hits per 1,000 words of quotation") & (ev["a"] == "A") & (ev["b"] == "B")]
    assert ev["side"].tolist() == ["a", "a"] and ev["story"].tolist() == ["s1", "s2"]
    assert ev["voice"].tolist() == ["quotation", "quotation"]
    assert ev["sentence"].tolist() == ['"The regime must answer for this," Smith said.',
                                       '"The regime will not last long," Jones said.']
    # who is quoted: every quoted word has a named speaker (Smith, Jones) in every outlet
    named = c.loc[("% of quoted words credited to a named speaker", "outlet", "A", "B")]
    assert (named["mean_a"], named["mean_b"], named["n_stories"]) == (100.0, 100.0, 2)
    share = c.loc[("quoted words per 1,000 words", "outlet", "A", "C")]
    assert share["mean_a"] == pytest.approx(1000 * (6 / 12 + 6 / 13 + 0) / 3)


def test_story_hits_limited_to_the_largest_stories_rates_from_all():
    docs = _quoted_corpus()
    docs = pd.concat([docs, docs[docs["story"] == "s1"].assign(doc_id=lambda d: d["doc_id"] + "-again")],
                     ignore_index=True)  # s1 is now the largest story (6 articles)
    full = many_story_tables(docs, lexicon=_planted_lexicon(), n_boot=0, max_hit_stories=None)
    one = many_story_tables(docs, lexicon=_planted_lexicon(), n_boot=0, max_hit_stories=1)
    assert set(full["story_hits"]["story"]) == {"s1", "s2"} and set(one["story_hits"]["story"]) == {"s1"}
    assert set(one["story_hits"]["voice"]) == {"quotation"}
    pd.testing.assert_frame_equal(full["contrasts"], one["contrasts"])
    with pytest.raises(ValueError, match="max_hit_stories"):
        many_story_tables(docs, max_hit_stories=-1)


def _reference_core(part: pd.DataFrame) -> pd.DataFrame:
    """The per-story definition that story_core_shares computes in one pass."""
    from framelens.align import align, core_share, label_sentences
    from framelens.notes import NotEnoughData
    from framelens.text import sentences

    sents = sentences(part)
    if sents["outlet"].nunique() < 2:
        raise NotEnoughData("fewer than 2 outlets have sentences")
    return core_share(label_sentences(sents, align(sents))).reset_index()


@pytest.mark.parametrize("which", ["synthetic", "newswcl50"])
def test_story_core_shares_equal_the_per_story_definition(which):
    from framelens.contrasts import within_stories
    from framelens.storyreport import story_core_shares

    if which == "newswcl50":
        if not NEWSWCL50.is_dir():
            pytest.skip("../shared/corpora/newswcl50 is not beside this clone")
        docs = pd.DataFrame([{"doc_id": f.stem, "story": f.parent.name, "outlet": f.stem.split("_")[1],
                              "text": f.read_text(encoding="utf-8")} for f in sorted(NEWSWCL50.glob("event_*/*.txt"))])
    else:
        extra = pd.DataFrame({"doc_id": ["x1", "x2", "x3", "x4"], "story": ["z", "z", "y", "y"],
                              "outlet": ["A", "B", "A", "B"], "text": ["", "Hello there.", "the and of", "is was the"]})
        docs = pd.concat([_corpus(), _quoted_corpus().assign(story=lambda d: "q" + d["story"]), extra],
                         ignore_index=True)
    ref, ref_skipped = within_stories(docs, _reference_core)
    for batch in (2000, 4):  # one batch, and batches of a few stories
        got, skipped = story_core_shares(docs, batch_articles=batch)
        pd.testing.assert_frame_equal(got, ref, check_dtype=False)
        pd.testing.assert_frame_equal(skipped, ref_skipped)
    if which == "synthetic":  # the three ways of being skipped, each with its reason
        assert skipped.set_index("story").loc[["y", "z"], "reason"].str[:20].tolist() == [
            "comparing sentences ", "fewer than 2 outlets"]


def test_chunks_do_not_change_the_tables():
    docs = pd.concat([_corpus(), _quoted_corpus().assign(story=lambda d: "q" + d["story"])], ignore_index=True)
    whole = many_story_tables(docs, n_boot=50)
    chunked = many_story_tables(docs, n_boot=50, chunk_size=2)
    assert whole.keys() == chunked.keys()
    for name in whole:
        pd.testing.assert_frame_equal(whole[name], chunked[name], obj=name)
    assert len(whole["distinctive_within"]) and len(whole["contrast_evidence"])


def test_other_column_names_give_the_same_tables():
    docs = _quoted_corpus().assign(lean=lambda d: d["outlet"].map({"A": "left", "B": "right", "C": "right"}))
    plain = many_story_tables(docs, lexicon=_planted_lexicon(), group_col="lean", n_boot=50)
    renamed = many_story_tables(docs.rename(columns={"story": "event", "outlet": "source"}),
                                lexicon=_planted_lexicon(), story_col="event", outlet_col="source",
                                group_col="lean", n_boot=50)
    pd.testing.assert_frame_equal(plain["contrasts"], renamed["contrasts"])
    ev = renamed["contrast_evidence"]
    assert "event" in ev.columns and len(ev) == len(plain["contrast_evidence"])
    groups = plain["contrasts"][plain["contrasts"]["level"] == "group"]
    quoted = groups[groups["measure"] == "delegitimising hits per 1,000 words of quotation"].iloc[0]
    # left = A; right = mean of B and C, which never use the label in their quotations
    assert (quoted["a"], quoted["b"], quoted["n_stories"]) == ("left", "right", 2)
    assert quoted["difference"] == pytest.approx(1000 / 6)


def test_no_story_with_two_outlets_gives_empty_contrasts_and_the_reasons():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "story": ["s1", "s2"], "outlet": ["A", "B"],
                         "text": ["The dictator fell.", '"A brutal end," Ann said.']})
    tables = many_story_tables(docs, n_boot=10)
    assert tables["contrasts"].empty and tables["contrast_evidence"].empty and tables["story_core_share"].empty
    assert tables["skipped_stories"]["reason"].tolist() == [
        "covered by 1 outlet (A); comparing outlets needs 2", "covered by 1 outlet (B); comparing outlets needs 2"]
    assert tables["story_hits"]["voice"].tolist() == ["narration", "quotation"]  # the pages still get their hits


def test_contrasts_carry_false_discovery_q_values_and_the_page_counts_them(tmp_path):
    from framelens.contrasts import false_discovery

    docs = _corpus()
    tables = many_story_tables(docs, n_boot=200)
    c = tables["contrasts"]
    # q_value is BH over the rows on >= MIN_SHARED_STORIES stories; here no pair shares 5 stories
    assert "p_boot" in c.columns and "q_value" in c.columns
    assert c["q_value"].isna().all() and (c["n_stories"] < 5).all()
    again = false_discovery(c.drop(columns="q_value"), min_stories=1)
    tested = again[again["q_value"].notna()]
    assert len(tested) == int(c["p_boot"].notna().sum()) and (tested["q_value"] >= tested["p_boot"]).all()
    page = write_many_story_report(tables, tmp_path, articles=docs).read_text()
    assert "Benjamini–Hochberg" in page
    assert "Of 0 contrasts tested, 0 have an interval that excludes 0 and 0 have q_value ≤ 0.05." in page


def test_the_corpus_word_counts_give_the_same_tables():
    """Passing the articles' word matrix (a prepared corpus's terms and counts) instead of
    counting the texts again changes no table; the words of one-outlet stories are dropped."""
    from framelens.storyreport import rows_in_use
    from framelens.text import word_matrix

    docs = pd.concat([_corpus(), _quoted_corpus().assign(story=lambda d: "q" + d["story"])], ignore_index=True)
    docs = pd.concat([docs, pd.DataFrame({"doc_id": ["alone"], "outlet": ["A"], "story": ["solo"],
                                          "text": ["Zanzibar zebras only here."]})], ignore_index=True)
    counted = many_story_tables(docs, n_boot=50)
    read = many_story_tables(docs, n_boot=50, word_counts=word_matrix(docs["text"].tolist()))
    for name in counted:
        pd.testing.assert_frame_equal(counted[name], read[name], obj=name)
    types, _ = rows_in_use(word_matrix(docs["text"].tolist()), rows=np.arange(len(docs) - 1))
    assert "zanzibar" not in set(types) and "zanzibar" in set(word_matrix(docs["text"].tolist())[0])


def test_actor_label_counts_lists_every_actor_tried_and_why_it_is_measured_or_not():
    """3 stories x 2 outlets. Novak: "President Anna Novak" (labelled) and "Novak" in each of the 6 articles
    (12 mentions, 6 labelled, 3 shared stories); Kerr: 6 untitled mentions; Zed: story s0 only; Nobody: never."""
    from framelens.storyreport import ACTORS_TRIED_COLUMNS, actor_label_counts

    rows = [{"doc_id": f"{s}{o}", "story": f"s{s}", "outlet": o,
             "text": "President Anna Novak spoke. Boris Kerr left. Novak returned." + (" Ann Zed spoke." if s == 0 else "")}
            for s in range(3) for o in ("A", "B")]
    actors = pd.DataFrame({"actor": ["Nobody", "Zed", "Kerr", "Novak"], "type": "person",
                           "pattern": ["Nobody Here", "Ann Zed|Zed", "Boris Kerr|Kerr", "Anna Novak|Novak"]})
    none = {c: pd.Series(dtype=np.int64 if c in ("row", "start", "end") else object)
            for c in ("row", "start", "end", "voice", "register", "term", "match")}
    counts, _, note, tried = actor_label_counts(pd.DataFrame(rows), hits=pd.DataFrame(none),
                                                quoted=pd.DataFrame({c: none[c] for c in ("row", "start", "end")}),
                                                actors=actors, min_stories=2)
    assert tuple(tried.columns) == ACTORS_TRIED_COLUMNS
    assert set(counts["actor"]) == {"Novak"} and "1 measured (Novak)" in note
    got = tried.set_index("actor")
    assert list(tried["actor"]) == ["Novak", "Kerr", "Zed", "Nobody"]  # measured first, then most shared stories
    assert got.loc["Novak", ["shared_stories", "mentions", "labelled"]].tolist() == [3, 12, 6]
    assert got.loc["Novak", "labelled_pct"] == 50.0 and got.loc["Novak", "reason"] == "measured"
    assert got.loc["Kerr", ["shared_stories", "mentions", "labelled"]].tolist() == [3, 6, 0]
    assert got.loc["Kerr", "reason"] == "0 labelled mentions (needs 2)"
    assert got.loc["Zed", "reason"] == "mentioned by two outlets or more in 1 story (needs 2)"
    assert got.loc["Nobody", "mentions"] == 0 and np.isnan(got.loc["Nobody", "labelled_pct"])
    assert tried["measured"].tolist() == [True, False, False, False]
    assert (tried["source"] == "alias table").all()


def test_many_story_figures_are_the_same_bytes_every_run(tmp_path):
    """The SVGs carry fixed ids (svg.hashsalt), so a rerun of the report changes no figure file."""
    docs = _corpus()
    tables = many_story_tables(docs, n_boot=0)
    runs = []
    for k in range(2):
        write_many_story_report(tables, tmp_path / str(k), articles=docs)
        runs.append({p.name: p.read_bytes() for p in sorted((tmp_path / str(k) / "figures").glob("*"))})
    assert runs[0].keys() == runs[1].keys() and any(n.endswith(".svg") for n in runs[0])
    assert [n for n in runs[0] if runs[0][n] != runs[1][n]] == []
