"""Tests for framelens.text: the sentence splitter's hard cases, words, sentences()."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelens.text import count_words, sentence_spans, sentences, word_matrix, words


def split(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


# --- sentence_spans: hard cases -------------------------------------------------------

def test_sentence_ends_inside_closing_quote() -> None:
    assert split('Then he said." Next sentence.') == ['Then he said."', "Next sentence."]
    assert split("“It is over,” he said. “We go on.” Then silence.") == [
        "“It is over,” he said.", "“We go on.”", "Then silence."]


def test_quote_followed_by_lowercase_verb_is_not_a_boundary() -> None:
    assert split('"Is it over?" she asked. Yes.') == ['"Is it over?" she asked.', "Yes."]


def test_consecutive_quotes_split_between_them() -> None:
    t = 'He wrote "the invitation should be extended now." "This will be apt," he stated.'
    assert split(t) == ['He wrote "the invitation should be extended now."',
                        '"This will be apt," he stated.']


@pytest.mark.parametrize("abbr", ["Mr.", "Mrs.", "Dr.", "Gen.", "Prof.", "Sen."])
def test_titles_never_end_a_sentence(abbr: str) -> None:
    assert split(f"We met {abbr} Smith today. He left.") == [
        f"We met {abbr} Smith today.", "He left."]


def test_month_abbreviation_before_a_number() -> None:
    assert split("The meeting on Dec. 3-4, 2024 matters. It does.") == [
        "The meeting on Dec. 3-4, 2024 matters.", "It does."]


def test_etc_mid_sentence_and_at_sentence_end() -> None:
    assert split("Tanks, guns etc. were sent.") == ["Tanks, guns etc. were sent."]
    assert split("Tanks, guns etc. The end.") == ["Tanks, guns etc.", "The end."]


def test_initials_stay_with_the_name() -> None:
    assert split("J. R. R. Tolkien wrote it. Then he slept.") == [
        "J. R. R. Tolkien wrote it.", "Then he slept."]
    assert split("George W. Bush spoke.") == ["George W. Bush spoke."]


@pytest.mark.parametrize("acr", ["U.S.", "U.K.", "E.U."])
def test_dotted_acronym_before_a_title_does_not_split(acr: str) -> None:
    assert split(f"The {acr} President-elect spoke. Aides listened.") == [
        f"The {acr} President-elect spoke.", "Aides listened."]


def test_dotted_acronym_at_sentence_end_splits_before_common_opener() -> None:
    assert split("Troops came from the U.S. The rest stayed.") == [
        "Troops came from the U.S.", "The rest stayed."]


def test_decimal_numbers_do_not_split() -> None:
    assert split("Growth was 3.5 percent. Prices rose 0.2.") == [
        "Growth was 3.5 percent.", "Prices rose 0.2."]


def test_ellipses() -> None:
    assert split("He paused... and went on. Then… Silence.") == [
        "He paused... and went on.", "Then…", "Silence."]
    assert split("Part of Ukraine… That’s what we need.") == ["Part of Ukraine…", "That’s what we need."]


def test_question_and_exclamation() -> None:
    assert split("Why now? Because! It matters.") == ["Why now?", "Because!", "It matters."]


def test_newlines_are_hard_breaks_even_without_punctuation() -> None:
    t = "A headline without a stop\nBody text. More body\n\n  Source: CNN Brasil  \n"
    assert split(t) == ["A headline without a stop", "Body text.", "More body", "Source: CNN Brasil"]


def test_spans_exclude_whitespace_and_are_offsets_into_the_text() -> None:
    t = "  First one.   Second one.  "
    assert sentence_spans(t) == [(2, 12), (15, 26)]


def test_empty_and_blank_texts_have_no_sentences() -> None:
    assert sentence_spans("") == []
    assert sentence_spans(" \n\t \n") == []


def test_non_string_is_rejected_with_its_type() -> None:
    with pytest.raises(TypeError, match="float"):
        sentence_spans(float("nan"))  # type: ignore[arg-type]


# --- sentence_spans: properties ---------------------------------------------------------

text_strategy = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("abc XYZ.!?…\"'“”’()\n\r\t  0123456789U.S.Mr.Dec.")),
        st.characters(),
    ),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(text_strategy)
def test_spans_are_ordered_disjoint_in_bounds_and_cover_every_non_space(text: str) -> None:
    spans = sentence_spans(text)
    covered = set()
    prev_end = 0
    for s, e in spans:
        assert 0 <= prev_end <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        covered.update(range(s, e))
        prev_end = e
    non_space = {i for i, c in enumerate(text) if not c.isspace()}
    assert non_space <= covered


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Mr. Smith came.", "It was 3.5 km.", '"Go," he said.',
                                 "The U.S. President spoke.", "Why?", "Dec. 3 came."]),
                min_size=1, max_size=6))
def test_joined_simple_sentences_split_back(parts: list[str]) -> None:
    assert split(" ".join(parts)) == parts


def test_huge_input_is_linear_enough() -> None:
    text = "Mr. Smith met U.S. officials on Dec. 3. They talked. " * 5000
    assert len(sentence_spans(text)) == 10000


# --- words ------------------------------------------------------------------------------

def test_words_keep_inner_apostrophes_and_hyphens_and_lowercase() -> None:
    assert words("Ukraine’s 33-month-old war, NATO's “irreversible” path") == [
        "ukraine's", "33-month-old", "war", "nato's", "irreversible", "path"]


def test_words_drop_outer_punctuation_and_dashes() -> None:
    assert words("goals—preventing 'it' -- now-") == ["goals", "preventing", "it", "now"]


def test_words_unicode() -> None:
    assert words("das tensões Zelenskyi Києва") == ["das", "tensões", "zelenskyi", "києва"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_words_are_nonempty_lowercase_without_spaces(text: str) -> None:
    for tok in words(text):
        assert tok and tok == tok.lower()
        assert not any(c.isspace() for c in tok)
        assert tok[0] not in "'-" and tok[-1] not in "'-"


# --- sentences ----------------------------------------------------------------------------

def test_sentences_table_has_offsets_back_into_each_text() -> None:
    df = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["Daily", "Weekly"],
                       "text": ["One. Two.", "Three"]})
    out = sentences(df)
    assert list(out.columns) == ["doc_id", "outlet", "sent_id", "start", "end", "sentence"]
    assert out["sentence"].tolist() == ["One.", "Two.", "Three"]
    assert out["sent_id"].tolist() == [0, 1, 0]
    assert out["outlet"].tolist() == ["Daily", "Daily", "Weekly"]
    for row in out.itertuples():
        text = df.set_index("doc_id").loc[row.doc_id, "text"]
        assert text[row.start:row.end] == row.sentence


def test_sentences_custom_columns_and_index_as_id() -> None:
    df = pd.DataFrame({"body": ["Alpha beta. Gamma delta."], "site": ["X"]}, index=pd.Index(["d1"], name="doc_id"))
    out = sentences(df, text_col="body", label_col="site")
    assert out["doc_id"].tolist() == ["d1", "d1"] and out["outlet"].tolist() == ["X", "X"]


def test_sentences_missing_column_names_it() -> None:
    df = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "body": ["Hi."]})
    with pytest.raises(ValueError, match=r"text_col='text'.*available columns"):
        sentences(df)


def test_sentences_missing_text_names_the_document() -> None:
    df = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"], "text": ["Hi.", None]})
    with pytest.raises(ValueError, match="document 'b'"):
        sentences(df)


def test_seed_sentences_hard_cases() -> None:
    """The seed texts' own hard cases split as a reader would."""
    import pathlib
    root = pathlib.Path(__file__).resolve().parents[1] / "seeds"
    t003 = (root / "003_00771259dcc220ff.txt").read_text(encoding="utf-8")
    got = split(t003)
    assert '"I urge you to support the decision to extend an invitation to Ukraine as one of the ' \
           'results of the NATO foreign ministers\' meeting on Dec. 3-4, 2024," Sybiha wrote.' in got
    t004 = (root / "004_d6eb0f94e4030983.txt").read_text(encoding="utf-8")
    assert any(s.endswith("incoming U.S. President-elect Donald Trump’s administration.")
               for s in split(t004))


def _words_token_by_token(text: str) -> list[str]:
    """The reference definition: match on the text, then lowercase each token."""
    from framelens.text import WORD

    return [m.group(0).lower().replace("\u2019", "'").replace("\u2010", "-")
            .replace("\u2011", "-") for m in WORD.finditer(text)]


def test_lowercasing_first_is_safe_except_for_two_characters() -> None:
    import sys

    from framelens.text import LOWER_EXCEPTIONS

    def word(s: str) -> bool:
        return all(c.isalnum() or c == "_" for c in s)

    odd = [c for c in map(chr, range(sys.maxunicode + 1))
           if len(c.lower()) != 1 or word(c) != word(c.lower())]
    assert sorted(odd + ["\u03a3"]) == sorted(LOWER_EXCEPTIONS)  # plus final sigma


@pytest.mark.parametrize("text", ["İstanbul’s ΟΔΟΣ.Β and ΑΣ", "Kyiv’s war‐time ‑ x", ""])
def test_words_equal_token_by_token_lowercasing(text: str) -> None:
    assert words(text) == _words_token_by_token(text)


@given(st.text(alphabet=st.sampled_from(list("aZ _-'’‐‑.İıΣσςΑ1é\u0307 \n")), max_size=40)
       | st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_words_property_equals_reference(text: str) -> None:
    assert words(text) == _words_token_by_token(text)
    from framelens.text import count_words

    assert count_words(text) == len(words(text))


def test_dotted_initialisms_are_one_word() -> None:
    from framelens.text import count_words, words

    text = "The U.S. and the U.K. met in Washington, D.C., at 9 a.m. A.B"
    assert words(text) == ["the", "u.s.", "and", "the", "u.k.", "met", "in", "washington", "d.c.",
                           "at", "9", "a.m.", "a", "b"]
    assert count_words(text) == len(words(text))
    assert words("U.S.-led talks") == ["u.s.", "led", "talks"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="aAb .-'\u2019U\u0130\u03a3\n", max_size=30), max_size=6))
def test_word_matrix_counts_the_words_of_each_text(texts: list[str]) -> None:
    from collections import Counter

    types, counts = word_matrix(texts)
    assert types.tolist() == sorted({w for t in texts for w in words(t)})
    assert counts.shape == (len(texts), len(types)) and counts.has_sorted_indices
    for i, text in enumerate(texts):
        row = counts.getrow(i)
        assert {types[j]: int(v) for j, v in zip(row.indices, row.data)} == Counter(words(text))
        assert row.sum() == count_words(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="a .!?\u2026\u203d\"')\n\r\u2028\x85\u2029\v", max_size=60))
def test_fast_scanning_patterns_find_the_same_matches(text: str) -> None:
    """sentence_spans searches with BREAK_RUN and _TERMINAL_SCAN: the same matches as
    LINE_BREAKS and _TERMINAL, found faster."""
    from framelens.text import _TERMINAL, _TERMINAL_SCAN, BREAK_RUN, LINE_BREAKS

    assert [m.span() for m in BREAK_RUN.finditer(text)] == \
        [m.span() for m in LINE_BREAKS.finditer(text)]
    assert [m.span() for m in _TERMINAL_SCAN.finditer(text)] == \
        [m.span() for m in _TERMINAL.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aZ1_ .'’‐‑-\u00e9\u0301\u00bdΣ\u0130\n", max_size=40))
def test_word_pattern_matches_its_plain_form(text: str) -> None:
    """WORD is written to open with \\w so the engine can skip ahead; its matches are those
    of the plain alternation (an initialism of two or more letters with dots, else a run
    of word characters joined by apostrophes or hyphens)."""
    import re

    from framelens.text import WORD

    plain = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:['\u2019\u2010\u2011-]\w+)*")
    assert [m.span() for m in WORD.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert [m.span() for m in WORD.finditer(text.lower())] == \
        [m.span() for m in plain.finditer(text.lower())]


def _word_matrix_by_hand(texts: list[str]) -> tuple[list[str], dict[tuple[int, str], int]]:
    """word_matrix written plainly: each text's Counter of words()."""
    from collections import Counter

    types = sorted({w for t in texts for w in words(t)})
    cells = {(i, w): n for i, t in enumerate(texts) for w, n in Counter(words(t)).items()}
    return types, cells


def _cells(types, counts) -> dict[tuple[int, str], int]:  # type: ignore[no-untyped-def]
    coo = counts.tocoo()
    return {(int(i), types[j]): int(v) for i, j, v in zip(coo.row, coo.col, coo.data)}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=5))
def test_word_matrix_equals_counting_by_hand_on_any_text(texts: list[str]) -> None:
    types, counts = word_matrix(texts)
    want_types, want = _word_matrix_by_hand(texts)
    assert types.tolist() == want_types and _cells(types, counts) == want
    assert counts.dtype == np.int64 and counts.has_sorted_indices


def test_word_matrix_equals_counting_by_hand_on_real_articles() -> None:
    from pathlib import Path

    from framelens.corpus import clean
    from framelens.distributed import iter_jsonl

    path = (Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
            / "article-bias-prediction" / "articles.jsonl.xz")
    if not path.is_file():
        pytest.skip("../shared/corpora/article-bias-prediction is absent")
    texts = clean(next(iter_jsonl(path, chunk_size=500)), text_col="text_raw")[0]["text"].tolist()
    types, counts = word_matrix(texts)
    want_types, want = _word_matrix_by_hand(texts)
    assert len(types) > 10_000 and counts.sum() > 200_000
    assert types.tolist() == want_types and _cells(types, counts) == want
