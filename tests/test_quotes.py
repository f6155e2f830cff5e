"""Tests for framelens.quotes: quote spans, speakers, matching, attribution, verbs; Done-when facts."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from framelens import quotes as Q
from framelens.notes import NotEnoughData

ACTORS = Path(__file__).resolve().parents[1] / "seeds" / "actors.csv"


def doc(text: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ["a"], "outlet": ["A"], "text": [text]})


def test_curly_and_straight_quotes_with_speaker_after_and_before() -> None:
    q = Q.quotes(doc('“It is over now,” Sybiha wrote. Kuleba stated: "We go on from here."'))
    assert q["quote"].tolist() == ["It is over now,", "We go on from here."]
    assert q["speaker"].tolist() == ["Sybiha", "Kuleba"]
    assert q["verb_lemma"].tolist() == ["write", "state"]


def test_verb_before_name_and_pronoun_resolution() -> None:
    q = Q.quotes(doc('"No escalation at all here," stated Sybiha. "Russia will lose," he added.'))
    assert q["speaker"].tolist() == ["Sybiha", "Sybiha"]
    assert q["speaker_raw"].tolist() == ["Sybiha", "he"]


def test_scare_quotes_below_min_words_are_skipped() -> None:
    assert Q.quotes(doc('The "victory plan" is "irreversible".')).empty


def test_news_organisation_is_not_a_speaker() -> None:
    q = Q.quotes(doc('Zelensky, in an interview with Sky News, proposed a deal. “We need it fast,” he said.'))
    assert q["speaker"].item() == "Zelensky"


def test_attribution_generic_journalists_and_nobody() -> None:
    df = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"],
                       "text": ["Kyiv asked. British journalists learned about it.", "NATO said no."]})
    got = Q.attribution(df)["attributed_to"].tolist()
    assert got == ["British journalists", "nobody"]


def test_reporting_verbs_are_counted_per_outlet() -> None:
    v = Q.reporting_verbs(doc("He claimed it. She admitted it. They said so."))
    assert v["lemma"].tolist() == ["claim", "admit", "say"]


# --- seeds: Done-when ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_quotes(seed_corpus: pd.DataFrame) -> pd.DataFrame:
    return Q.quotes(seed_corpus, actors=ACTORS)


def group_of(matched: pd.DataFrame, needle: str) -> pd.DataFrame:
    g = matched.loc[matched["segment"].str.contains(needle, case=False), "group"].unique()
    assert len(g) == 1, f"{needle!r} found in groups {list(g)}"
    return matched[matched["group"] == g[0]]


def test_seed_not_an_escalation_quote_matched_in_every_outlet_carrying_it(
        seed_quotes: pd.DataFrame, seed_corpus: pd.DataFrame) -> None:
    carrying = {o for o, t in zip(seed_corpus["outlet"], seed_corpus["text"])
                if "an escalation" in t and "should not be" in t}
    assert len(carrying) == 3
    grp = group_of(Q.match_quotes(seed_quotes), "should not be")
    assert set(grp["outlet"]) == carrying
    assert set(grp["speaker"]) == {"Sybiha"}
    texts = " | ".join(grp["segment"])
    assert "seen as" in texts and "considered" in texts  # matched across translations


def test_seed_stefanishyna_remark_matched_across_outlets(seed_quotes: pd.DataFrame) -> None:
    grp = group_of(Q.match_quotes(seed_quotes), "manipulations")
    assert set(grp["outlet"]) == {"CNN Brasil (republished)", "Unnamed site (003)"}
    assert set(grp["speaker"]) == {"Stefanishyna"}
    assert "ruled out" in " ".join(grp["segment"]) and "off the table" in " ".join(grp["segment"])


def test_seed_zelensky_quotes_not_given_to_sybiha(seed_quotes: pd.DataFrame) -> None:
    q = seed_quotes[seed_quotes["quote"].str.contains("No one")]
    assert set(q["speaker"]) == {"Zelensky"}


def test_seed_attribution(seed_corpus: pd.DataFrame) -> None:
    att = Q.attribution(seed_corpus)
    by = {k[:3]: v for k, v in att["attributed_to"].items()}
    assert by["000"] == "British journalists"
    assert by["001"] == by["003"] == by["004"] == "Reuters"
    assert by["002"] == "nobody"
    assert "Sky News" in att.loc[[i for i in att.index if i.startswith("004")][0], "other_sources"]


# --- properties ----------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(['"', "“", "”", "«", "»", ",", ".", " he said", " Sybiha wrote",
                                           "\n", " "]),
                          st.text(alphabet="abc XYZ", max_size=12)), max_size=30))
def test_quote_offsets_point_at_the_quoted_words(parts: list[str]) -> None:
    text = "".join(parts)
    q = Q.quotes(doc(text), min_words=1)
    for r in q.itertuples():
        assert text[r.start:r.end] == r.quote
        assert text[r.start - 1] in '"“«„' and text[r.end] in '"”»“'
        assert "\n" not in r.quote


def test_quote_table_of_one_outlet_is_a_plain_message() -> None:
    two_docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["Daily", "Daily"],
                             "text": ['Kuleba said: "We will not give up the fight."',
                                      'Kuleba said: "We will not give up the fight."']})
    matched = Q.match_quotes(Q.quotes(two_docs))
    with pytest.raises(NotEnoughData) as info:
        Q.quote_table(matched)
    assert str(info.value) == ("quotes shared by 2 outlets need quotes from at least 2 outlets; "
                               "found quotes from 1")
    assert Q.quote_table(matched, min_outlets=1).loc[0, "Daily"] == (
        "We will not give up the fight. / We will not give up the fight.")
