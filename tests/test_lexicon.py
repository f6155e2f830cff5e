"""Tests for framelens.lexicon: the shipped lexicon, validation, KWIC, rates."""
from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

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
