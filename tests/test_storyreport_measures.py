"""The across-story measures of who is quoted, how actors are labelled and the shared core."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from framelens.actors import loaded_labels
from framelens.quotes import SOURCE_TYPES, quotes, source_types
from framelens.storyreport import many_story_tables


def _typed(texts: list[str]) -> list[list[str]]:
    df = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "outlet": "A", "text": texts})
    q = quotes(df, min_words=1)
    return pd.concat([q[["doc_id", "quote"]], source_types(q)], axis=1)[["quote", "source_type", "cue"]].values.tolist()


def test_source_types_hand_worked_sentences():
    got = _typed([
        '"We will not give up," Sybiha said.',
        '"The deal is dead," two people familiar with the talks said.',
        '"It is over," said a senior official.',
        'According to sources in Kyiv, the plan is "final and binding".',
        '"We saw nothing," spokesman Sean Spicer said.',
        '"Prices will rise," the Associated Press reported.',
        '"Prices will rise," Lewis wrote in the New York Times.',
        'It was a "victory plan". Nobody said more.',
        '"He does not know," an aide said. "And he does not care."',
    ])
    assert got == [
        ["We will not give up,", "named", "Sybiha"],
        ["The deal is dead,", "unnamed", "people familiar with the talks said"],
        ["It is over,", "unnamed", "said a senior official"],
        ["final and binding", "unnamed", "According to sources"],
        # a name follows the noun: not unnamed (quotes() does not read "spokesman Sean Spicer" as the speaker)
        ["We saw nothing,", "unattributed", ""],
        ["Prices will rise,", "news organisation", "Associated Press"],
        ["Prices will rise,", "named", "Lewis"],  # a writer in a newspaper is named, not the paper
        ["victory plan", "unattributed", ""],
        ["He does not know,", "unnamed", "aide said"],
        ["And he does not care.", "unattributed", ""],  # no named speaker to carry: nothing to inherit
    ]


@given(st.lists(st.text(max_size=80), min_size=1, max_size=4))
def test_source_types_any_text(texts):
    q = quotes(pd.DataFrame({"doc_id": range(len(texts)), "outlet": "A", "text": texts}), min_words=1)
    t = source_types(q)
    assert list(t.index) == list(q.index) and set(t["source_type"]) <= set(SOURCE_TYPES)
    assert (t.loc[t["source_type"] == "unattributed", "cue"] == "").all()


def test_loaded_labels_needs_the_hit_inside_the_label():
    m = pd.DataFrame({"doc_id": ["a", "a", "a"], "label_start": [0, 20, -1], "label_end": [8, 35, -1]})
    h = pd.DataFrame({"doc_id": ["a", "a", "b"], "start": [0, 36, 20], "end": [8, 40, 28],
                      "register": ["delegitimising", "negative", "negative"], "match": ["Dictator", "evil", "x"]})
    out = loaded_labels(m, h)
    assert out["labelled"].tolist() == [True, True, False]
    assert out["loaded_term"].tolist() == ["Dictator", "", ""]  # "evil" starts after the label ends
    assert loaded_labels(m, h, registers=["negative"])["loaded_term"].tolist() == ["", "", ""]


def _planted() -> pd.DataFrame:
    """3 stories x 3 outlets. Only A quotes unnamed sources (s1, s2) and calls Smith "Dictator" (s1, s2);
    B calls him "Governor" everywhere, C names him bare. In s3, A's "Dictator" is inside a quotation."""
    texts = {
        ("s1", "A"): '"Taxes will rise," an official said. Dictator Smith signed the bill.',
        ("s1", "B"): '"Taxes will rise," Jones said. Governor Smith signed the bill.',
        ("s1", "C"): '"Taxes will rise," Jones said. Smith signed the bill.',
        ("s2", "A"): '"The border stays shut," officials said. Dictator Smith closed the border.',
        ("s2", "B"): '"The border stays shut," Jones said. Governor Smith closed the border.',
        ("s2", "C"): '"The border stays shut," Jones said. Smith closed the border.',
        ("s3", "A"): '"Dictator Smith must go," Jones said. Smith visited the valley.',
        ("s3", "B"): '"Rain will fall," Jones said. Governor Smith visited the valley.',
        ("s3", "C"): '"Rain will fall," Jones said. Smith visited the valley.',
    }
    return pd.DataFrame([{"doc_id": f"{s}-{o}", "story": s, "outlet": o, "text": t} for (s, o), t in texts.items()])


_LEXICON = pd.DataFrame([{"term": "dictator", "is_regex": "false", "register": "delegitimising",
                          "target_type": "person", "note": "planted", "source": "test"}])
_ACTORS = pd.DataFrame({"actor": ["Smith"], "type": ["person"], "pattern": ["Smith"]})


@pytest.fixture(scope="module")
def planted_tables() -> dict[str, pd.DataFrame]:
    return many_story_tables(_planted(), lexicon=_LEXICON, actors=_ACTORS, min_actor_stories=2, n_boot=200)


def _row(tables, measure, a, b):
    c = tables["contrasts"].set_index(["measure", "level", "a", "b"])
    return c.loc[(measure, "outlet", a, b)]


def _evidence(tables, measure, a, b):
    ev = tables["contrast_evidence"]
    return ev[(ev["measure"] == measure) & (ev["a"] == a) & (ev["b"] == b)]


def test_unnamed_sources_contrast(planted_tables):
    m = "% of quoted words from unnamed sources"
    r = _row(planted_tables, m, "A", "B")
    # A: all quoted words unnamed in s1 and s2 (100%), named in s3 (0%); B always 0%
    assert (r["n_stories"], r["n_differing"], r["stories"]) == (3, 2, "s1;s2;s3")
    assert r["difference"] == pytest.approx(200 / 3) and r["ci_low"] >= 0 and r["ci_high"] == pytest.approx(100)
    assert _row(planted_tables, m, "B", "C")["difference"] == 0
    ev = _evidence(planted_tables, m, "A", "B")
    assert ev["side"].tolist() == ["a", "a"] and ev["story"].tolist() == ["s1", "s2"]
    assert ev["sentence"].tolist() == ['"Taxes will rise," an official said.', '"The border stays shut," officials said.']
    assert ev["term"].tolist() == ["official said", "officials said"] and set(ev["voice"]) == {"quotation"}
    news = _row(planted_tables, "% of quoted words credited to a news organisation", "A", "B")
    assert news["difference"] == 0 and news["n_stories"] == 3


def test_loaded_label_contrast(planted_tables):
    m = "% of Smith mentions with a loaded label"
    r = _row(planted_tables, m, "A", "B")
    # A: s1 and s2 one mention each, loaded (100%); s3 its narration "Smith" is bare (0%): the
    # "Dictator Smith" of s3 is Jones's words, inside a quotation, and is not counted
    assert (r["n_stories"], r["n_differing"], r["mean_a"], r["mean_b"]) == (3, 2, pytest.approx(200 / 3), 0.0)
    assert r["difference"] == pytest.approx(200 / 3)
    assert _row(planted_tables, m, "A", "C")["difference"] == pytest.approx(200 / 3)
    ev = _evidence(planted_tables, m, "A", "B")
    assert ev["sentence"].tolist() == ["Dictator Smith signed the bill.", "Dictator Smith closed the border."]
    assert ev["story"].tolist() == ["s1", "s2"] and ev["term"].tolist() == ["Dictator", "Dictator"]
    titled = "% of Smith mentions with a title or label"
    # A titles him in s1, s2 (100, 100, 0); B always (100); C never (0)
    assert _row(planted_tables, titled, "A", "B")["difference"] == pytest.approx(-100 / 3)
    assert _row(planted_tables, titled, "A", "C")["difference"] == pytest.approx(200 / 3)
    assert _row(planted_tables, titled, "B", "C")["difference"] == pytest.approx(100)
    ev = _evidence(planted_tables, titled, "B", "C")
    assert ev["side"].tolist() == ["a"] * 3 and ev["term"].tolist() == ["Governor"] * 3
    # one actor measured: no separate "all actors" rows that would repeat Smith's
    assert not planted_tables["contrasts"]["measure"].str.startswith("% of actor mentions").any()


def test_actors_bounded_by_shared_stories():
    tables = many_story_tables(_planted(), lexicon=_LEXICON, actors=_ACTORS, n_boot=0)  # default: 5 stories
    assert not tables["contrasts"]["measure"].str.contains("Smith").any()
    few = many_story_tables(_planted(), lexicon=_LEXICON, actors=_ACTORS, min_actor_stories=2, max_actors=0, n_boot=0)
    assert not few["contrasts"]["measure"].str.contains("Smith").any()


def test_core_share_measures_match_the_story_table(planted_tables):
    core = planted_tables["story_core_share"].set_index(["story", "outlet"])
    for measure, col in (("share of verbatim shared words", "share_shared-verbatim"),
                         ("share of paraphrased words", "share_paraphrased"),
                         ("share of own (unique) words", "share_unique")):
        r = _row(planted_tables, measure, "A", "C")
        expect = [core.loc[(s, "A"), col] - core.loc[(s, "C"), col] for s in ("s1", "s2", "s3")]
        assert r["n_stories"] == 3 and r["difference"] == pytest.approx(sum(expect) / 3)
    # the three shares of an outlet's words sum to 1 in every story
    sums = core[["share_shared-verbatim", "share_paraphrased", "share_unique"]].sum(axis=1)
    assert sums.to_numpy() == pytest.approx(1.0)
