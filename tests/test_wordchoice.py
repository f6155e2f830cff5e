"""Tests for framelens.wordchoice: within-story word-choice contrasts and their lexicon file."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelens.actors import find_mentions
from framelens.lexicon import lexicon_for_corpus, load_lexicon
from framelens.wordchoice import CHOICE_COLUMNS, propose_terms, to_lexicon, word_choices, write_lexicon

ROOT = Path(__file__).resolve().parents[1]

STORY = pd.DataFrame({
    "doc_id": ["a", "b", "c", "d"],
    "outlet": ["Left", "Right", "Centre", "Right"],
    "story": ["s1", "s1", "s1", "s2"],
    "text": [
        "Senators slammed the new border plan on Monday. The illegitimate Russian president "
        "Vladimir Putin spoke later.",
        "Senators criticised the new border plan on Monday. The Russian president Vladimir "
        "Putin spoke later.",
        "Senators criticised the new border plan on Monday. Weather was fine.",
        # another story: same wording as "a", never compared with it
        "Senators praised the new border plan on Monday.",
    ]})


def test_planted_contrast_is_proposed_with_both_sentences() -> None:
    wc = word_choices(STORY, story_col="story")
    assert list(wc.columns) == list(CHOICE_COLUMNS)
    row = wc[(wc["outlet"] == "Left") & (wc["term"] == "slammed")]
    assert sorted(row["other_outlet"]) == ["Centre", "Right"]
    assert set(row["other_term"]) == {"criticised"}
    assert set(row["kind"]) == {"substitution"}
    assert set(row["sentence"]) == {"Senators slammed the new border plan on Monday."}
    assert set(row["other_sentence"]) == {"Senators criticised the new border plan on Monday."}
    text = STORY.loc[0, "text"]
    assert {text[s:e] for s, e in zip(row["start"], row["end"])} == {"slammed"}
    # an addition: Left's "illegitimate" where Right says nothing
    add = wc[(wc["outlet"] == "Left") & (wc["term"] == "illegitimate")]
    assert add[["other_outlet", "other_term", "kind"]].values.tolist() == [["Right", "", "addition"]]
    # never across stories: "praised" (story s2) is not contrasted with anything in s1
    assert "praised" not in set(wc["term"]) and "praised" not in set(wc["other_term"])
    assert set(wc["story"]) == {"s1"}


def test_proposals_per_outlet_and_a_lexicon_file_that_loads(tmp_path: Path) -> None:
    prop = propose_terms(word_choices(STORY, story_col="story"))
    top = prop.iloc[0]
    assert (top["outlet"], top["term"], top["others"], top["other_terms"]) == (
        "Left", "slammed", 2, "criticised")
    assert top["sentence"] == "Senators slammed the new border plan on Monday."
    ill = prop[prop["term"] == "illegitimate"].iloc[0]
    assert ill["register_hint"] == "delegitimising"  # listed in the shipped lexicon
    accepted = prop[prop["term"].isin(["slammed", "illegitimate"])]
    lex = to_lexicon(accepted, register={"slammed": "negative"})
    assert dict(zip(lex["term"], lex["register"])) == {"slammed": "negative",
                                                      "illegitimate": "delegitimising"}
    path = write_lexicon(lex, tmp_path / "lexicon-wordchoice.csv")
    back = load_lexicon(path)
    assert back["term"].tolist() == lex["term"].tolist()
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    assert "slammed" in set(lexicon_for_corpus(tmp_path)[0]["term"])
    with pytest.raises(ValueError, match="name the file lexicon"):
        write_lexicon(lex, tmp_path / "mine.csv")
    with pytest.raises(ValueError, match=r"term 'slammed' has no register"):
        to_lexicon(prop[prop["term"] == "slammed"])  # not in any shipped resource


def test_spelling_and_number_differences_are_not_word_choice() -> None:
    df = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"], "text": [
        "Officials in Kyiv said 40 soldiers were wounded on Monday.",
        "Officials in Kiev said 45 soldiers were wounded on Monday."]})
    assert word_choices(df).empty


def test_whole_corpus_is_one_story_by_default_and_same_outlet_is_not_compared() -> None:
    df = STORY.drop(columns="story")
    wc = word_choices(df)
    assert set(wc["story"]) == {"all"}
    assert "praised" in set(wc["term"])  # now one story: d is compared with a and c
    assert not ((wc["outlet"] == "Right") & (wc["other_outlet"] == "Right")).any()
    with pytest.raises(ValueError, match="story_col='nope' is not a column"):
        word_choices(df, story_col="nope")


def test_seed_translations_show_the_letter_sentence(seed_corpus: pd.DataFrame) -> None:
    m = find_mentions(seed_corpus, ROOT / "seeds" / "actors.csv")
    wc = word_choices(seed_corpus, mentions=m)
    pair = wc[(wc["outlet"] == "Unnamed site (000)") & (wc["term"] == "unleashed")]
    assert pair[["other_outlet", "other_term"]].values.tolist() == [["Unnamed site (003)", "initiated"]]
    assert "unleashed" in pair["sentence"].item() and "initiated" in pair["other_sentence"].item()


WORDS = ["the", "plan", "slammed", "criticised", "Kyiv", "Kiev", "regime", "government", "new",
         "border", "on", "Monday", "illegitimate", "president", "40", ",", ".", "\u201c", "’s"]


@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14),
       st.lists(st.sampled_from(WORDS), min_size=1, max_size=14))
@settings(max_examples=200, deadline=None)
def test_property_offsets_point_at_the_term_in_its_own_sentence(a: list[str], b: list[str]) -> None:
    df = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"],
                       "text": [" ".join(a) + ".", " ".join(b) + "."]})
    texts = dict(zip(df["doc_id"], df["text"]))
    wc = word_choices(df, min_overlap=0.1)
    for r in wc.itertuples():
        assert texts[r.doc_id][r.start:r.end] == r.term
        assert r.term in r.sentence and r.other_term in r.other_sentence
        assert r.outlet != r.other_outlet
        assert r.kind == "addition" or (r.term and r.other_term)
