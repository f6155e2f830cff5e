"""framelens.patterns: users' regular expressions under RE2, with errors that name the source."""
from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelens.patterns import PatternError, compile_pattern, to_re2


def test_catastrophic_pattern_is_linear():
    rx = compile_pattern(r"(a+)+$", where="actors.csv row 2")
    start = time.process_time()
    assert rx.search("a" * 100_000 + "b") is None
    assert time.process_time() - start < 5  # re would not finish; RE2 takes milliseconds


@pytest.mark.parametrize("pattern, what", [
    ("(?=a)b", "look-around"), ("(?<!x)a", "look-around"), (r"(a)\1", "back-reference"),
    ("(?P<n>a)(?P=n)", "back-reference"), ("a*", "empty string"), ("x?", "empty string"),
    (r"\b", "empty string"), ("[", "not a valid"), ("", "empty pattern"),
])
def test_rejected_with_source_and_reason(pattern, what):
    with pytest.raises(PatternError) as err:
        compile_pattern(pattern, where="lexicon-mine.csv row 7")
    assert str(err.value).startswith("lexicon-mine.csv row 7")
    assert what in str(err.value)


def test_lookalikes_are_not_lookarounds():
    # an escaped parenthesis and a bracket holding "(?=" are plain characters
    assert compile_pattern(r"\(?=x", where="w").search("(=x")
    assert compile_pattern(r"[(?=]x", where="w").search("=x")


def test_unicode_classes_as_in_python():
    assert compile_pattern(r"\w+", where="w").findall("café Ёлка x_1") == ["café", "Ёлка", "x_1"]
    with pytest.raises(PatternError, match="inside"):
        compile_pattern(r"[\W\d]", where="w")
    assert compile_pattern(r"\d+", where="w").findall("١٢٣ and 45") == ["١٢٣", "45"]
    assert compile_pattern(r"a\sb", where="w").search("a\u00a0b")  # no-break space is \s


def test_ignorecase():
    assert compile_pattern("kyiv", where="w", ignorecase=True).findall("KYIV Kyiv") == ["KYIV", "Kyiv"]
    assert compile_pattern("kyiv", where="w").findall("KYIV Kyiv kyiv") == ["kyiv"]


_ALPHABET = st.sampled_from(list("ab \n\u00e9\u0416_1"))
_PATTERNS = st.sampled_from([r"\w+", r"a\s+b", r"[\w-]+", r"\d", r"(?:ab|a)+", r"[^\s]+", r"\S+\s",
                             r"[a\u00e9]+", r"\D+"])


@settings(max_examples=200, deadline=None)
@given(pattern=_PATTERNS, text=st.text(_ALPHABET, max_size=40))
def test_same_matches_as_re(pattern, text):
    got = [m.span() for m in compile_pattern(pattern, where="w").finditer(text)]
    assert got == [m.span() for m in re.finditer(pattern, text)]


def test_to_re2_keeps_other_escapes():
    assert to_re2(r"\.\(\]") == r"\.\(\]"
    assert to_re2(r"[]\w]") == r"[]\p{L}\p{N}_]"
    assert to_re2(r"\u00e9\Z") == r"\x{00e9}\z"


# ------------------------------------------------------------- any pattern, any text, bounded
from datetime import timedelta  # noqa: E402

from framelens.patterns import CharOffsets, PatternSet, WordPattern, split_guards  # noqa: E402

_ATOMS = st.sampled_from(["a", "b", "\u00e9", "\u0416", " ", r"\w", r"\W", r"\s", r"\d", ".",
                          "[ab]", "[^a]", r"[\w\u00e9]", r"\.", "x"])
#: Random regular expressions, nested quantifiers included ((a+)+, (a|aa)*: the shapes
#: that make Python's re backtrack for hours).
PATTERNS = st.recursive(_ATOMS, lambda inner: st.one_of(
    st.tuples(inner, inner).map("".join),
    st.tuples(inner, inner).map(lambda t: f"(?:{t[0]}|{t[1]})"),
    inner.map(lambda c: f"(?:{c})+"), inner.map(lambda c: f"({c})*"),
    inner.map(lambda c: f"(?:{c})?"), inner.map(lambda c: f"(?:{c}){{1,3}}"),
), max_leaves=8)
#: Huge inputs: a random unicode piece repeated to about 300,000 characters, then runs
#: that backtracking engines choke on.
HUGE = st.tuples(st.text(min_size=1, max_size=6), st.sampled_from(["a", "ab", "a b", "\u00e9"])).map(
    lambda t: t[0] * (300_000 // len(t[0])) + t[1] * 40_000 + "!")


def _compiled(pattern: str):
    try:
        return compile_pattern(pattern, where="test")
    except PatternError:
        return None  # e.g. a pattern that can match the empty string: rejected, with a message


#: Characters Python's own Unicode database assigns (3.11: Unicode 14). RE2's tables are newer:
#: it counts e.g. U+31350 (CJK Extension H, Unicode 15) as a word character, which Python 3.11
#: does not know, so on unassigned code points the two engines legitimately differ.
ASSIGNED = st.characters(blacklist_categories=("Cn", "Cs"))


@settings(max_examples=300, deadline=timedelta(seconds=30))
@given(PATTERNS, st.text(ASSIGNED, max_size=12))
def test_property_random_patterns_match_as_re(pattern: str, text: str) -> None:
    """Any random pattern RE2 takes finds the matches Python's re finds, plain and as whole
    words, on random unicode that Python's Unicode database assigns (short: re itself must
    finish)."""
    rx = _compiled(pattern)
    if rx is None:
        return
    assert [m.span() for m in rx.finditer(text)] == [m.span() for m in re.finditer(pattern, text)]
    offsets = CharOffsets(text)
    got = [(offsets(a), offsets(b)) for a, b in WordPattern(pattern, where="t").spans(offsets.data)]
    assert got == [m.span() for m in re.finditer(rf"(?<!\w)(?:{pattern})(?!\w)", text)]


@settings(max_examples=30, deadline=timedelta(seconds=60))
@given(PATTERNS, HUGE)
def test_property_random_patterns_on_huge_text_are_bounded(pattern: str, text: str) -> None:
    """Any random pattern against 340,000 characters of random unicode and runs of one
    letter finishes within the deadline, as a plain pattern, as whole words and in a set."""
    rx = _compiled(pattern)
    if rx is None:
        return
    spans = [m.span() for m in rx.finditer(text)]
    assert all(a < b <= c for (a, b), (c, _) in zip(spans, spans[1:] + [(len(text), 0)]))
    offsets = CharOffsets(text)
    wp = WordPattern(pattern, where="t")
    words = list(wp.spans(offsets.data))
    assert all(e > s for s, e in words) and all(e1 <= s2 for (_, e1), (s2, _) in zip(words, words[1:]))
    assert PatternSet([wp.source]).present(offsets.data) == ({0} if words else set())
    assert PatternSet([wp.gate]).present(offsets.data) >= ({0} if words else set())


def test_guards_split_only_plain_text_look_behinds() -> None:
    assert split_guards("(?<!a\\.b )X|Y") == [(("a.b ",), "X"), ((), "Y")]
    assert split_guards("(?<!\\w)X") == [((), "(?<!\\w)X")]  # not plain text: left in place
    with pytest.raises(PatternError, match="look-around"):
        WordPattern("(?<!\\w)X", where="actors.csv row 2")


def test_pattern_set_too_large_reports_every_pattern() -> None:
    many = [f"(?:{i}x)+y[^a]{{50}}z" for i in range(3000)]
    ps = PatternSet(many)
    got = ps.present("nothing")
    assert got == set() or got == set(range(3000))  # compiled, or too large: all searched
    assert PatternSet(["NATO", "Kyiv"]).present("NATO") == {0}
