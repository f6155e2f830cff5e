"""Tests for framelens.lexicon: shipped resources, validation, matching, voice, rates."""
from __future__ import annotations

import re
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelens.actors import find_mentions
from framelens.lexicon import (LOADED_REGISTERS, REGISTERS, SHIPPED_RESOURCES, LexiconError,
                               LexiconMatcher, lexicon_for_corpus, lexicon_hits, load_lexicon,
                               plot_register_rates, poisson_interval, register_rates,
                               shipped_resources, voice_rates)
from framelens.quotes import quotes

ROOT = Path(__file__).resolve().parents[1]
HEADER = "term,is_regex,register,target_type,note,source\n"
SEED_LEXICON = ROOT / "seeds" / "lexicon-ukraine-war.csv"


def _doc(text: str, outlet: str = "A") -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ["d"], "outlet": [outlet], "text": [text]})


def _user(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return load_lexicon(pd.DataFrame({"term": [r[0] for r in rows], "is_regex": [r[1] for r in rows],
                                      "register": [r[2] for r in rows], "target_type": "x",
                                      "note": "", "source": "test"}))


# --------------------------------------------------------------------------- shipped
def test_shipped_resources_have_licence_version_and_citation() -> None:
    res = shipped_resources()
    assert res["resource"].tolist() == list(SHIPPED_RESOURCES)
    data = ROOT / "src" / "framelens" / "data" / "lexicons"
    for r in res.itertuples():
        assert r.licence and r.version and r.citation
        assert (data / r.licence_file).is_file() and (data / r.file).is_file()
    assert "MIT" in (data / "LICENSE-vader.txt").read_text(encoding="utf-8")
    lex = load_lexicon()
    assert set(lex["resource"]) == set(SHIPPED_RESOURCES)
    assert len(lex) > 5000 and lex["key"].is_unique  # one register per term across resources
    assert (lex["source"].str.strip() != "").all()
    assert set(lex["register"]) <= set(REGISTERS)
    reg = dict(zip(lex["term"], lex["register"]))
    assert reg["dictator"] == "delegitimising" and reg["reportedly"] == "hedging"
    assert reg["criticized"] == "negative" and reg["extremely"] == "intensifying"
    # the seed event's own terms are not general: they live next to the seeds
    assert "special military operation" not in reg and "president" not in reg


def test_seed_terms_are_a_corpus_companion_that_replaces_shipped_entries() -> None:
    seed = load_lexicon(SEED_LEXICON)
    assert len(seed) == 60
    lex, _ = lexicon_for_corpus(ROOT / "seeds")
    row = lex[lex["term"] == "dictator"]
    assert len(row) == 1 and row["origin"].item() == SEED_LEXICON.name  # by name, not where it sits
    assert row["replaces"].item().startswith("framelens/data/lexicons/framelens-general.csv, row ")
    assert lex["key"].is_unique
    assert len(lex) == len(load_lexicon()) + 60 - int((lex["replaces"] != "").sum())


# --------------------------------------------------------------------------- matching
def test_longest_match_wins_and_word_boundaries() -> None:
    h = lexicon_hits(_doc("The special military operation continued; a warlike mood. "
                          "Reportedly the war in May may end."), lexicon=load_lexicon(SEED_LEXICON))
    assert h["match"].tolist() == ["special military operation", "Reportedly", "war", "may"]
    assert h["register"].tolist() == ["legitimising", "hedging", "neutral", "hedging"]
    # "warlike" is not "war"; the month "May" is not the hedge "may" ((?-i:may))


def test_phrases_match_across_spaces_and_curly_apostrophes_not_line_breaks() -> None:
    lex = _user([("Kremlin regime", "false", "delegitimising"), ("don't care", "false", "negative")])
    text = "The Kremlin   regime; they don\u2019t care.\nKremlin\nregime"
    got = [(text[s:e], r) for s, e, r in LexiconMatcher(lex).find(text)]
    assert got == [("Kremlin   regime", 0), ("don\u2019t care", 1)]


def _reference(text: str, lex: pd.DataFrame) -> list[tuple[int, int, int]]:
    """Independent implementation: Python re per term (a word boundary after it), then the
    leftmost, longest, earliest-row hits that do not overlap."""
    cands = []
    for i, (term, is_rx) in enumerate(zip(lex["term"], lex["is_regex"])):
        body = term if is_rx else r"[ \t\u00a0]+".join(
            re.escape(w).replace("'", "['\u2019]") for w in term.split())
        for m in re.finditer(f"(?:{body})(?!\\w)", text, re.IGNORECASE):
            s, e = m.start(), m.end()
            if s == e:
                continue
            w = lambda c: c.isalnum() or c == "_"  # noqa: E731
            if w(text[s]) and s > 0 and w(text[s - 1]):
                continue
            cands.append((s, e, i))
    cands.sort(key=lambda c: (c[0], c[0] - c[1], c[2]))
    out, pos = [], 0
    for s, e, i in cands:
        if s >= pos:
            out.append((s, e, i))
            pos = e
    return out


PROPERTY_LEX = [("war", "false", "neutral"), ("war criminal", "false", "delegitimising"),
                ("regime", "false", "delegitimising"), ("Kremlin regime", "false", "delegitimising"),
                ("liberat(?:e|ed|ion)", "true", "legitimising"), ("so-called", "false", "delegitimising"),
                ("(?:un)?justified", "true", "delegitimising"), ("may", "false", "hedging")]
PIECES = ["war", "War", "criminal", "regime", "Kremlin", "liberated", "liberation", "so-called", "liberat",
          "unjustified", "justified", "may", " ", "  ", "\n", ",", "-", "x", "é", "warlike", "'"]


@given(st.lists(st.sampled_from(PIECES), max_size=14))
@settings(max_examples=300, deadline=None)
def test_matcher_equals_an_independent_implementation(parts: list[str]) -> None:
    lex = _user(PROPERTY_LEX)
    text = "".join(parts)
    assert LexiconMatcher(lex).find(text) == _reference(text, lex)


@given(st.text(max_size=60))
@settings(max_examples=200, deadline=None)
def test_matcher_any_text_offsets_are_exact(text: str) -> None:
    lex = _user(PROPERTY_LEX)
    for s, e, i in LexiconMatcher(lex).find(text):
        assert 0 <= s < e <= len(text)
        assert text[s:e].lower().replace(" ", "") or i >= 0


ABP = ROOT.parent / "shared" / "corpora" / "article-bias-prediction" / "articles.jsonl.xz"


@pytest.mark.skipif(not ABP.exists(), reason="../shared/corpora/article-bias-prediction is not "
                    "present (it lives beside the project in the workplace, not in the repo)")
def test_real_news_hits_are_exact_and_agree_with_an_independent_count() -> None:
    import itertools
    import json
    import lzma

    with lzma.open(ABP, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in itertools.islice(fh, 150)]
    corpus = pd.DataFrame({"doc_id": [r["id"] for r in rows], "outlet": [r["source"] for r in rows],
                           "text": [r["text"] for r in rows]})
    hits = lexicon_hits(corpus)
    text = dict(zip(corpus["doc_id"], corpus["text"]))
    assert len(hits) > 1000
    for r in hits.itertuples():
        assert text[r.doc_id][r.start:r.end] == r.match
        assert r.match in r.sentence
    for word in ("dictator", "criticized", "reportedly"):
        want = sum(len(re.findall(rf"(?<!\w){word}(?!\w)", t, re.IGNORECASE)) for t in text.values())
        assert (hits["term"] == word).sum() == want, word


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("body, match", [
    ("term,register\nx,neutral\n", r"missing column\(s\) \['is_regex', 'target_type', 'note', "
                                    r"'source'\]"),
    (HEADER + "good,false,neutral,x,,src\nbad(,true,neutral,x,,src\n",
     r"mine\.csv, row 3: pattern 'bad\(' is not a valid regular expression .*set is_regex to false"),
    (HEADER + "good,false,neutral,x,,src\nnasty,false,evil,x,,src\n",
     r"mine\.csv, row 3 \('nasty'\): register 'evil' is not one of \['delegitimising'"),
    (HEADER + "good,maybe,neutral,x,,src\n", r"row 2 \('good'\): is_regex='maybe'; use true or false"),
    (HEADER + "good,false,neutral,x,,\n", r"row 2 \('good'\): empty 'source'"),
    (HEADER + "a*,true,neutral,x,,src\n", r"row 2: pattern 'a\*' can match the empty string"),
    (HEADER + "(a+)+,true,neutral,x,,src\n", r"row 2: pattern '\(a\+\)\+' repeats a repetition"),
    (HEADER + "(a+)+$,true,neutral,x,,src\n", r"row 2: pattern '\(a\+\)\+\$' has an anchor"),
    (HEADER + "(?<=x)a,true,neutral,x,,src\n", r"row 2: pattern '\(\?<=x\)a' uses a look-around"),
    (HEADER + "ok,false,neutral,x,,src\nregime,false,delegitimising,person,a, note,src\n",
     r"mine\.csv, row 3: 7 fields where the header has 6 .*must be quoted"),
    (HEADER + "regime,false,neutral,x,,src\nRegime,false,neutral,x,,src\n",
     r"mine\.csv, row 3: term 'Regime' is already listed in row 2; remove one"),
    (HEADER + "---,false,neutral,x,,src\n", r"row 2: term '---' has no letter or digit"),
])
def test_bad_lexicon_names_file_row_and_fix(tmp_path: Path, body: str, match: str) -> None:
    p = tmp_path / "mine.csv"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(LexiconError, match=match):
        load_lexicon(p)


def test_corpus_files_may_not_repeat_each_other(tmp_path: Path) -> None:
    (tmp_path / "lexicon-a.csv").write_text(HEADER + "junta,false,delegitimising,x,,mine\n",
                                             encoding="utf-8")
    (tmp_path / "lexicon-b.csv").write_text(HEADER + "Junta,false,negative,x,,mine\n",
                                             encoding="utf-8")
    with pytest.raises(LexiconError, match=r"lexicon-b\.csv, row 2: term 'Junta' is already listed "
                                           r"in .*lexicon-a\.csv, row 2"):
        lexicon_for_corpus(tmp_path)


def test_fifty_thousand_rows_load(tmp_path: Path) -> None:
    p = tmp_path / "big.csv"
    lines = [f"term{i:05d} word,false,negative,any,,generated" for i in range(50_000)]
    lines += [f"rx{i}(?:a|b)s?,true,neutral,any,,generated" for i in range(200)]
    p.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    lex = load_lexicon(p)
    assert len(lex) == 50_200
    h = lexicon_hits(_doc("A term01234 word and rx7as here."), lexicon=lex)
    assert h["match"].tolist() == ["term01234 word", "rx7as"]


# --------------------------------------------------------------------------- voice
def test_hit_inside_quotation_marks_is_quoted_with_its_speaker() -> None:
    text = ('The dictator left on Monday. "This brutal regime must end," Sybiha said. '
            'Officials called it a \u201coutrageous\u201d move.')
    doc = _doc(text)
    q = quotes(doc, min_words=1)
    h = lexicon_hits(doc, quotes=q).set_index("match")
    assert h.loc["dictator", "voice"] == "narration" and pd.isna(h.loc["dictator", "speaker"])
    assert h.loc["brutal", "voice"] == "quotation" and h.loc["brutal", "speaker"] == "Sybiha"
    assert h.loc["regime", "voice"] == "quotation" and h.loc["regime", "speaker"] == "Sybiha"
    assert h.loc["outrageous", "voice"] == "quotation"  # a scare quote is quoted too
    # a hand-made quote table: offsets are the quoted words, the speaker as given
    start = text.index("This")
    hand = pd.DataFrame({"doc_id": ["d"], "start": [start], "end": [start + len("This brutal")],
                         "speaker": ["Someone"]})
    h2 = lexicon_hits(doc, quotes=hand).set_index("match")
    assert h2.loc["brutal", "speaker"] == "Someone" and h2.loc["regime", "voice"] == "narration"
    # without a quote table the voice is not known
    assert lexicon_hits(doc)["voice"].isna().all()
    with pytest.raises(ValueError, match=r"quotes lacks column\(s\) \['end'\]"):
        lexicon_hits(doc, quotes=hand.drop(columns="end"))


def test_voice_rates_count_words_in_each_voice() -> None:
    text = 'The dictator left. "A brutal, cruel end," Ann said.'
    doc = _doc(text)
    s = text.index("A brutal")
    q = pd.DataFrame({"doc_id": ["d"], "start": [s], "end": [s + len("A brutal, cruel end,")],
                      "speaker": ["Ann"]})
    r = voice_rates(lexicon_hits(doc, quotes=q), doc, quotes=q).set_index(["voice", "register"])
    # quoted words: A brutal cruel end = 4; narration: The dictator left Ann said = 5
    assert r.loc[("quotation", "negative"), ["hits", "words"]].tolist() == [2, 4]
    assert r.loc[("quotation", "negative"), "rate"] == pytest.approx(500.0)
    assert r.loc[("narration", "delegitimising"), ["hits", "words"]].tolist() == [1, 5]
    low, high = poisson_interval(2)
    assert r.loc[("quotation", "negative"), "low"] == pytest.approx(float(low) / 4 * 1000)
    assert r.loc[("quotation", "negative"), "high"] == pytest.approx(float(high) / 4 * 1000)
    assert len(r) == 2 * len(REGISTERS)


def test_poisson_interval_hand_values() -> None:
    low, high = poisson_interval([0, 1, 4, 10])
    # Garwood exact 95% limits (tabulated): 0 -> (0, 3.689), 1 -> (0.0253, 5.572),
    # 4 -> (1.090, 10.242), 10 -> (4.795, 18.390)
    assert [round(float(x), 3) for x in low] == [0.0, 0.025, 1.09, 4.795]
    assert [round(float(x), 3) for x in high] == [3.689, 5.572, 10.242, 18.39]
    with pytest.raises(ValueError, match="confidence"):
        poisson_interval(1, confidence=1.5)


# --------------------------------------------------------------------------- rates, seeds
def test_rates_per_thousand_words_with_intervals() -> None:
    corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["A", "A", "B"],
                           "text": ["The dictator spoke.", "A regime fell today.",
                                    "Nothing here at all today, really nothing."]})
    r = register_rates(lexicon_hits(corpus), corpus).set_index(["outlet", "register"])
    # A: 2 delegitimising hits in 3 + 4 = 7 words -> 2 / 7 * 1000
    assert r.loc[("A", "delegitimising"), ["hits", "words"]].tolist() == [2, 7]
    assert r.loc[("A", "delegitimising"), "rate"] == pytest.approx(2 / 7 * 1000)
    assert r.loc[("A", "delegitimising"), "high"] == pytest.approx(7.2247 / 7 * 1000, rel=1e-4)
    assert r.loc[("B", "delegitimising"), "hits"] == 0  # zero rows kept
    assert len(r) == 2 * len(REGISTERS)
    with pytest.raises(ValueError, match="per must be"):
        register_rates(lexicon_hits(corpus), corpus, per=0)
    given_words = register_rates(lexicon_hits(corpus), corpus, doc_words=[3, 4, 7])
    pd.testing.assert_frame_equal(register_rates(lexicon_hits(corpus), corpus), given_words)


def test_seed_hits_split_narration_from_quotation(seed_corpus: pd.DataFrame) -> None:
    m = find_mentions(seed_corpus, ROOT / "seeds" / "actors.csv")
    q = quotes(seed_corpus, min_words=1, actors=ROOT / "seeds" / "actors.csv")
    h = lexicon_hits(seed_corpus, lexicon=lexicon_for_corpus(ROOT / "seeds")[0], mentions=m, quotes=q)
    for r in h.itertuples():
        assert r.match in r.sentence
    deleg = h[h["register"] == "delegitimising"]
    labels = deleg[deleg["actor"].notna()]
    assert sorted(zip(labels["outlet"], labels["match"], labels["actor"], labels["voice"])) == [
        ("Unnamed site (000)", "dictator", "Putin", "narration"),
        ("Unnamed site (000)", "illegitimate", "Putin", "narration")]
    # Sybiha's letter, quoted in quotation marks by three outlets: his words, not theirs
    quoted = deleg[deleg["voice"] == "quotation"]
    assert sorted(zip(quoted["outlet"], quoted["match"], quoted["speaker"])) == [
        ("CNN Brasil (republished)", "unjustified war", "Sybiha"),
        ("CNN Brasil (republished)", "war it has provoked", "Sybiha"),
        ("Reuters-based (004)", "unjustified war", "Sybiha"),
        ("Unnamed site (000)", "temporarily occupied", "Zelensky"),
        ("VTC News", "unjustified war", "Sybiha")]
    # 000 gives Zelensky's words as a block quote without quotation marks (a first-person
    # paragraph signed by him): quotes() finds it, so "temporarily occupied" is his, not 000's
    occ = deleg[deleg["match"].str.lower() == "temporarily occupied"]
    assert occ["voice"].tolist() == ["quotation"]
    rates = voice_rates(h, seed_corpus, quotes=q)
    own = rates[(rates["voice"] == "narration") & (rates["register"] == "delegitimising")]
    assert own.set_index("outlet")["rate"].idxmax() == "Unnamed site (000)"
    assert (own["low"] <= own["rate"]).all() and (own["rate"] <= own["high"]).all()
    ax = plot_register_rates(own.drop(columns="voice"), registers=list(LOADED_REGISTERS))
    assert ax.get_title().startswith("Unnamed site (000) uses the most delegitimising wording")
    plt.close("all")


def test_count_hits_equals_the_counted_hit_table() -> None:
    from framelens.lexicon import count_hits

    corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["A", "A", "B"],
                           "text": ["The brutal dictator spoke.", "A regime fell, sadly.",
                                    "Nothing here at all today."]})
    counts = count_hits(corpus)
    hits = lexicon_hits(corpus)
    want = hits.groupby(["outlet", "register"]).size()
    assert dict(zip(zip(counts["outlet"], counts["register"]), counts["hits"])) == want.to_dict()
    pd.testing.assert_frame_equal(register_rates(counts, corpus), register_rates(hits, corpus))


# --------------------------------------------------------------------------- not_after ("regime")

def _regime_hits(text: str) -> list[str]:
    """The shipped lexicon's regime/regimes hits in ``text``, each with the two words before it."""
    hits = lexicon_hits(_doc(text), sentences=False)
    hits = hits[hits["term"].isin(["regime", "regimes"])]
    return [f"{' '.join(str(left).split()[-2:])} [{m}]" for left, m in zip(hits["left"], hits["match"])]


@pytest.mark.parametrize("text, expected", [
    ("The Assad regime tightened its grip on Aleppo.", ["The Assad [regime]"]),
    ("The sanctions regime against Iran is crumbling, the envoy said.", []),
    ("Under the inspection regime, the IAEA visits every site.", []),
    ("Inspectors doubt the inspections regime can work.", []),
    ("Russia says 814,000 people have used its visa-free regime since January.", []),
    ("The Iran-sanctions regime was fraying before the deal.", []),
    ("EU tax regimes differ, and the trade regime of the region is open.", []),
    ("A brutal regime imposed a new tax regime on farmers.", ["A brutal [regime]"]),
    # punctuation or a line break between the modifier and the noun: another phrase, still counted
    ("The EU extended its sanctions. Regime officials called them illegal.", ["its sanctions. [Regime]"]),
    ("They debated sanctions\nregime change came later.", ["debated sanctions [regime]"]),
    # a modifier inside a longer word is not the modifier
    ("The antisanctions regime in Minsk.", ["The antisanctions [regime]"]),
])
def test_regime_is_not_counted_after_a_word_naming_a_system_of_rules(text: str, expected: list[str]) -> None:
    assert _regime_hits(text) == expected


def test_not_after_is_read_normalised_and_applies_to_its_row_only() -> None:
    lex = load_lexicon(pd.DataFrame({
        "term": ["regime", "regime change", "war(?:s)?"], "is_regex": ["false", "false", "true"],
        "register": ["delegitimising", "negative", "negative"], "target_type": "x", "note": "", "source": "test",
        "not_after": ["Visa-Free; SANCTIONS ;", "", "trade;price"]}))
    assert lex["not_after"].tolist() == ["visa-free;sanctions", "", "trade;price"]
    text = "The sanctions regime change and the visa free regime; trade wars, price  war, civil war."
    found = [(text[s:e], lex["term"].iloc[r]) for s, e, r in LexiconMatcher(lex).find(text)]
    # "regime change" has no not_after of its own: the longer phrase is kept after "sanctions"
    assert found == [("regime change", "regime change"), ("war", "war(?:s)?")]


def test_a_lexicon_file_may_add_not_after_and_bad_parts_name_the_row(tmp_path: Path) -> None:
    p = tmp_path / "lexicon-mine.csv"
    p.write_text(HEADER.rstrip("\n") + ",not_after\njunta,false,delegitimising,x,,mine,military;\n"
                 "regime,false,delegitimising,x,,mine,\n", encoding="utf-8")
    lex, _ = lexicon_for_corpus(tmp_path)
    row = lex[lex["term"] == "junta"].iloc[0]
    assert (row["not_after"], row["resource"]) == ("military", "corpus")
    regime = lex[lex["term"] == "regime"].iloc[0]  # the corpus's own regime row replaces the shipped one, lists none
    assert (regime["not_after"], regime["replaces"]) == ("", "framelens/data/lexicons/framelens-general.csv, row 11")
    hits = lexicon_hits(_doc("The military junta and the sanctions regime."), lexicon=lex, sentences=False)
    assert hits["match"].tolist() == ["regime"]
    p.write_text(HEADER.rstrip("\n") + ",not_after\njunta,false,delegitimising,x,,mine,military;--\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"lexicon-mine\.csv, row 2 \('junta'\): not_after='military;--' "
                                           r"holds a part with no letter or digit"):
        lexicon_for_corpus(tmp_path)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["regime", "regimes", "sanctions", "tax", "the", "-", " ", "  ", "\n", ".", "x"]),
                max_size=30))
def test_not_after_only_drops_hits_it_names(parts: list[str]) -> None:
    """Any text: the hits with not_after are the hits without it, less those right after a listed word."""
    text = " ".join(parts)
    rows = {"term": ["regime", "regimes"], "is_regex": ["false", "false"], "register": ["delegitimising"] * 2,
            "target_type": "x", "note": "", "source": "test"}
    plain = LexiconMatcher(load_lexicon(pd.DataFrame(rows))).find(text)
    listed = LexiconMatcher(load_lexicon(pd.DataFrame({**rows, "not_after": ["sanctions;tax"] * 2}))).find(text)
    after_word = re.compile(r"(?<![\w])(?:sanctions|tax)[ \-]+\Z")
    assert listed == [h for h in plain if not after_word.search(text[:h[0]].lower())]


def test_rate_tables_columns_and_dtypes_also_when_empty() -> None:
    df = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"],
                       "text": ['The dictator fell. "A brutal end," Ann said.', "Calm words."]})
    q = pd.DataFrame({"doc_id": ["a"], "start": [20], "end": [32], "speaker": ["Ann"]})
    want = {"hits": "int64", "words": "int64", "rate": "float64", "low": "float64", "high": "float64"}
    for sub in (df, df.iloc[:0]):
        hits = lexicon_hits(sub, quotes=q)
        for table, keys in ((register_rates(hits, sub), ["outlet", "register"]),
                            (voice_rates(hits, sub, quotes=q), ["outlet", "voice", "register"])):
            assert list(table.columns) == [*keys, *want]
            assert all(str(table[c].dtype) == "string" for c in keys)
            assert {c: str(table[c].dtype) for c in want} == want
            assert isinstance(table.index, pd.RangeIndex) and len(table) == len(set(sub["outlet"])) * len(
                REGISTERS) * (2 if "voice" in keys else 1)
