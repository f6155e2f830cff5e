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


@pytest.mark.parametrize("text", [
    "The talks involved the United States and Britain.",   # part of a name
    "It needs the consent of all 32 NATO member states.",  # a noun closing the sentence
    "No changes in member states’ positions are likely.",  # a possessive noun
    "The member states agreed on it.",                     # a noun, subject of the next verb
    "A cease-fire agreement could be concluded soon.",     # a passive, no speaker
    "His claims were denied.",                             # a noun after a possessive
    '"We said it before and we stated it again," he told them.',  # inside a quotation: only 'told'
])
def test_words_that_are_not_reporting_verbs(text: str) -> None:
    got = Q.reporting_verbs(doc(text))["verb"].tolist()
    assert got == (["told"] if "told" in text else [])


def test_reporting_verbs_in_attribution_position_with_speaker() -> None:
    v = Q.reporting_verbs(doc("“We wait,” stated Sybiha. NATO diplomats say no. Kyiv believes, he added, "
                              "that Putin, who left, has said so."))
    assert v[["verb", "speaker"]].values.tolist() == [
        ["stated", "Sybiha"], ["say", "NATO diplomats"], ["believes", "Kyiv"], ["added", "he"],
        ["said", "Putin"]]


def test_quote_spans_nested_single_and_apostrophes() -> None:
    para = "“He called it ‘a response’ to Kyiv’s attacks,” she said. ‘We stay here,’ he said."
    spans = Q.quote_spans(para)
    assert [para[a:b] for a, b in spans] == ["“He called it ‘a response’ to Kyiv’s attacks,”",
                                              "‘We stay here,’"]
    assert Q.quote_spans("Moscow’s troops and the countries’ positions") == []


def test_short_quote_counts_only_when_its_sentence_attributes_it() -> None:
    q = Q.quotes(doc("Putin said the strikes were Moscow’s “response” to Kyiv. The “victory plan” is old."))
    assert q[["quote", "speaker", "verb"]].values.tolist() == [["response", "Putin", "said"]]


def test_block_quote_with_signature_and_first_person_test() -> None:
    text = ("Zelensky spoke on Friday about the war.\n"
            "If we want to stop the war, we need our territory under NATO. We need to do this quickly. "
            "Volodymyr Zelenskyi President of Ukraine\nHe left for Brussels afterwards.")
    q = Q.quotes(doc(text))
    assert q["form"].tolist() == ["block"]
    assert q["quote"].item() == ("If we want to stop the war, we need our territory under NATO. "
                                 "We need to do this quickly.")
    assert q["speaker"].item() == "Zelenskyi" and q["attributed_in"].item() == "signature"
    column = "We think so.\nWe went there and we saw it all again.\nOur view is that we were right."
    assert Q.block_quotes(column) == []  # a first-person article is not one long quote


def test_speakers_merged_across_spellings_without_an_actor_table() -> None:
    df = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["A", "B", "C"], "text": [
        '"We will not give up," Olga Stefanishyna said.',
        '"We will not give up," Olha Stefanishyna said.',
        '"We stay in this war," said Volodymyr Zelenskyi. "We go on," said Zelensky.']})
    q = Q.quotes(df)
    assert q["speaker"].tolist() == ["Stefanishyna", "Stefanishyna", "Zelensky", "Zelensky"]
    assert q["speaker_raw"].tolist() == ["Olga Stefanishyna", "Olha Stefanishyna", "Volodymyr Zelenskyi",
                                         "Zelensky"]


def test_a_passage_split_over_quote_marks_is_one_passage() -> None:
    split = ('“The invitation is no escalation”, stated Sybiha.\n“Russia will lose its arguments,” he added.'
             '\n“I urge you to endorse it,” he concluded.\nNATO met. “We will see about that,” Rutte said.')
    p = Q.passages(Q.quotes(doc(split)))
    assert p[["speaker", "n_quotes"]].values.tolist() == [["Sybiha", 3], ["Rutte", 1]]
    narrated = ('Kuleba stated that the consensus “does not yet exist”, but that the letter is a signal.\n'
                '“We send a message to allies,” he stated.')
    assert Q.passages(Q.quotes(doc(narrated)))["n_quotes"].tolist() == [1, 1]


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


def test_seed_speakers_are_one_person_whatever_the_spelling(seed_corpus: pd.DataFrame,
                                                              seed_quotes: pd.DataFrame) -> None:
    # hand-read: Olga (001, 004) / Olha (003) Stefanishyna; Zelensky (002), Zelenskyy (004, "he"),
    # Volodymyr Zelenskyi (000's block quote signature)
    for q in (seed_quotes, Q.quotes(seed_corpus)):
        stef = q[q["speaker_raw"].str.contains("Stefanishyna")]
        assert set(stef["doc_id"].str[:3]) == {"001", "003", "004"}
        assert set(stef["speaker"]) == {"Stefanishyna"}
        zel = q[q["speaker"] == "Zelensky"]
        assert set(zel["doc_id"].str[:3]) == {"000", "002", "004"}
    assert set(seed_quotes["speaker"]) == {"Sybiha", "Zelensky", "Stefanishyna", "NATO", "Putin"}


def test_seed_quotations_counted_by_passage(seed_corpus: pd.DataFrame, seed_quotes: pd.DataFrame) -> None:
    p = Q.passages(seed_quotes)
    # hand-read, with seeds/actors.csv. 000: Zelensky "by diplomatic means" + the block quote, and
    # "does not return". 001: Sybiha's three split paragraphs, Stefanishyna's "does not yet exist" and
    # "We send a message", Sybiha's "Russia's constant escalation". 002: NATO "irreversible path",
    # Zelensky "hot phase", Sybiha's 67-word quote, Zelensky's two paragraphs, Putin "response".
    # 003: Sybiha (three spans), Stefanishyna, NATO "irreversible". 004: Sybiha (two spans), Zelensky,
    # Sybiha "constant escalation" + "the involvement", NATO "irreversible", Stefanishyna.
    assert p.groupby(p["doc_id"].str[:3]).size().to_dict() == {"000": 2, "001": 4, "002": 5, "003": 3,
                                                               "004": 5}
    first = p[p["speaker"] == "Sybiha"].groupby("doc_id").first()
    assert first.loc[[i for i in first.index if i.startswith("001")][0], ["n_quotes", "n_words"]].tolist() == [3, 67]
    assert first.loc[[i for i in first.index if i.startswith("002")][0], ["n_quotes", "n_words"]].tolist() == [1, 67]
    # without an actor table organisations are not speakers (NATO's "irreversible" drops out)
    p0 = Q.passages(Q.quotes(seed_corpus))
    assert p0.groupby(p0["doc_id"].str[:3]).size().to_dict() == {"000": 2, "001": 4, "002": 4, "003": 2,
                                                                 "004": 4}


def test_seed_block_quote_and_putin_response(seed_quotes: pd.DataFrame) -> None:
    block = seed_quotes[seed_quotes["form"] == "block"]
    assert block["doc_id"].str[:3].tolist() == ["000"] and block["speaker"].item() == "Zelensky"
    assert block["quote"].item().startswith("If we want to stop the heated phase of the war")
    assert block["quote"].item().endswith("through diplomatic means.")  # signature left out
    putin = seed_quotes[seed_quotes["speaker"] == "Putin"]
    assert putin[["quote", "verb"]].values.tolist() == [["response", "said"]]
    assert putin["doc_id"].str[:3].tolist() == ["002"]


def test_seed_reporting_verbs(seed_corpus: pd.DataFrame) -> None:
    v = Q.reporting_verbs(seed_corpus)
    v = v.assign(doc=v["doc_id"].str[:3])
    # CNN Brasil: "stated Sybiha", "Olga Stefanishyna ... stated that", "he stated"; its two
    # "United States" are not verbs (notebook 04 counted 5 for 'state')
    assert len(v[(v["doc"] == "001") & (v["lemma"] == "state")]) == 3
    assert not ((v["verb"] == "states") & v["sentence"].str.contains("United States")).any()
    assert v[v["verb"] == "states"]["doc"].tolist() == ["000"]  # "Sybiga's letter states that"
    assert "conclude" not in set(v.loc[v["doc"] == "000", "lemma"])  # "could be concluded"
    assert v[v["lemma"] == "conclude"]["doc"].tolist() == ["001"]     # "he concluded"
    # every reporting verb counted by hand per outlet: 000 believes, states, says, saying, voiced;
    # CNN: asked, says, stated x3, added, concluded, say, declared, highlighted x2, reports, said x2, believes;
    # VTC: affirms, said x7 (Zelensky x2, Stefanishyna, NATO, Putin x2, Russian sources), stated,
    # stressed, threatened ("member states." is a noun)
    assert v.groupby("doc").size().to_dict() == {"000": 5, "001": 15, "002": 11, "003": 8, "004": 10}
    assert v[(v["doc"] == "002") & (v["lemma"] == "say")].shape[0] == 7


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
        if r.form == "marks":
            assert text[r.start - 1] in '"“«„‘' and text[r.end] in '"”»“’'
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


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(['"', "“", "”", "«", "»", "‘", "’", "„", "’s", " ", "\n"]),
                          st.text(max_size=8)), max_size=40))
def test_quote_spans_are_ordered_disjoint_and_open_with_a_mark(parts: list[str]) -> None:
    para = "".join(parts).replace("\n", " ")
    spans = Q.quote_spans(para)
    for (a, b), (c, _) in zip(spans, spans[1:]):
        assert b <= c
    for a, b in spans:
        assert 0 <= a < b <= len(para)
        assert para[a] in '"“«„‘' and para[b - 1] in '"”»“’'


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["said", "states", "States", "the", "be", "he", "Sybiha", ",", ".",
                                           "“", "”", " ", "\n", "member", "told"]),
                          st.text(alphabet="abc XY", max_size=6)), max_size=40))
def test_reporting_verb_offsets_point_at_the_verb(parts: list[str]) -> None:
    text = " ".join(parts)
    v = Q.reporting_verbs(doc(text))
    for r in v.itertuples():
        assert text[r.start:r.end].lower() == r.verb
        assert r.sentence in text


def test_a_comma_keeps_an_s_form_a_verb() -> None:
    v = Q.reporting_verbs(doc("Extending it now, Kyiv believes, will show resolve. The member states agreed."))
    assert v["verb"].tolist() == ["believes"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["We", "we", "our", "I", "said", ".", ":", "\n", " ", "Ann Lee Minister",
                                           "“", "”"]),
                          st.text(alphabet="abc XY", max_size=6)), max_size=40))
def test_block_quotes_are_unmarked_paragraph_parts(parts: list[str]) -> None:
    text = " ".join(parts)
    for a, b, sig in Q.block_quotes(text):
        assert 0 <= a < b <= len(text) and "\n" not in text[a:b]
        assert not any(m in text[a:b] for m in '"“”«»„‘')
        assert sig == "" or sig in text


def test_mixed_and_run_on_quotation_marks() -> None:
    mixed = '“I have no doubt at all," Grozev also said. "Whichever is true, he knew.”'
    assert [mixed[a:b] for a, b in Q.quote_spans(mixed)] == ['“I have no doubt at all,"',
                                                             '"Whichever is true, he knew.”']
    run_on = 'fact or fiction," Grozev also said. "Whichever is true."'  # opened a paragraph before
    assert [run_on[a:b] for a, b in Q.quote_spans(run_on)] == ['"Whichever is true."']
    v = Q.reporting_verbs(doc(mixed + "\n" + run_on))
    assert v["speaker"].tolist() == ["Grozev", "Grozev"]


def test_seed_quoted_regions_cover_scare_quotes_too(seed_corpus: pd.DataFrame, seed_quotes: pd.DataFrame) -> None:
    r = Q.quoted_regions(seed_corpus, quoted=seed_quotes)
    text = dict(zip(seed_corpus["doc_id"], seed_corpus["text"]))
    got = {(d[:3], text[d][a:b]) for d, a, b in r.loc[r["passage_id"] < 0, ["doc_id", "start", "end"]].itertuples(index=False)}
    # CNN Brasil: "victory plan", "Irreversible" subhead, "irreversible" of the alliance; 003 and 004 "victory plan"
    assert {("001", "victory plan"), ("001", "Irreversible"), ("001", "irreversible"), ("003", "victory plan"),
            ("004", "victory plan")} <= got
    assert len(r[r["passage_id"] >= 0]) == len(seed_quotes)
    assert (r["end"] > r["start"]).all()
