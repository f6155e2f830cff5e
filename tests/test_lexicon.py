"""Tests for framelens.lexicon: the shipped lexicon, validation, KWIC, rates."""
from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelens.actors import find_mentions
from framelens.lexicon import (REGISTERS, LexiconError, compile_lexicon, lexicon_hits,
                               load_lexicon, plot_register_rates, register_rates)

ROOT = Path(__file__).resolve().parents[1]
HEADER = "term,is_regex,register,target_type,note,source\n"


def _doc(text: str, outlet: str = "A") -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ["d"], "outlet": [outlet], "text": [text]})


def test_shipped_lexicon_is_documented() -> None:
    lex = load_lexicon()
    assert set(lex["register"]) == set(REGISTERS)
    assert (lex["source"].str.strip() != "").all()
    assert {"illegitimate", "dictator", "regime", "special military operation"} <= set(lex["term"])
    assert lex.loc[lex["term"] == "dictator", "register"].item() == "delegitimising"
    assert lex.loc[lex["term"] == "special military operation",
                   "register"].item() == "legitimising"


def test_longest_match_wins_and_word_boundaries() -> None:
    h = lexicon_hits(_doc("The special military operation continued; a warlike mood. "
                          "Reportedly the war in May may end."))
    assert h["match"].tolist() == ["special military operation", "Reportedly", "war", "may"]
    assert h["register"].tolist() == ["legitimising", "hedging", "neutral", "hedging"]
    # "warlike" is not "war"; the month "May" is not the hedge "may"


def test_kwic_columns_and_context() -> None:
    text = "First line.\nThen Russian dictator Putin spoke."
    h = lexicon_hits(_doc(text), window=10, registers=["delegitimising"])
    assert len(h) == 1
    r = h.iloc[0]
    assert (r["left"], r["match"], r["right"]) == ("n Russian ", "dictator", " Putin spo")
    assert text[r["start"]:r["end"]] == "dictator"
    assert r["sentence"] == "Then Russian dictator Putin spoke."
    assert list(h.columns) == ["doc_id", "outlet", "term", "register", "target_type", "start",
                               "end", "left", "match", "right", "sentence", "actor"]
    assert pd.isna(r["actor"])  # no mentions given


def test_hit_names_the_actor_it_labels() -> None:
    doc = _doc("It hit the illegitimate Russian president, Vladimir Putin, and the war went on.")
    aliases = pd.DataFrame({"actor": ["Putin"], "type": ["person"],
                            "pattern": [r"(?:Vladimir\s+)?Putin"]})
    m = find_mentions(doc, aliases)
    h = lexicon_hits(doc, mentions=m).set_index("match")
    assert h.loc["illegitimate", "actor"] == "Putin"
    assert h.loc["president", "actor"] == "Putin"
    assert pd.isna(h.loc["war", "actor"])


def test_extension_with_own_file(tmp_path: Path) -> None:
    p = tmp_path / "mine.csv"
    p.write_text(HEADER + "Kremlin regime,false,delegitimising,government,,my coding\n"
                 "strongman,false,delegitimising,person,,my coding\n", encoding="utf-8")
    lex = load_lexicon(extra=p)
    h = lexicon_hits(_doc("The Kremlin   regime and its strongman."), lexicon=lex)
    assert h["term"].tolist() == ["Kremlin regime", "strongman"]  # longest first, spaces free
    assert lex.loc[lex["term"] == "strongman", "origin"].item() == str(p)


@pytest.mark.parametrize("body, match", [
    ("term,register\nx,neutral\n", r"missing column\(s\) \['is_regex', 'target_type', 'note', "
                                    r"'source'\]"),
    (HEADER + "good,false,neutral,x,,src\nbad(,true,neutral,x,,src\n",
     r"row 3: invalid regular expression 'bad\('"),
    (HEADER + "good,false,neutral,x,,src\nnasty,false,evil,x,,src\n",
     r"row 3 \('nasty'\): register 'evil' is not one of \['delegitimising'"),
    (HEADER + "good,maybe,neutral,x,,src\n", r"row 2 \('good'\): is_regex='maybe'"),
    (HEADER + "good,false,neutral,x,,\n", r"row 2 \('good'\): empty 'source'"),
    (HEADER + "a*,true,neutral,x,,src\n", r"row 2: pattern 'a\*' matches the empty string"),
])
def test_bad_lexicon_names_row(tmp_path: Path, body: str, match: str) -> None:
    p = tmp_path / "mine.csv"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(LexiconError, match=match):
        load_lexicon(extra=p)


def test_duplicate_term_names_both_rows(tmp_path: Path) -> None:
    p = tmp_path / "mine.csv"
    p.write_text(HEADER + "Dictator,false,neutral,person,,my coding\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"mine.csv, row 2: term 'Dictator' is already listed "
                                           r"in framelens/data/lexicon.csv, row \d+"):
        load_lexicon(extra=p)
    # a complete own file replaces the shipped one
    assert load_lexicon(p)["term"].tolist() == ["Dictator"]


def test_rates_per_thousand_words() -> None:
    corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["A", "A", "B"],
                           "text": ["The dictator spoke.", "A regime fell today.",
                                    "Nothing here at all today, really nothing."]})
    r = register_rates(lexicon_hits(corpus), corpus).set_index(["outlet", "register"])
    # A: 2 delegitimising hits in 3 + 4 = 7 words -> 2 / 7 * 1000
    assert r.loc[("A", "delegitimising"), "hits"] == 2
    assert r.loc[("A", "delegitimising"), "words"] == 7
    assert r.loc[("A", "delegitimising"), "rate"] == pytest.approx(2 / 7 * 1000)
    assert r.loc[("B", "delegitimising"), "hits"] == 0  # zero rows kept
    assert len(r) == 2 * len(REGISTERS)
    with pytest.raises(ValueError, match="per must be"):
        register_rates(lexicon_hits(corpus), corpus, per=0)


def test_seed_loaded_wording(seed_corpus: pd.DataFrame) -> None:
    m = find_mentions(seed_corpus, ROOT / "seeds" / "actors.csv")
    h = lexicon_hits(seed_corpus, mentions=m)
    assert h["sentence"].notna().all() and (h["sentence"].str.len() > 0).all()
    for r in h.itertuples():
        assert r.match in r.sentence
    deleg = h[h["register"] == "delegitimising"]
    labels = deleg[deleg["actor"].notna()]
    # the only delegitimising labels attached to an actor: 000's two for Putin
    assert sorted(zip(labels["outlet"], labels["match"], labels["actor"])) == [
        ("Unnamed site (000)", "dictator", "Putin"),
        ("Unnamed site (000)", "illegitimate", "Putin")]
    rates = register_rates(h, seed_corpus)
    d = rates[rates["register"] == "delegitimising"].set_index("outlet")["rate"]
    assert d.idxmax() == "Unnamed site (000)"
    assert d["Unnamed site (003)"] == 0
    ax = plot_register_rates(rates)
    assert ax.get_title().startswith("Unnamed site (000) uses the most delegitimising wording")
    assert {t.get_text() for t in ax.get_yticklabels()} == set(d.index)
    plt.close("all")


def test_compiled_alternation_one_group_per_row() -> None:
    lex = load_lexicon()
    rx = compile_lexicon(lex)
    assert len(rx.groupindex) >= len(lex)
    assert rx.search("a massive attack").lastgroup == f"t{lex.index[lex['term'] == 'massive'][0]}"


ABP = ROOT.parent / "shared" / "corpora" / "article-bias-prediction" / "articles.jsonl.xz"


@pytest.mark.skipif(not ABP.exists(), reason="../shared/corpora/article-bias-prediction is not "
                    "present (it lives beside the project in the workplace, not in the repo)")
def test_real_news_hits_are_exact_and_in_their_sentences() -> None:
    import itertools
    import json
    import lzma
    import re

    with lzma.open(ABP, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in itertools.islice(fh, 150)]
    corpus = pd.DataFrame({"doc_id": [r["id"] for r in rows], "outlet": [r["source"] for r in rows],
                           "text": [r["text"] for r in rows]})
    hits = lexicon_hits(corpus)
    text = dict(zip(corpus["doc_id"], corpus["text"]))
    assert len(hits) > 100
    for r in hits.itertuples():
        assert text[r.doc_id][r.start:r.end] == r.match
        assert r.match in r.sentence
    # an independent count of one literal term agrees with the lexicon's
    want = sum(len(re.findall(r"(?<!\w)dictator\b", t, re.IGNORECASE)) for t in text.values())
    assert (hits["term"] == "dictator").sum() == want


# --------------------------------------------------------------------------- fast matcher
def _user_lexicon(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return load_lexicon(pd.DataFrame({"term": [r[0] for r in rows], "is_regex": [r[1] for r in rows],
                                      "register": [r[2] for r in rows], "target_type": "x",
                                      "note": "", "source": "test"}))


def _plain(text: str, lex: pd.DataFrame) -> list[tuple[int, int, str | None]]:
    """What one scan with the whole alternation finds: the matcher must agree."""
    return [(m.start(), m.end(), m.lastgroup) for m in compile_lexicon(lex).finditer(text)]


def _fast(text: str, lex: pd.DataFrame) -> list[tuple[int, int, str | None]]:
    from framelens.lexicon import _matcher, _matches

    return [(m.start(), m.end(), m.lastgroup) for m in _matches(text, _matcher(lex))]


def test_prefixes_read_from_the_pattern() -> None:
    from framelens.lexicon import _prefixes

    assert _prefixes(r"war\s+unleashed\s+by") == {"war"}
    assert _prefixes(r"(?-i:may)|might|could") == {"may", "might", "could"}
    assert _prefixes(r"(?:seem|appear)(?:s|ed)?\s+to") == {"seem", "appear"}
    assert _prefixes(r"possibl[ey]") == {"possibl"}
    assert _prefixes(r"NATO") == {"nato"}
    # no literal beginning: found by the slower scan instead
    assert _prefixes(r"(?:un)?justified") is None
    assert _prefixes(r"[a-z]+ism") is None
    assert _prefixes("вторжение") is None


@pytest.mark.parametrize("text", [
    "The war unleashed by Russia; a WAR criminal; warlike; war\ncriminal.",
    "Unjustified and justified claims; the isms: fascism, Nazism.",
    "\u0130nvasion and \u212aremlin regime; \u017fpecial military operation.",  # re's case folds
    "May may MAY might could Could; self-proclaimed president-elect president",
    "",
])
def test_matcher_equals_one_scan_of_the_alternation(text: str) -> None:
    lex = _user_lexicon([("war", "false", "neutral"), ("war criminal", "false", "neutral"),
                         (r"war\s+unleashed\s+by", "true", "delegitimising"),
                         (r"(?:un)?justified", "true", "neutral"),
                         (r"[a-z]+ism", "true", "neutral"),
                         ("invasion", "false", "neutral"), ("kremlin regime", "false", "neutral"),
                         ("special military operation", "false", "legitimising"),
                         (r"(?-i:may)|might|could", "true", "hedging"),
                         ("self-proclaimed", "false", "delegitimising"),
                         ("president", "false", "neutral"), ("president-elect", "false", "neutral")])
    assert _fast(text, lex) == _plain(text, lex)
    if text.startswith("\u0130"):  # the dotted capital I and Kelvin sign still match
        assert [text[s:e] for s, e, _ in _fast(text, lex)][:2] == ["\u0130nvasion",
                                                                     "\u212aremlin regime"]


def test_matcher_hands_an_empty_match_to_the_plain_scan() -> None:
    lex = _user_lexicon([("war", "false", "neutral"), (r"(?=peace)", "true", "neutral")])
    text = "war and peace, war"
    assert _fast(text, lex) == _plain(text, lex)
    assert (6, 6, "t1") not in _fast(text, lex)  # no lookahead at "and"


@given(st.lists(st.sampled_from(["war", "War", " ", "criminal", "unleashed", "by", "-", "may",
                                 "May", "\u0130", "nvasion", "justified", "un", "ism", "x", "\n",
                                 "president", "elect", "_", "é"]), max_size=30))
@settings(max_examples=200, deadline=None)
def test_matcher_property(parts: list[str]) -> None:
    text = "".join(parts)
    lex = _property_lexicon()
    assert _fast(text, lex) == _plain(text, lex)


def _property_lexicon() -> pd.DataFrame:
    return _user_lexicon([("war", "false", "neutral"), ("war criminal", "false", "neutral"),
                          (r"war\s+unleashed\s+by", "true", "delegitimising"),
                          (r"(?:un)?justified", "true", "neutral"), (r"\w+ism", "true", "neutral"),
                          ("invasion", "false", "neutral"), (r"(?-i:may)|might", "true", "hedging"),
                          ("president", "false", "neutral"),
                          ("president-elect", "false", "neutral")])


@pytest.mark.skipif(not ABP.exists(), reason="../shared/corpora/article-bias-prediction is not "
                    "present (it lives beside the project in the workplace, not in the repo)")
def test_matcher_equals_one_scan_on_real_news() -> None:
    import itertools
    import json
    import lzma

    with lzma.open(ABP, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in itertools.islice(fh, 400)]
    lex = load_lexicon()
    found = [_fast(t, lex) for t in texts]
    assert found == [_plain(t, lex) for t in texts]
    assert sum(map(len, found)) > 2000


def test_hits_without_sentences_are_the_same_hits() -> None:
    df = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"],
                       "text": ["Mr. Putin, a dictator, may go. The war went on.", "No hits here."]})
    full = lexicon_hits(df)
    lean = lexicon_hits(df, sentences=False)
    assert lean["sentence"].isna().all()
    assert full["sentence"].tolist()[0] == "Mr. Putin, a dictator, may go."
    pd.testing.assert_frame_equal(lean.drop(columns="sentence"), full.drop(columns="sentence"))
    with pytest.raises(ValueError, match="sentences='no'"):
        lexicon_hits(df, sentences="no")  # type: ignore[arg-type]


def test_lexicon_for_corpus_adds_the_corpus_files_and_rejects_a_shipped_term(tmp_path: Path) -> None:
    from framelens.lexicon import lexicon_for_corpus, load_lexicon

    header = "term,is_regex,register,target_type,note,source\n"
    (tmp_path / "a.txt").write_text("The Kremlin regime spoke.", encoding="utf-8")
    (tmp_path / "lexicon-b.csv").write_text(header + "junta,false,delegitimising,government,,mine\n",
                                             encoding="utf-8")
    (tmp_path / "lexicon.csv").write_text(header + "Kremlin regime,false,delegitimising,government,,mine\n",
                                           encoding="utf-8")
    shipped = len(load_lexicon())
    lex, note = lexicon_for_corpus(tmp_path)
    assert len(lex) == shipped + 2
    assert lex["term"].tolist()[-2:] == ["junta", "Kremlin regime"]  # name order: lexicon-b, lexicon
    assert note == "Shipped lexicon plus 2 term(s) from lexicon-b.csv, lexicon.csv."
    # a single-file corpus reads the lexicon files beside it
    (tmp_path / "articles.csv").write_text("doc_id,text\na,The Kremlin regime spoke.\n", encoding="utf-8")
    assert len(lexicon_for_corpus(tmp_path / "articles.csv")[0]) == shipped + 2
    (tmp_path / "lexicon.csv").write_text(header + "dictator,false,neutral,person,,mine\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"lexicon\.csv, row 2: term 'dictator' is already listed"):
        lexicon_for_corpus(tmp_path)


@given(st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_matcher_property_any_text(text: str) -> None:
    lex = _property_lexicon()
    assert _fast(text, lex) == _plain(text, lex)
    shipped = load_lexicon()
    assert _fast(text, shipped) == _plain(text, shipped)


def test_register_rates_with_known_word_counts() -> None:
    df = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["A", "B", "A"],
                       "text": ["The dictator may go.", "The president went home.", "Kyiv."]})
    hits = lexicon_hits(df)
    plain = register_rates(hits, df)
    given_words = register_rates(hits, df, doc_words=[4, 4, 1])
    pd.testing.assert_frame_equal(plain, given_words)
    assert plain.loc[plain["outlet"] == "A", "words"].iloc[0] == 5
    with pytest.raises(ValueError, match="doc_words has 2 counts for 3 rows"):
        register_rates(hits, df, doc_words=[4, 4])
