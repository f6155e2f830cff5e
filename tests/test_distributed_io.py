"""The load and combine of framelens.distributed equal the code they replaced.

Issue 16 moved the parsing of JSON lines into the worker processes (the client only
decompresses and cuts the file into chunks of lines), sends the chunk function once
to each worker, combines the chunks' tables as they come and counts the vocabulary
without a Python loop over each chunk's word types. The reference functions below are
the code before that change (main at 52ea005), kept here to prove that the rows, the
rejects and every table are the same, byte for byte.
"""
from __future__ import annotations

import json
import lzma
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer

from framelens.corpus import CorpusError
from framelens.distributed import (
    _TERM_SETTINGS,
    JSONL_COLUMNS,
    Analysis,
    analyse,
    analyse_chunk,
    chunks,
    iter_jsonl,
    load_jsonl,
    merge_vocab_counts,
)
from framelens.features import TOKEN_PATTERN
from framelens.lexicon import REGISTERS, poisson_interval
from framelens.pipeline import Settings

ROOT = Path(__file__).resolve().parents[1]
ABP = ROOT.parent / "shared" / "corpora" / "article-bias-prediction" / "articles.jsonl.xz"
ACTORS = ROOT / "seeds" / "actors.csv"
STEPS = ("clean", "actors", "lexicon", "term_counts", "vocab")
REQUIRED = ("id", "source", "text")


# --------------------------------------------------------------------------- references
def reference_load(path: Path, n: int | None = None) -> pd.DataFrame:
    """load_jsonl before issue 16: a text file read line by line, json.loads each."""
    mapping = dict(JSONL_COLUMNS)
    seen: dict[str, int] = {}
    records = []
    opener = (lambda: lzma.open(path, "rt", encoding="utf-8")) if path.suffix == ".xz" \
        else (lambda: path.open("r", encoding="utf-8"))
    with opener() as fh:
        for lineno, line in enumerate(fh, start=1):
            if n is not None and len(seen) >= n:
                break
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                raise CorpusError(f"{path}, line {lineno}: not valid JSON ({err.msg}); fix or "
                                  "remove the line") from None
            if not isinstance(obj, dict):
                raise CorpusError(f"{path}, line {lineno}: expected a JSON object, got "
                                  f"{type(obj).__name__}")
            for key in REQUIRED:
                if not isinstance(obj.get(key), str):
                    raise CorpusError(f"{path}, line {lineno}: field {key!r} is missing or not "
                                      f"text ({obj.get(key)!r:.40}); every article needs "
                                      f"{list(REQUIRED)}")
            doc_id = obj["id"]
            if doc_id in seen:
                raise CorpusError(f"{path}, line {lineno}: id {doc_id!r} repeats line "
                                  f"{seen[doc_id]}; ids must be unique")
            seen[doc_id] = lineno
            records.append({col: (obj[key] if key in REQUIRED else
                                  (str(obj[key]) if obj.get(key) not in (None, "") else "unknown"))
                            for key, col in mapping.items()})
    data: dict[str, list[str]] = {col: [] for col in mapping.values()}
    for record in records:
        for col, values in data.items():
            values.append(record[col])
    return pd.DataFrame({col: pd.array(vals, dtype="str") for col, vals in data.items()})


def reference_merge(parts: list[tuple[np.ndarray, sp.csr_matrix]], labels: pd.Index,
                    opts: dict[str, Any]) -> tuple[np.ndarray, sp.csr_matrix, np.ndarray]:
    """merge_vocab_counts before issue 16 (one np.unique of every chunk's terms, the
    stacked matrix sorted and sliced): terms, TF-IDF matrix, idf."""
    vocab, where = np.unique(np.concatenate([np.asarray(t, dtype=object) for t, _ in parts]),
                             return_inverse=True)
    ends = np.cumsum([len(t) for t, _ in parts])
    blocks = []
    for (_, counts), cols in zip(parts, np.split(where.ravel(), ends[:-1])):
        counts = sp.csr_matrix(counts)
        blocks.append(sp.csr_matrix((counts.data, cols[counts.indices], counts.indptr),
                                    shape=(counts.shape[0], len(vocab))))
    counts = sp.vstack(blocks, format="csr")
    counts.sort_indices()
    df = np.bincount(counts.indices, minlength=len(vocab))
    keep = np.flatnonzero(df >= opts["min_df"])
    counts = counts[:, keep]
    counts.data = counts.data.astype(np.float64)
    transformer = TfidfTransformer(sublinear_tf=opts["sublinear_tf"],
                                   smooth_idf=opts["smooth_idf"], norm=opts["norm"])
    matrix = transformer.fit(counts).transform(counts, copy=False)
    return vocab[keep], sp.csr_matrix(matrix), transformer.idf_


def _concat(frames: list[pd.DataFrame], sort: list[str]) -> pd.DataFrame:
    out = pd.concat(frames, ignore_index=True)
    out = out.astype({c: frames[0][c].dtype for c in frames[0].columns})
    return out.sort_values(sort, kind="mergesort").reset_index(drop=True)


def reference_combine(corpus: pd.DataFrame, results: list[dict[str, Any]]) -> dict[str, Any]:
    """_combine before issue 16 (label_col "outlet", group_col "lean")."""
    out: dict[str, Any] = {"corpus": corpus}
    out["audit"] = _concat([r["audit"] for r in results], ["doc_id", "start"])
    out["mentions"] = _concat([r["mentions"] for r in results], ["doc_id", "start", "actor"])
    out["hits"] = _concat([r["hits"] for r in results], ["doc_id", "start"]) \
        if all("hits" in r for r in results) else None
    rates = pd.concat([r["rates"] for r in results], ignore_index=True)
    per = Settings().rate_per
    summed = rates.groupby(["outlet", "register"], sort=False)[["hits", "words"]].sum()
    outlets = sorted(map(str, corpus["outlet"].astype(str).unique()))
    index = pd.MultiIndex.from_product([outlets, list(REGISTERS)], names=["outlet", "register"])
    summed = summed.reindex(index, fill_value=0).reset_index()
    w = summed["words"].to_numpy(dtype=float)
    h = summed["hits"].to_numpy(dtype=float)
    summed["rate"] = np.divide(h * per, w, out=np.full_like(h, np.nan), where=w > 0)
    summed = summed.astype({"outlet": "string", "register": "string", "hits": "int64",
                            "words": "int64", "rate": "float64"})
    low, high = poisson_interval(h)
    summed["low"] = np.divide(low * per, w, out=np.full_like(h, np.nan), where=w > 0)
    summed["high"] = np.divide(high * per, w, out=np.full_like(h, np.nan), where=w > 0)
    out["rates"] = summed[["outlet", "register", "hits", "words", "rate", "low", "high"]]
    stacked = pd.concat([r["term_counts"] for r in results], axis=0)
    total = stacked.fillna(0).astype(np.int64).groupby(level=0, sort=True).sum()
    total = total.sort_index(axis=1)
    total.index.name = "term"
    total.columns.name = "lean"
    out["term_counts"] = total
    labels = pd.Index(corpus["outlet"].astype(str).tolist(), name="outlet")
    out["tfidf"] = reference_merge([(r["vocab_terms"], r["vocab_counts"]) for r in results],
                                   labels, _TERM_SETTINGS)
    return out


def assert_identical(got: Analysis, want: dict[str, Any]) -> None:
    """Every table equal (values, dtypes, order) and the TF-IDF matrix byte for byte."""
    for name in ("corpus", "audit", "mentions", "hits", "rates", "term_counts"):
        if want[name] is None:
            assert getattr(got, name) is None, name
            continue
        pd.testing.assert_frame_equal(getattr(got, name), want[name], check_exact=True,
                                      obj=name)
    terms, matrix, idf = want["tfidf"]
    assert got.tfidf.terms.tolist() == terms.tolist()
    for attr in ("data", "indices", "indptr"):
        a, b = getattr(got.tfidf.matrix, attr), getattr(matrix, attr)
        assert a.dtype == b.dtype and np.array_equal(a, b), attr
    assert got.tfidf.matrix.shape == matrix.shape
    np.testing.assert_array_equal(got.tfidf.vectorizer.idf_, idf)
    assert got.tfidf.vectorizer.vocabulary_ == {t: i for i, t in enumerate(terms.tolist())}
    pd.testing.assert_index_equal(got.tfidf.labels, pd.Index(
        want["corpus"]["outlet"].astype(str).tolist(), name="outlet"))


# --------------------------------------------------------------------------- real articles
@pytest.fixture(scope="module")
def abp_2000(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 2,000 ABP articles as their own .jsonl.xz, line for line."""
    if not ABP.is_file():
        pytest.skip("../shared/corpora/article-bias-prediction is absent (real corpora live "
                    "beside the project only in the workplace)")
    out = tmp_path_factory.mktemp("abp") / "first-2000.jsonl.xz"
    with lzma.open(ABP, "rb") as src, lzma.open(out, "wb") as dst:
        for i, line in enumerate(src):
            if i == 2000:
                break
            dst.write(line)
    return out


@pytest.mark.parametrize("keep_hits", [True, False])
def test_real_articles_parsed_in_the_workers_give_the_tables_of_before(abp_2000: Path,
                                                                       keep_hits: bool) -> None:
    """2,000 ABP articles, read as a file with the lines parsed in 2 worker processes,
    give the tables the code before issue 16 gave (its reader, its chunk results
    combined by its reductions): the rows without text, audit, mentions, hits, rates,
    term counts, and the TF-IDF matrix, vocabulary and idf byte for byte."""
    loaded = reference_load(abp_2000)
    assert len(loaded) == 2000
    results = [analyse_chunk(c, steps=STEPS, actors=_actors(), keep_hits=keep_hits)
               for c in chunks(loaded, chunk_size=250)]
    want = reference_combine(loaded.drop(columns="text_raw"), results)
    got = analyse(iter_jsonl(abp_2000, chunk_size=250), steps=STEPS, engine="processes",
                  n_jobs=2, actors=ACTORS, keep_hits=keep_hits, keep_text=False)
    assert_identical(got, want)
    assert len(got.mentions) > 10_000 and got.tfidf.matrix.nnz > 500_000
    assert (got.hits is not None) == keep_hits and len(got.term_counts) > 40_000
    # the path itself (read with analyse's chunk_size) and the serial engine agree
    serial = analyse(abp_2000, steps=STEPS, engine="serial", chunk_size=300, actors=ACTORS,
                     keep_hits=keep_hits, keep_text=False)
    assert_identical(serial, want)


def _actors() -> pd.DataFrame:
    from framelens.actors import load_actors

    return load_actors(ACTORS)


def test_merge_vocab_counts_equals_the_merge_of_before(abp_2000: Path) -> None:
    """merge_vocab_counts (terms numbered as they come, only the distinct ones sorted)
    returns the matrix of the single np.unique of before, byte for byte, also for
    chunks whose terms are not sorted, and min_df drops the same terms."""
    loaded = reference_load(abp_2000, n=600)
    parts = [(r["vocab_terms"], r["vocab_counts"]) for r in
             (analyse_chunk(c, steps=["clean", "vocab"]) for c in chunks(loaded, chunk_size=70))]
    shuffled = []
    rng = np.random.default_rng(0)
    for terms, counts in parts:  # the same counts with the columns in another order
        perm = rng.permutation(len(terms))
        shuffled.append((terms[perm], sp.csr_matrix(counts[:, perm])))
    for min_df in (1, 2, 5):
        opts = {**_TERM_SETTINGS, "min_df": min_df}
        labels = pd.Index([f"doc {i}" for i in range(len(loaded))], name="outlet")
        terms, matrix, idf = reference_merge(parts, labels, opts)
        for given_parts in (parts, shuffled):
            got = merge_vocab_counts(given_parts, min_df=min_df)
            assert got.terms.tolist() == terms.tolist()
            for attr in ("data", "indices", "indptr"):
                assert np.array_equal(getattr(got.matrix, attr), getattr(matrix, attr)), attr
            np.testing.assert_array_equal(got.vectorizer.idf_, idf)
            pd.testing.assert_index_equal(got.labels, labels)


# --------------------------------------------------------------------------- bad input
_IDS = st.sampled_from(["a", "b", "c", "d", "é", "a b"])
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@st.composite
def _line(draw: st.DrawFn) -> str:
    """A line of a JSON-lines file: mostly articles (ids repeat), sometimes a bad one."""
    kind = draw(st.sampled_from(["article"] * 6 + ["blank", "not json", "not object",
                                                   "no text", "not text", "json edge"]))
    if kind == "article":
        obj: dict[str, Any] = {"id": draw(_IDS), "source": draw(_TEXT), "text": draw(_TEXT)}
        for key in draw(st.lists(st.sampled_from(["date", "lean", "topic", "title"]),
                                 unique=True)):
            obj[key] = draw(st.one_of(_TEXT, st.integers(-5, 5), st.none(), st.just(""),
                                      st.floats(allow_nan=False), st.booleans()))
        return json.dumps(obj, ensure_ascii=draw(st.booleans()))
    if kind == "blank":
        return draw(st.sampled_from(["", " ", "\t", "\u3000", "\x1c", " \xa0", "\x0b",
                                     "\x85", "\u2028"]))
    if kind == "not json":
        return draw(st.sampled_from(["{oops", '{"id": "a"', '"abc', "", "{}}", "nul",
                                     '{"id": "a", "source": "s", "text": "t"} x',
                                     " \u3000{}", "\x0c{}"]))
    if kind == "json edge":  # where orjson and json could differ
        return draw(st.sampled_from([
            '{"id": "a", "source": "S", "text": "t", "date": 123456789012345678901234567890}',
            '{"id": "b", "source": "S", "text": "t", "lean": -9223372036854775809}',
            '{"id": "c", "source": "S", "text": "t", "topic": NaN, "title": Infinity}',
            '{"id": "d", "source": "S", "text": "\\ud800 lone", "date": 1e400}',
            '{"id": "a", "source": "S", "text": "t", "date": {"y": [1, 2.5, null]}}',
            '{"id": "e", "source": "S", "text": "t", "id": "f", "date": 2018.1}',
            '\ufeff{"id": "g", "source": "S", "text": "t"}', "[" * 1100 + "]" * 1100]))
    if kind == "not object":
        return draw(st.sampled_from(['["a list"]', "3", '"text"', "null", "true"]))
    if kind == "no text":
        return json.dumps({"id": draw(_IDS), "source": "S"})
    return json.dumps({"id": draw(_IDS), "source": "S", "text": draw(st.integers())})


@st.composite
def _file(draw: st.DrawFn) -> bytes:
    """A file's bytes: lines with \\n, \\r\\n or \\r ends, the last one maybe without."""
    lines = draw(st.lists(_line(), min_size=0, max_size=9))
    ends = draw(st.lists(st.sampled_from(["\n", "\n", "\r\n", "\r"]), min_size=len(lines),
                         max_size=len(lines)))
    text = "".join(line + end for line, end in zip(lines, ends))
    if lines and draw(st.booleans()):
        text = text[:-len(ends[-1])]
    return text.encode("utf-8")


def _outcome(read: Any) -> Any:
    try:
        return read()
    except CorpusError as err:
        return f"CorpusError: {err}"
    except RecursionError:  # json's answer to deep nesting, before and now
        return "RecursionError"


@pytest.mark.parametrize("parser", ["orjson", "json"])
@settings(max_examples=1500, deadline=None)
@given(data=_file(), n=st.sampled_from([None, 1, 2, 5]), chunk_size=st.sampled_from([1, 2, 3, 1000]))
def test_a_file_is_read_and_rejected_as_before(tmp_path_factory: pytest.TempPathFactory,
                                               parser: str, data: bytes, n: int | None,
                                               chunk_size: int) -> None:
    """Any mix of articles, blank lines (unicode spaces too), malformed rows, rows that
    are not objects or lack a text field, repeated ids, JSON where orjson and json
    differ (NaN, integers past 64 bits, lone surrogates, a BOM, deep nesting) and line
    ends (\\n, \\r\\n, \\r, none at the end): load_jsonl and iter_jsonl (any chunk size)
    give the rows of the reader of before, or its error, word for word (the first bad
    line of the file), whether the lines are parsed by orjson or by json."""
    from unittest import mock

    import framelens.distributed as distributed

    if parser == "orjson":
        pytest.importorskip("orjson")
    path = tmp_path_factory.mktemp("bad") / "file.jsonl"
    path.write_bytes(data)
    want = _outcome(lambda: reference_load(path, n=n))
    with mock.patch.object(distributed, "_orjson_loads",
                           None if parser == "json" else distributed._orjson_loads):
        got = _outcome(lambda: load_jsonl(path, n=n))
        chunked = _outcome(lambda: list(iter_jsonl(path, n=n, chunk_size=chunk_size)))
    if isinstance(want, str):
        assert got == want and chunked == want
        return
    pd.testing.assert_frame_equal(got, want)
    assert all(0 < len(c) <= chunk_size for c in chunked)
    if chunked:
        pd.testing.assert_frame_equal(pd.concat(chunked, ignore_index=True), want)
    else:
        assert len(want) == 0


def _write(tmp_path: Path, lines: list[bytes], name: str = "bad.jsonl") -> Path:
    path = tmp_path / name
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _article(i: int | str, text: str = "Kyiv asked NATO.") -> bytes:
    return json.dumps({"id": f"x{i}", "source": "S", "text": text}).encode()


@pytest.mark.parametrize("lines, message", [
    ([_article(i) for i in range(7)] + [_article(2)], "line 8: id 'x2' repeats line 3"),
    ([_article(i) for i in range(5)] + [b"{oops"] + [_article(9)],
     "line 6: not valid JSON (Expecting property name enclosed in double quotes)"),
    ([_article(i) for i in range(5)] + [_article(1), b"{oops"], "line 6: id 'x1' repeats line 2"),
    ([_article(i) for i in range(5)] + [b'{"id": "y", "source": "S"}'],
     "line 6: field 'text' is missing or not text (None)"),
    ([_article(0), b'["a list"]'], "line 2: expected a JSON object, got list"),
])
@pytest.mark.parametrize("engine", ["serial", "processes"])
def test_analyse_rejects_a_file_as_the_reader_does(tmp_path: Path, lines: list[bytes],
                                                   message: str, engine: str) -> None:
    """The first bad line of the file, whichever chunk (and worker) parsed it: a repeated
    id is found across chunks, in file order before a later malformed line."""
    path = _write(tmp_path, lines)
    with pytest.raises(CorpusError) as want:
        reference_load(path)
    assert message in str(want.value)
    for run in (lambda: load_jsonl(path),
                lambda: analyse(path, steps=["clean", "lexicon"], engine=engine, n_jobs=2,
                                chunk_size=2)):
        with pytest.raises(CorpusError) as got:
            run()
        assert str(got.value) == str(want.value)


@pytest.mark.parametrize("engine", ["serial", "processes"])
def test_a_line_not_in_utf8_is_named(tmp_path: Path, engine: str) -> None:
    """Before, a byte that is not UTF-8 raised UnicodeDecodeError wherever the text
    file's 8 KB block was decoded, without a line; now the first such line is named,
    after any bad line before it."""
    latin1 = b'{"id": "x5", "source": "S", "text": "caf\xe9"}'
    lines = [_article(i) for i in range(5)] + [latin1]
    path = _write(tmp_path, lines + [_article(6)])
    with pytest.raises(UnicodeDecodeError):
        reference_load(path)
    expected = f"{path}, line 6: not UTF-8 text (byte 0xe9 at byte 41 of the line); save the " \
               "file as UTF-8"
    assert latin1.index(b"\xe9") + 1 == 41
    for run in (lambda: load_jsonl(path),
                lambda: analyse(path, steps=["clean"], engine=engine, n_jobs=2, chunk_size=2)):
        with pytest.raises(CorpusError) as got:
            run()
        assert str(got.value) == expected
    earlier = _write(tmp_path, [_article(0), _article(0)] + lines, "earlier.jsonl")
    with pytest.raises(CorpusError, match="line 2: id 'x0' repeats line 1"):
        analyse(earlier, steps=["clean"], engine=engine, n_jobs=2, chunk_size=3)
    assert load_jsonl(path, n=5)["doc_id"].tolist() == [f"x{i}" for i in range(5)]


# --------------------------------------------------------------------------- word pieces
_WORD = st.text(alphabet=st.sampled_from(list("ab1_.-'’\u00df\u0301\u00bd\n \u0130")),
                max_size=8)


@settings(max_examples=500, deadline=None)
@given(st.lists(_WORD, max_size=30))
def test_the_tokens_of_words_searched_as_one_text(words: list[str]) -> None:
    """_tokens_of finds each word's TOKEN_PATTERN tokens with one search of the words
    joined by line feeds (words holding a line feed are searched one by one)."""
    from framelens.distributed import _tokens_of

    token = re.compile(TOKEN_PATTERN)
    ids = np.arange(100, 100 + len(words))
    want = [(100 + i, t) for i, w in enumerate(words) for t in token.findall(w)]
    assert _tokens_of(np.array(words, dtype=object), ids, token) == want


def test_packed_results_come_back_whole() -> None:
    """_packed joins a chunk's word types into one string and sends the vocabulary terms
    that are word types as their rows; a word holding a line feed is sent as it is."""
    from framelens.distributed import _Combiner, _packed, _Words

    def result(types: list[str], terms: list[str]) -> dict[str, Any]:
        counts = pd.DataFrame({"left": range(1, len(types) + 1)},
                              index=pd.Index(types, name="term", dtype="str"))
        counts.columns.name = "lean"
        source = np.array([types.index(t) if t in types else -1 for t in terms])
        return {"term_counts": counts, "vocab_terms": np.array(terms, dtype=object),
                "vocab_counts": sp.csr_matrix(np.ones((2, len(terms)), dtype=np.int64)),
                "vocab_types": source}

    plain = result(["b-c", "don't", "kyiv"], ["b", "don", "kyiv"])
    packed = _packed(result(["b-c", "don't", "kyiv"], ["b", "don", "kyiv"]))
    assert isinstance(packed["term_counts"][0], _Words)
    assert packed["vocab_terms"].unpack() == ["b", "don"]  # kyiv is sent as its row
    feed = _packed(result(["a\nb", "kyiv"], ["a", "kyiv"]))
    assert isinstance(feed["term_counts"], pd.DataFrame) and "vocab_types" not in feed
    got = []
    for parts in ([plain, feed], [packed, _packed(result(["a\nb", "kyiv"], ["a", "kyiv"]))]):
        combined = _Combiner(steps=["term_counts", "vocab"], label_col="outlet",
                             group_col="lean", settings={**_TERM_SETTINGS, "min_df": 1})
        for part in parts:
            combined.add(part)
        got.append(combined.result(pd.DataFrame({"outlet": ["A", "B", "A", "B"]})))
    for res in got:
        assert res.term_counts.index.tolist() == ["a\nb", "b-c", "don't", "kyiv"]
        assert res.term_counts["left"].tolist() == [1, 1, 2, 5]
        assert res.tfidf.terms.tolist() == ["a", "b", "don", "kyiv"]
    assert (got[0].tfidf.matrix != got[1].tfidf.matrix).nnz == 0
