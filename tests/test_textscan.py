"""The C word scanner (``text.WORD_ENGINE == "c"``) against Python's ``re`` (``"re"``).

Every function that tokenises (:func:`words`, :func:`word_matrix`, :func:`count_words`)
must give the same result with either engine: on every code point, under hypothesis and
on real articles.
"""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import framelens.text as text_mod
from framelens.text import WORD, count_words, sentence_spans, word_matrix, words

pytestmark = pytest.mark.skipif("c" not in text_mod.WORD_ENGINES,
                                reason="the C scanner (framelens.textscan) is not built: "
                                       "`pip install -e .` or `python setup.py build_ext --inplace`")

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"


def _with(engine: str, fn: Callable[..., Any], *args: Any) -> Any:
    saved = text_mod.WORD_ENGINE
    text_mod.WORD_ENGINE = engine
    try:
        return fn(*args)
    finally:
        text_mod.WORD_ENGINE = saved


def _matrix_cells(texts: list[str], engine: str) -> tuple[Any, ...]:
    types, counts = _with(engine, word_matrix, texts)
    assert counts.dtype == np.int64 and counts.has_sorted_indices and counts.has_canonical_format
    assert counts.shape == (len(texts), len(types))
    return (types.dtype, types.tolist(), counts.shape, counts.indptr.dtype, counts.indptr.tolist(),
            counts.indices.dtype, counts.indices.tolist(), counts.data.tolist())


def assert_same(texts: list[str]) -> None:
    """Both engines give the same words, word counts and word matrix for ``texts``."""
    for t in texts:
        want = _with("re", words, t)
        assert _with("c", words, t) == want, t
        assert _with("c", count_words, t) == _with("re", count_words, t) == len(WORD.findall(t))
    assert _matrix_cells(texts, "c") == _matrix_cells(texts, "re")


def test_the_engine_in_use_is_the_c_scanner_by_default() -> None:
    out = subprocess.run([sys.executable, "-c", "import framelens.text as t; print(t.WORD_ENGINE)"],
                         capture_output=True, text=True, check=True,
                         env={k: v for k, v in os.environ.items() if k != "FRAMELENS_WORD_ENGINE"})
    assert out.stdout.strip() == "c"


def test_the_environment_chooses_the_engine_and_a_bad_name_is_refused() -> None:
    code = "import framelens.text as t; print(t.WORD_ENGINE)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "FRAMELENS_WORD_ENGINE": "re"})
    assert out.stdout.strip() == "re"
    bad = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "FRAMELENS_WORD_ENGINE": "rust"})
    assert bad.returncode != 0 and "FRAMELENS_WORD_ENGINE='rust'; allowed here: ['c', 're']" in bad.stderr


def test_an_unknown_engine_attribute_names_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match=r"WORD_ENGINE='regex'; allowed here: \['c', 're'\]"):
        _with("regex", words, "a b")


def test_hand_worked_tokens() -> None:
    text = "The U.S.-led talks: Kyiv’s war‐time ‑ 33-month-old A.B.c x_y 2.5 e.g. U.S.A"
    want = ["the", "u.s.", "led", "talks", "kyiv's", "war-time", "33-month-old", "a.b.", "c",
            "x_y", "2", "5", "e.g.", "u.s.", "a"]
    assert _with("c", words, text) == want == _with("re", words, text)
    assert _with("c", count_words, text) == len(want)
    # an initialism needs letters: digits and "_" do not start or continue one
    assert _with("c", words, "1.2.3. _.a.b. a.1.") == ["1", "2", "3", "_", "a.b.", "a", "1"]


def test_the_two_lowercase_exceptions() -> None:
    # U+0130 lowercases to two characters, U+03A3 to final or medial sigma by context
    text = "İSTANBUL’S ΟΔΟΣ.Β and ΑΣ ΣΑ"
    assert _with("c", words, text) == _with("re", words, text) == \
        ["i\u0307stanbul's", "οδος", "β", "and", "ας", "σα"]
    assert_same([text, "plain text", "Σ", "İ"])


def _blocks() -> Iterator[tuple[int, list[str]]]:
    """Every code point (lone surrogates included), in blocks of 4,096, each between
    word characters and next to every separator, so that each one's class as a word
    character, a letter, a digit and a separator is exercised."""
    for lo in range(0, sys.maxunicode + 1, 4096):
        chars = [chr(c) for c in range(lo, min(lo + 4096, sys.maxunicode + 1))]
        yield lo, [f"a{c}b {c}.a.b a.{c}. {c}-{c}’x " for c in chars]


def test_every_code_point() -> None:
    for lo, block in _blocks():
        joined = "".join(block)
        assert _with("c", words, joined) == _with("re", words, joined)
        assert _with("c", count_words, joined) == len(WORD.findall(joined))
        if lo % (16 * 4096) == 0 or lo < 0x10000:  # a text per code point, one row each
            assert _matrix_cells(block, "c") == _matrix_cells(block, "re")


_ODD = ("aZé_1٣²½ .'’‐‑-\u0301\u0307İıΣσςΑ\n\t\u00a0\U0001d7ce\U0001d400\U00010400\U0001f600\ud800"
        "ǅ\u2160ſ")


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(_ODD)), max_size=60)
       | st.text(alphabet=st.characters(exclude_categories=()), max_size=60)
       | st.text(max_size=200))
def test_any_text(text: str) -> None:
    assert_same([text])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list(_ODD)), max_size=40) | st.text(max_size=40),
                max_size=6))
def test_word_matrix_of_any_texts(texts: list[str]) -> None:
    assert _matrix_cells(texts, "c") == _matrix_cells(texts, "re")


def test_huge_text_and_bad_input() -> None:
    big = "Ukraine’s U.S.-led talks, 33-month-old İ " * 50_000
    assert _with("c", words, big) == _with("re", words, big)
    with pytest.raises(TypeError, match="words expects a str, got float"):
        _with("c", words, 1.5)
    with pytest.raises(TypeError, match="words expects a str, got NoneType"):
        _with("c", word_matrix, ["a", None])
    with pytest.raises(TypeError, match="count_words expects a str, got bytes"):
        _with("c", count_words, b"a")


@pytest.fixture(scope="module")
def real_texts() -> list[str]:
    """The first 600 Article-Bias-Prediction articles, raw and cleaned, and NewsWCL50's 50."""
    from framelens.corpus import clean
    from framelens.distributed import iter_jsonl

    abp = CORPORA / "article-bias-prediction" / "articles.jsonl.xz"
    wcl = CORPORA / "newswcl50" / "articles"
    if not abp.is_file() or not wcl.is_dir():
        pytest.skip("../shared/corpora (article-bias-prediction, newswcl50) is absent")
    chunk = next(iter_jsonl(abp, chunk_size=600))
    raw = chunk["text_raw"].tolist()
    cleaned = clean(chunk, text_col="text_raw")[0]["text"].tolist()
    news = [p.read_text(encoding="utf-8") for p in sorted(wcl.rglob("*.txt"))]
    assert len(raw) == 600 and len(news) >= 50
    return raw + cleaned + news


def test_real_articles(real_texts: list[str]) -> None:
    assert_same(real_texts)


def test_word_matrix_of_real_articles_counts_every_word(real_texts: list[str]) -> None:
    """Row i of the C engine's matrix is Counter(words(text i)), counted here by hand."""
    texts = real_texts[600:1200]  # the 600 cleaned Article-Bias-Prediction articles
    types, counts = _with("c", word_matrix, texts)
    column = {w: j for j, w in enumerate(types.tolist())}
    assert types.tolist() == sorted(column) and len(column) == len(types)
    for i, t in enumerate(texts):
        tally: dict[str, int] = {}
        for w in _with("re", words, t):
            tally[w] = tally.get(w, 0) + 1
        row = counts.getrow(i)
        assert dict(zip(types[row.indices].tolist(), row.data.tolist())) == tally, i
        assert row.indices.tolist() == sorted(column[w] for w in tally)


def _sorted_counts_by_hand(ids: list[int], indptr: list[int], rank: list[int]
                           ) -> tuple[list[int], list[int], list[int]]:
    out_ptr, out_cols, out_data = [0], [], []
    for r in range(len(indptr) - 1):
        tally: dict[int, int] = {}
        for i in ids[indptr[r]:indptr[r + 1]]:
            tally[rank[i]] = tally.get(rank[i], 0) + 1
        out_cols += sorted(tally)
        out_data += [tally[c] for c in sorted(tally)]
        out_ptr.append(len(out_cols))
    return out_ptr, out_cols, out_data


def _sorted_counts(ids: list[int], indptr: list[int], rank: list[int]
                   ) -> tuple[list[int], list[int], list[int]]:
    out = text_mod._scanner().sorted_counts(np.asarray(ids, dtype=np.int64).tobytes(),
                                            np.asarray(indptr, dtype=np.int64),
                                            np.asarray(rank, dtype=np.int64))
    return tuple(np.frombuffer(b, dtype=np.int64).tolist() for b in out)  # type: ignore[return-value]


def test_sorted_counts_hand_worked() -> None:
    # numbers 0..3 are the columns 2, 0, 3, 1; row 1 is empty
    assert _sorted_counts([0, 1, 0, 3, 2, 2, 2, 0], [0, 4, 4, 8], [2, 0, 3, 1]) == (
        [0, 3, 3, 5], [0, 1, 2, 2, 3], [1, 1, 2, 1, 3])
    assert _sorted_counts([], [0], []) == ([0], [], [])
    # two columns 31 bitmap words apart in a row of 2 (> 8 * 2): read off the touched list
    # sorted, here first seen in descending order
    rank = list(range(2000))[::-1]
    assert _sorted_counts([5, 1999, 5], [0, 3], rank) == ([0, 2], [0, 1994], [1, 2])


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(
    st.randoms(use_true_random=False).map(lambda rnd: rnd.sample(range(n), n)),
    st.lists(st.lists(st.integers(0, n - 1), max_size=4) | st.lists(st.integers(0, n - 1), max_size=80)
             | st.lists(st.integers(0, min(n - 1, 70)), max_size=80), max_size=8))))
def test_sorted_counts_of_any_numbers(case: tuple[list[int], list[list[int]]]) -> None:
    rank, rows = case
    ids = [i for row in rows for i in row]
    indptr = np.cumsum([0] + [len(row) for row in rows]).tolist()
    assert _sorted_counts(ids, indptr, rank) == _sorted_counts_by_hand(ids, indptr, rank)


def test_sorted_counts_bad_input() -> None:
    scan = text_mod._scanner()
    i64 = np.asarray
    with pytest.raises(ValueError, match=r"ids\[1\] = 3 is outside \[0, len\(rank\) = 2\)"):
        scan.sorted_counts(i64([0, 3], dtype=np.int64), i64([0, 2], dtype=np.int64), i64([1, 0], dtype=np.int64))
    with pytest.raises(ValueError, match="indptr must start at 0 and end at len"):
        scan.sorted_counts(i64([0], dtype=np.int64), i64([0, 2], dtype=np.int64), i64([0], dtype=np.int64))
    with pytest.raises(ValueError, match="indptr decreases at row 1"):
        scan.sorted_counts(i64([0], dtype=np.int64), i64([0, 2, 1], dtype=np.int64), i64([0], dtype=np.int64))
    with pytest.raises(ValueError, match=r"rank\[0\] = 5 is outside"):
        scan.sorted_counts(i64([0], dtype=np.int64), i64([0, 1], dtype=np.int64), i64([5], dtype=np.int64))
    with pytest.raises(ValueError, match="indptr must start at 0"):
        scan.sorted_counts(b"", b"", b"")
    with pytest.raises(ValueError, match="not a whole number of int64"):
        scan.sorted_counts(b"abc", i64([0], dtype=np.int64), i64([], dtype=np.int64))
    with pytest.raises(TypeError, match="expects 3 arguments"):
        scan.sorted_counts(b"")


# ---- sentence spans ---------------------------------------------------------------

def assert_same_spans(texts: list[str]) -> None:
    for t in texts:
        assert _with("c", sentence_spans, t) == _with("re", sentence_spans, t), t


_SENT = (list("aA1 .!?\u2026\u203d\"')]}\u201d\u2019\u00bb\u203a\u201c\u2018\u00ab\u2039([{\u201e\u201a,;:"
              "\n\r\v\f\x1c\x85\u2028\u2029\t\u00a0\u3000\x1f")
         + ["Mr", "Dec", "No", "etc", "U.S", "U.K", "a.m", "The", "However", "J", "R", "no", "İ",
            "ΣΑ", "\u212a", "Co", "Ⅻ", "²", "٣", "é", "x_y"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_SENT), max_size=40).map("".join)
       | st.text(alphabet=st.characters(exclude_categories=()), max_size=60)
       | st.text(max_size=200))
def test_sentence_spans_of_any_text(text: str) -> None:
    assert_same_spans([text])


def test_sentence_spans_hand_worked() -> None:
    t = 'Mr. Smith met U.S. President Biden. "It went well." Next, 3.5 hours.'
    assert _with("c", sentence_spans, t) == [(0, 35), (36, 51), (52, 68)]
    t = "In the U.S. The talks.\u2028J. R. R. Tolkien wrote. Dec. 3 was late! (yes)\r\n\nEnd..."
    # "U.S. The" splits, "J. R. R." and "Dec. 3" do not, nor "! (yes)" (lower case next)
    want = [(0, 11), (12, 22), (23, 46), (47, 69), (72, 78)]
    assert _with("c", sentence_spans, t) == want == _with("re", sentence_spans, t)
    assert _with("c", sentence_spans, "") == [] == _with("c", sentence_spans, " \n\t ")
    with pytest.raises(TypeError, match="sentence_spans expects a str, got float"):
        _with("c", sentence_spans, 1.0)


def test_sentence_spans_follow_the_abbreviation_sets() -> None:
    """The C scan reads text's sets at each call (they are public and may be replaced)."""
    t = "He met Gov. Brown. Then left."
    assert _with("c", sentence_spans, t) == [(0, 18), (19, 29)]
    saved = text_mod.TITLES
    text_mod.TITLES = frozenset()
    try:
        assert _with("c", sentence_spans, t) == _with("re", sentence_spans, t) == \
            [(0, 11), (12, 18), (19, 29)]
    finally:
        text_mod.TITLES = saved


def test_sentence_spans_of_every_code_point() -> None:
    """Each code point as a token before a stop (an initial?), as the first character
    after one (upper case? a digit?) and right after one (whitespace?)."""
    for lo in range(0, sys.maxunicode + 1, 4096):
        chars = [chr(c) for c in range(lo, min(lo + 4096, sys.maxunicode + 1))]
        t = "".join(f"{c}. {c}x.{c} " for c in chars)
        assert_same_spans([t])


def test_sentence_spans_of_real_articles(real_texts: list[str]) -> None:
    assert_same_spans(real_texts)


# ---- lexicon terms (TermTable, for framelens.lexicon.LexiconMatcher) ------------------

def test_term_table_hand_worked() -> None:
    from framelens.textscan import TermTable

    heads = [("war", 0, [("war crimes trial", 2), ("war crimes", 1)]), ("so", -1, [("so-called", 3)]),
             ("u", -1, [("u.s. officials", 4)]), ("regime", 5, [])]
    table = TermTable(heads, [5])
    text = "War  crimes\ttrial, war crimes, so-called war\u2011torn; so  U.S. officials regime\nwar"
    assert table.find(text, True, None, None, False) == [
        (0, 17, 2), (19, 29, 1), (31, 40, 3), (41, 44, 0), (55, 69, 4), (70, 76, 5), (77, 80, 0)]
    # a veto, asked only for the rows listed (5), drops that candidate
    asked: list[tuple[int, int]] = []
    assert table.find(text, True, None, lambda s, r: asked.append((s, r)) or True, False)[-2:] == [
        (55, 69, 4), (77, 80, 0)]
    assert asked == [(70, 5)]  # "so" (no one-word term, its phrase absent) gives no candidate
    # extra candidates take part: leftmost, then longest, then the earlier row
    assert table.find("war crimes", True, [(4, 10, 9), (0, 3, 7), (0, 10, 0)], None, False) == [(0, 10, 0)]
    assert table.find("war crimes", True, [(0, 3, 7), (4, 10, 9)], None, False) == [(0, 10, 1)]
    rows = table.find(text, True, None, None, True)
    assert np.frombuffer(rows, dtype=np.int64).tolist() == [2, 1, 3, 0, 4, 5, 0]
    # the two lowercase exceptions are left to the caller when folding
    assert table.find("İ war", True, None, None, False) is None
    assert table.find("ΣΑΣ war", True, None, None, False) is None
    assert table.find("i\u0307 war", False, None, None, False) == [(3, 6, 0)]
    assert table.find("WAR", False, None, None, False) == []  # fold=False: the text is folded already


def test_term_table_bad_input() -> None:
    from framelens.textscan import TermTable

    with pytest.raises(ValueError, match="head 'a b' holds a character that is not a word character"):
        TermTable([("a b", 0, [])], [])
    with pytest.raises(ValueError, match="phrase 'b c' does not start with its head 'a'"):
        TermTable([("a", -1, [("b c", 1)])], [])
    with pytest.raises(ValueError, match="head 'a' is given twice"):
        TermTable([("a", 0, []), ("a", 1, [])], [])
    with pytest.raises(ValueError, match="vetoed row -1 is negative"):
        TermTable([("a", 0, [])], [-1])
    table = TermTable([("a", 0, [])], [])
    with pytest.raises(TypeError, match="find expects a str, got bytes"):
        table.find(b"a", True, None, None, False)
    with pytest.raises(TypeError, match="find expects 5 arguments"):
        table.find("a", True)
    with pytest.raises(TypeError, match=r"extra must be a list of \(start, end, row\) tuples"):
        table.find("a", True, [(1, 2)], None, False)
