"""The lexicon matcher's two engines give the same hits.

``framelens.text.WORD_ENGINE == "c"``: the literal terms are found, and the hits chosen,
by ``framelens.textscan.TermTable``; ``"re"``: by the pyahocorasick automaton over the
spaced copy of the folded text and Python ``re`` alternations (the code the C engine
replaced, kept as the fallback). Both must give the same ``(start, end, row)`` hits,
the same :meth:`LexiconMatcher.hit_rows` and the same :func:`count_hits` table: on
every code point, under hypothesis and on real articles.
"""
from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import framelens.text as text_mod
from framelens import lexicon as lexicon_mod
from framelens.lexicon import LexiconMatcher, compile_lexicon, count_hits, lexicon_for_corpus, load_lexicon

pytestmark = pytest.mark.skipif(lexicon_mod.TermTable is None,
                                reason="the C scanner (framelens.textscan) is not built: "
                                       "`python setup.py build_ext --inplace`")

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"


def _with(engine: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    saved = text_mod.WORD_ENGINE
    text_mod.WORD_ENGINE = engine
    try:
        return fn(*args, **kwargs)
    finally:
        text_mod.WORD_ENGINE = saved


def assert_same(matcher: LexiconMatcher, texts: list[str]) -> int:
    """Both engines give the same hits and hit rows for every text; returns the hits."""
    n = 0
    for t in texts:
        want = _with("re", matcher.find, t)
        assert _with("c", matcher.find, t) == want, t
        n += len(want)
    per_c, rows_c = _with("c", matcher.hit_rows, texts)
    per_re, rows_re = _with("re", matcher.hit_rows, texts)
    assert per_c.tolist() == per_re.tolist() and rows_c.tolist() == rows_re.tolist()
    assert int(per_c.sum()) == n == len(rows_c)
    return n


def _lexicon(rows: list[tuple[str, str, str]], not_after: list[str] | None = None) -> pd.DataFrame:
    table = {"term": [r[0] for r in rows], "is_regex": [r[1] for r in rows],
             "register": [r[2] for r in rows], "target_type": "x", "note": "", "source": "test"}
    if not_after is not None:
        table["not_after"] = not_after
    return load_lexicon(pd.DataFrame(table))


# Phrases sharing first words (longest first, then by row), a hyphen and an apostrophe
# inside terms, a term opening with a non-word character, regular expressions, and a
# not_after list: every path of LexiconMatcher.find.
MIXED = [("war", "false", "neutral"), ("war criminal", "false", "delegitimising"),
         ("war crimes trial", "false", "negative"), ("war crimes", "false", "negative"),
         ("regime", "false", "delegitimising"), ("kremlin regime", "false", "delegitimising"),
         ("so-called", "false", "delegitimising"), ("so", "false", "intensifying"),
         ("don't care", "false", "negative"), ("u.s. officials", "false", "neutral"),
         ("#metoo", "false", "neutral"), ("liberat(?:e|ed|ion)", "true", "legitimising"),
         ("(?:un)?justified", "true", "delegitimising"), ("may", "false", "hedging"),
         ("é", "false", "neutral"), ("straße", "false", "neutral"), ("ıi", "false", "neutral"),
         ("σας", "false", "neutral"), ("war-torn", "false", "negative"), ("_x", "false", "neutral")]
MIXED_NOT_AFTER = ["", "", "", "", "sanctions;visa-free", "", "", "", "", "", "", "", "", "", "",
                   "", "", "", "", ""]
PIECES = ["war", "War", "WAR", "criminal", "crimes", "trial", "regime", "Kremlin", "sanctions",
          "visa", "free", "liberated", "liberation", "so", "called", "don", "t", "care", "u", "s",
          "officials", "#metoo", "#", "metoo", "unjustified", "justified", "may", "é", "É",
          "STRASSE", "straße", "STRAẞE", "İ", "ı", "I", "i", "Σ", "σ", "ς", "ΣΑΣ", "torn", "_", "x",
          " ", "  ", "\t", "\u00a0", "\n", ",", ".", "-", "'", "\u2019", "\u2010", "\u2013", "\u0301",
          "1", "٣", "\U0001d400", "\u212a", "\ufb01"]


@pytest.fixture(scope="module")
def mixed() -> LexiconMatcher:
    return LexiconMatcher(_lexicon(MIXED, MIXED_NOT_AFTER))


@pytest.fixture(scope="module")
def shipped() -> LexiconMatcher:
    return compile_lexicon(load_lexicon())


@pytest.fixture(scope="module")
def seeded() -> LexiconMatcher:
    """The shipped lexicons with the seed corpus's own terms (regular expressions among them)."""
    return compile_lexicon(lexicon_for_corpus(ROOT / "seeds")[0])


def test_hand_worked_hits_of_both_engines(mixed: LexiconMatcher) -> None:
    text = ("The Kremlin \t regime's war crimes trial; so-called WAR criminals, war\u2011torn "
            "so, the sanctions regime. Don\u2019t  care! U.S.  officials #MeToo, liberated.")
    got = [(text[s:e], MIXED[r][0]) for s, e, r in _with("c", mixed.find, text)]
    assert got == [("Kremlin \t regime", "kremlin regime"), ("war crimes trial", "war crimes trial"),
                   ("so-called", "so-called"), ("WAR", "war"), ("war", "war"), ("so", "so"),
                   ("Don\u2019t  care", "don't care"), ("U.S.  officials", "u.s. officials"),
                   ("#MeToo", "#metoo"), ("liberated", "liberat(?:e|ed|ion)")]
    # "criminals" is not "criminal"; "war\u2011torn" is no "war-torn" (another hyphen), so
    # "war" alone; "sanctions regime" is dropped by regime's not_after
    assert _with("re", mixed.find, text) == _with("c", mixed.find, text)


def test_lowercase_exceptions_are_folded_as_python_folds_them(mixed: LexiconMatcher) -> None:
    # U+0130 lowercases to two characters: the text is then lowercased character by
    # character (U+0130 kept, Σ -> σ); U+03A3 alone: final sigma by context (ΣΑΣ -> σας)
    for text, want in [("ΣΑΣ war", [(0, 3), (4, 7)]), ("İ ΣΑΣ war", [(6, 9)]),
                       ("ıI war", [(0, 2), (3, 6)]), ("Iı war", [(3, 6)])]:
        assert [(s, e) for s, e, _ in _with("c", mixed.find, text)] == want, text
        assert _with("re", mixed.find, text) == _with("c", mixed.find, text)


def test_a_lone_surrogate_is_no_word_character() -> None:
    # the "re" engine cannot encode a lone surrogate to UTF-8 (UnicodeEncodeError, as RE2
    # for regular-expression terms in both engines); the C engine reads it as a non-word
    # character
    literal = LexiconMatcher(_lexicon([r for r in MIXED if r[1] == "false"],
                                      [a for a, r in zip(MIXED_NOT_AFTER, MIXED) if r[1] == "false"]))
    assert _with("c", literal.find, "war\ud800regime") == [(0, 3, 0), (4, 10, 4)]


def test_every_code_point_is_folded_and_classed_alike() -> None:
    """Each code point between two letters: a word character there makes one word (a term,
    when its lowercase is a word character), another one splits the two (both terms).
    Blocks of unassigned and private-use code points (no word characters, no case) are
    checked against those hits worked out by hand, the rest against the "re" engine.
    Lone surrogates are left out (the "re" engine cannot encode them)."""
    hits = terms_seen = blocks_by_hand = 0
    for lo in range(0, sys.maxunicode + 1, 4096):
        chars = [chr(c) for c in range(lo, min(lo + 4096, sys.maxunicode + 1)) if not 0xD800 <= c < 0xE000]
        if not chars:
            continue
        terms = sorted({lexicon_mod.term_key(f"q{c}z") for c in chars
                        if all(ch.isalnum() or ch == "_" for ch in f"q{c}z".lower())})
        matcher = LexiconMatcher(pd.DataFrame({"term": ["q", "z", *terms], "is_regex": False}))
        texts = ["".join(f"q{c}z Q{c}Z " for c in chars[k:k + 256]) for k in range(0, len(chars), 256)]
        if all(unicodedata.category(c) in ("Cn", "Co") for c in chars):
            assert not terms
            want = [(8 * k + a, 8 * k + a + 1, a // 2 % 2) for k in range(256) for a in (0, 2, 4, 6)]
            for t in texts:
                assert _with("c", matcher.find, t) == want[:len(t) // 2]
            blocks_by_hand += 1
            continue
        hits += assert_same(matcher, texts)
        terms_seen += len(terms)
    assert terms_seen > 100_000 and hits > 0x40000 and blocks_by_hand > 150


def test_what_may_stand_between_the_words_of_a_phrase(mixed: LexiconMatcher) -> None:
    """Spaces (a tab and U+00A0 fold to one), the hyphen and the apostrophe (U+2019 folds
    to one) are matched as a phrase has them; every other Latin-1 or white-space
    character, or a line break, is not."""
    chars = [chr(c) for c in range(256)] + [chr(c) for c in range(256, sys.maxunicode + 1)
                                            if chr(c).isspace()] + ["\u2019", "\u2018", "\u2010", "\u2011"]
    texts = [f"war{c}crimes war {c}crimes so{c}called don{c}t care" for c in chars]
    assert assert_same(mixed, texts) > 2 * len(chars)
    phrase = {c for c in chars if [(s, e) for s, e, _ in _with("c", mixed.find, f"war{c}crimes")] == [(0, 10)]}
    assert phrase == {" ", "\t", "\u00a0"}
    assert {c for c in chars if len(_with("c", mixed.find, f"don{c}t care")) == 1} == {"'", "\u2019"}


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=24).map("".join))
def test_texts_of_term_pieces(mixed: LexiconMatcher, text: str) -> None:
    assert_same(mixed, [text])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=80)
       | st.text(alphabet=st.sampled_from("wardictoreg isbrutal'’-\t\u00a0\n.,İΣ"), max_size=80))
def test_any_text_with_the_shipped_and_seed_lexicons(shipped: LexiconMatcher, seeded: LexiconMatcher,
                                                      text: str) -> None:
    assert_same(shipped, [text])
    assert_same(seeded, [text])


@pytest.fixture(scope="module")
def real_corpora() -> dict[str, pd.DataFrame]:
    """600 Article-Bias-Prediction articles raw and cleaned, NewsWCL50's 50, the seeds."""
    from framelens.corpus import clean, load_corpus
    from framelens.distributed import iter_jsonl

    abp = CORPORA / "article-bias-prediction" / "articles.jsonl.xz"
    wcl = CORPORA / "newswcl50" / "articles"
    if not abp.is_file() or not wcl.is_dir():
        pytest.skip("../shared/corpora (article-bias-prediction, newswcl50) is absent")
    chunk = next(iter_jsonl(abp, chunk_size=600))
    files = sorted(wcl.rglob("*.txt"))
    news = pd.DataFrame({"doc_id": [p.stem for p in files], "outlet": [p.parent.name for p in files],
                         "text": [p.read_text(encoding="utf-8") for p in files]})
    seeds = clean(load_corpus(ROOT / "seeds").articles)[0]
    out = {"abp raw": chunk.assign(text=chunk["text_raw"]),
           "abp cleaned": clean(chunk, text_col="text_raw")[0],
           "newswcl50": news, "seeds": seeds}
    assert [len(out[k]) for k in ("abp raw", "abp cleaned")] == [600, 600] and len(news) >= 50
    return out


@pytest.mark.parametrize("name", ["abp raw", "abp cleaned", "newswcl50", "seeds"])
def test_real_articles(real_corpora: dict[str, pd.DataFrame], shipped: LexiconMatcher,
                       seeded: LexiconMatcher, name: str) -> None:
    corpus = real_corpora[name]
    texts = corpus["text"].tolist()
    hits = assert_same(shipped, texts)
    assert hits > 10 * len(texts)  # about 58 an article in the ABP corpus
    assert assert_same(seeded, texts) >= hits - len(texts)
    for lex in (load_lexicon(), lexicon_for_corpus(ROOT / "seeds")[0]):
        pd.testing.assert_frame_equal(_with("c", count_hits, corpus, lexicon=lex),
                                      _with("re", count_hits, corpus, lexicon=lex))


def test_a_lexicon_passed_again_is_compiled_once() -> None:
    lex = load_lexicon()
    first = compile_lexicon(lex)
    assert compile_lexicon(lex.copy()) is first
    changed = lex.copy()
    changed.loc[0, "not_after"] = "sanctions"
    other = compile_lexicon(changed)
    assert other is not first and set(other.not_after) == set(first.not_after) | {0}


def test_a_matcher_pickles_as_its_spec(seeded: LexiconMatcher, tmp_path: Path) -> None:
    """Unpickled in a fresh process (this one would hand back its cached matcher)."""
    import pickle
    import subprocess

    text = "The brutal regime, a special military operation, liberated towns."
    (tmp_path / "m.pickle").write_bytes(pickle.dumps(seeded))
    code = ("import pickle, sys; m = pickle.load(open(sys.argv[1], 'rb')); "
            f"print(type(m.table).__name__, m.find({text!r}))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "m.pickle")], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == f"TermTable {seeded.find(text)}" and seeded.find(text)


def test_a_matcher_pickled_by_the_module_before_its_split_still_loads(seeded: LexiconMatcher,
                                                                       tmp_path: Path) -> None:
    """Such a pickle names ``framelens.lexicon._matcher_of_spec`` (protocol 2 names a function as
    ``c<module>\\n<name>\\n``); a new one names ``framelens.wording.matcher.matcher_of_spec``."""
    import pickle
    import subprocess

    text = "The brutal regime, a special military operation, liberated towns."
    new = pickle.dumps(seeded, protocol=2)
    assert new.count(b"cframelens.wording.matcher\nmatcher_of_spec\n") == 1
    old = new.replace(b"cframelens.wording.matcher\nmatcher_of_spec\n",
                      b"cframelens.lexicon\n_matcher_of_spec\n")
    (tmp_path / "old.pickle").write_bytes(old)
    code = ("import pickle, sys; m = pickle.load(open(sys.argv[1], 'rb')); "
            f"print(type(m).__module__, m.find({text!r}))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "old.pickle")], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == f"framelens.wording.matcher {seeded.find(text)}" and seeded.find(text)
