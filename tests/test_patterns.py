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
