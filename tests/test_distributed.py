"""Tests for framelens.distributed: chunked per-article stages equal the whole-corpus path."""
from __future__ import annotations

import json
import lzma
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer

from framelens.actors import find_mentions
from framelens.corpus import CorpusError, clean
from framelens.distributed import (
    Analysis,
    HashedCounts,
    analyse,
    bag_from_jsonl,
    hashed_tfidf,
    iter_jsonl,
    load_jsonl,
    merge_vocab_counts,
)
from framelens.keyness import term_counts
from framelens.lexicon import lexicon_hits, register_rates

ROOT = Path(__file__).resolve().parents[1]
ABP = ROOT.parent / "shared" / "corpora" / "article-bias-prediction" / "articles.jsonl.xz"
ACTORS = ROOT / "seeds" / "actors.csv"
N_REAL = 1000

TEXTS = [
    "Russian dictator Putin may escalate. Share",
    "Ukrainian President Volodymyr Zelensky asked NATO for an invitation.\nSource: Daily A",
    "NATO allies could answer Kyiv. The Kremlin warned the Alliance.",
    "Rain is expected in Kyiv, according to forecasters.",
    "Updated 4:10 p.m. ET, 2/10/2014\nPutin met Trump. Zelenskyy was not invited.",
]


@pytest.fixture
def small() -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(5)],
                         "outlet": ["A", "B", "A", "C", "B"],
                         "lean": ["left", "right", "left", "center", "right"],
                         "text_raw": pd.array(TEXTS, dtype="str")})


def single_machine(df: pd.DataFrame) -> dict:
    """The public functions on the whole corpus at once: what analyse() must equal."""
    cleaned, audit = clean(df)
    mentions = find_mentions(cleaned, ACTORS)
    hits = lexicon_hits(cleaned, mentions=mentions)
    return {"corpus": cleaned, "audit": audit, "mentions": mentions, "hits": hits,
            "rates": register_rates(hits, cleaned),
            "term_counts": term_counts(cleaned, label_col="lean")}


def assert_same(res: Analysis, want: dict, names: tuple[str, ...] = (
        "corpus", "audit", "mentions", "hits", "rates", "term_counts")) -> None:
    for name in names:
        pd.testing.assert_frame_equal(getattr(res, name), want[name], obj=name)
    assert res.mentions.attrs == {} and res.rates.attrs == {}  # nothing rides on attrs


@pytest.mark.parametrize("chunk_size", [1, 2, 5])
def test_serial_chunks_equal_the_whole_corpus(small: pd.DataFrame, chunk_size: int) -> None:
    res = analyse(small, chunk_size=chunk_size, actors=ACTORS)
    want = single_machine(small)
    assert_same(res, want)
    assert len(res.hits) > 0 and len(res.mentions) > 0 and len(res.audit) == 3
    ref = TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words="english")
    m = ref.fit_transform(want["corpus"]["text"])
    assert res.tfidf.terms.tolist() == ref.get_feature_names_out().tolist()
    np.testing.assert_allclose(res.tfidf.matrix.toarray(), m.toarray(), atol=1e-12)
    assert res.tfidf.labels.tolist() == small["outlet"].tolist()
    np.testing.assert_allclose(res.tfidf.vectorizer.idf_, ref.idf_)


def test_rates_without_the_hits_table_are_the_same(small: pd.DataFrame) -> None:
    res = analyse(small, chunk_size=2, steps=["clean", "lexicon"], keep_hits=False)
    assert res.hits is None
    pd.testing.assert_frame_equal(res.rates, single_machine(small)["rates"])
    assert res.rates["hits"].sum() > 0


def test_process_pool_equals_serial(small: pd.DataFrame) -> None:
    serial = analyse(small, chunk_size=2, actors=ACTORS)
    pooled = analyse(small, chunk_size=2, actors=ACTORS, engine="processes", n_jobs=2)
    assert_same(pooled, {k: getattr(serial, k) for k in
                         ("corpus", "audit", "mentions", "hits", "rates", "term_counts")})
    assert (pooled.hashed.counts != serial.hashed.counts).nnz == 0


def test_merge_vocab_counts_equals_tfidf_vectorizer() -> None:
    from sklearn.feature_extraction.text import CountVectorizer

    texts = ["kyiv nato kyiv", "nato summit", "summit rain", "rain kyiv nato nato"]
    parts = []
    for chunk in (texts[:1], texts[1:3], texts[3:]):
        cv = CountVectorizer().fit(chunk)
        parts.append((cv.get_feature_names_out(), cv.transform(chunk)))
    got = merge_vocab_counts(parts, min_df=2, stop_words=None)
    ref = TfidfVectorizer(sublinear_tf=True, min_df=2)
    want = ref.fit_transform(texts)
    assert got.terms.tolist() == ["kyiv", "nato", "rain", "summit"]
    np.testing.assert_allclose(got.matrix.toarray(), want.toarray(), atol=1e-12)
    # the returned vectorizer transforms new text the same way the reference does
    np.testing.assert_allclose(got.vectorizer.transform(["kyiv rain"]).toarray(),
                               ref.transform(["kyiv rain"]).toarray())


def test_hashed_tfidf_equals_the_transformer_on_all_counts() -> None:
    texts = ["kyiv nato kyiv", "nato summit", "summit rain", "rain kyiv nato nato"]
    counts = sp.csr_matrix(HashingVectorizer(alternate_sign=False, norm=None,
                                             n_features=2 ** 10).transform(texts))
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    got = hashed_tfidf(HashedCounts(counts, df), min_df=1)
    want = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    np.testing.assert_allclose(got.toarray(), want.toarray(), atol=1e-12)
    # min_df zeroes the features found in fewer documents
    only_common = hashed_tfidf(HashedCounts(counts, df), min_df=3)
    assert set(only_common.indices) == set(np.flatnonzero(df >= 3))


def test_load_jsonl_maps_fields_and_limits_rows(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl.xz"
    rows = [{"id": "x1", "source": "Daily A", "date": "2018-04-17", "lean": "left",
             "topic": "nato", "title": "T", "text": "Kyiv asked NATO."},
            {"id": "x2", "source": "Daily B", "date": "", "text": "Second."},
            {"id": "x3", "source": "Daily C", "text": "Third."}]
    with lzma.open(f, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(json.dumps(r) for r in rows) + "\n\n")
    df = load_jsonl(f)
    assert df.columns.tolist() == ["doc_id", "outlet", "date", "lean", "topic", "title",
                                   "text_raw"]
    assert df.loc[1].to_dict() == {"doc_id": "x2", "outlet": "Daily B", "date": "unknown",
                                   "lean": "unknown", "topic": "unknown", "title": "unknown",
                                   "text_raw": "Second."}
    assert load_jsonl(f, n=2)["doc_id"].tolist() == ["x1", "x2"]


@pytest.mark.parametrize("lines, message", [
    (['{"id": "a", "source": "S", "text": "t"}', "{oops"], "line 2: not valid JSON"),
    (['{"id": "a", "source": "S"}'], "line 1: field 'text' is missing or not text"),
    (['{"id": "a", "source": "S", "text": "t"}', '{"id": "a", "source": "S", "text": "u"}'],
     "line 2: id 'a' repeats line 1"),
    (['["a list"]'], "line 1: expected a JSON object, got list"),
])
def test_load_jsonl_errors_name_the_line(tmp_path: Path, lines: list[str], message: str) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        load_jsonl(f)
    assert message in str(err.value) and str(f) in str(err.value)


def test_bad_settings_are_named(small: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"engine='spark' is not supported; choose one of "
                                         r"\['serial', 'processes', 'dask'\]"):
        analyse(small, engine="spark")
    with pytest.raises(ValueError, match=r"unknown step\(s\) \['lemmas'\]"):
        analyse(small, steps=["clean", "lemmas"])
    with pytest.raises(ValueError, match="step 'actors' needs an alias table"):
        analyse(small, steps=["actors"])
    with pytest.raises(ValueError, match="chunk_size=0 must be a positive integer"):
        analyse(small, chunk_size=0)


# --------------------------------------------------------------------------- Dask
@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    distributed = pytest.importorskip("dask.distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=50)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def real() -> pd.DataFrame:
    if not ABP.is_file():
        pytest.skip("../shared/corpora/article-bias-prediction is absent (real corpora live "
                    "beside the project only in the workplace)")
    return load_jsonl(ABP, n=N_REAL)


TEXT_COLUMNS = {"text", "text_raw"}


def _texts_in(obj: Any, where: str = "result") -> list[str]:
    """Where in what the client received a text column (or a Series of texts) sits."""
    if isinstance(obj, pd.DataFrame):
        return [f"{where} column {c!r}" for c in obj.columns if c in TEXT_COLUMNS]
    if isinstance(obj, pd.Series):
        return [where] if obj.name in TEXT_COLUMNS else []
    if isinstance(obj, dict):
        return [w for k, v in obj.items() for w in
                ([f"{where}[{k!r}]"] if k in TEXT_COLUMNS else []) + _texts_in(v, f"{where}[{k!r}]")]
    if isinstance(obj, (list, tuple)):
        return [w for i, v in enumerate(obj) for w in _texts_in(v, f"{where}[{i}]")]
    return []


@pytest.fixture
def received(client: Any, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Everything the client gets back from the workers through client.compute."""
    got: list[Any] = []
    compute = client.compute

    def spy(*args: Any, **kwargs: Any) -> Any:
        out = compute(*args, **kwargs)
        got.append(out)
        return out

    monkeypatch.setattr(client, "compute", spy)
    return got


def test_the_text_spy_finds_texts() -> None:
    assert _texts_in([{"text": pd.Series(["a"]), "frame": pd.DataFrame({"text_raw": ["a"]})}]) \
        == ["result[0]['text']", "result[0]['frame'] column 'text_raw'"]
    assert _texts_in([{"mentions": pd.DataFrame({"doc_id": ["a"]})}]) == []


@pytest.mark.filterwarnings("ignore:Sending large graph")
def test_dask_cluster_equals_single_machine_on_real_articles(client: Any, real: pd.DataFrame,
                                                             received: list[Any]) -> None:
    res = analyse(real, engine="dask", client=client, chunk_size=250, actors=ACTORS)
    assert len(received) == 1 and len(received[0]) == 4  # one result per partition
    assert _texts_in(received) == []  # only tables crossed the network
    want = single_machine(real)
    assert "text" not in res.corpus.columns  # the cleaned texts stayed on the workers
    pd.testing.assert_frame_equal(res.corpus, real)
    assert_same(res, want, ("audit", "mentions", "hits", "rates", "term_counts"))
    assert len(res.hits) > 1000 and len(res.mentions) > 1000
    texts = want["corpus"]["text"].tolist()
    ref = TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words="english")
    m = ref.fit_transform(texts)
    assert res.tfidf.terms.tolist() == ref.get_feature_names_out().tolist()
    assert abs(res.tfidf.matrix - m).max() < 1e-12
    hv = HashingVectorizer(stop_words="english", alternate_sign=False, norm=None,
                           n_features=2 ** 20)
    counts = sp.csr_matrix(hv.transform(texts))
    assert (res.hashed.counts != counts).nnz == 0
    np.testing.assert_array_equal(res.hashed.df, np.bincount(counts.indices,
                                                              minlength=2 ** 20))
    assert res.cpu_seconds["clean"] > 0


def test_dask_bag_read_on_the_workers(client: Any, real: pd.DataFrame, tmp_path: Path,
                                      received: list[Any]) -> None:
    part = real.iloc[:200]
    f = tmp_path / "part.jsonl"
    names = {"doc_id": "id", "outlet": "source", "text_raw": "text"}
    with f.open("w", encoding="utf-8") as fh:
        for row in part.to_dict("records"):
            fh.write(json.dumps({names.get(k, k): v for k, v in row.items()}) + "\n")
    bag = bag_from_jsonl(f, blocksize=150_000)
    assert bag.npartitions > 1
    res = analyse(bag, engine="dask", client=client, actors=ACTORS,
                  steps=["clean", "actors", "lexicon", "term_counts"])
    want = single_machine(part.reset_index(drop=True))
    for name in ("audit", "mentions", "hits", "rates", "term_counts"):
        pd.testing.assert_frame_equal(getattr(res, name), want[name], obj=name)
    assert len(received) == 1 and len(received[0]) == bag.npartitions
    assert _texts_in(received) == []  # the workers read the texts and kept them
    assert not TEXT_COLUMNS & set(res.corpus.columns)
    meta = part.drop(columns="text_raw").reset_index(drop=True)
    pd.testing.assert_frame_equal(res.corpus[meta.columns], meta.astype("str"))


# --------------------------------------------------------------------------- shared words
def _vocab_reference(texts: list[str], opts: dict[str, Any]) -> tuple[list[str], np.ndarray]:
    from framelens.distributed import _count_vectorizer

    vec = _count_vectorizer(opts)
    try:
        counts = vec.fit_transform(texts)
    except ValueError:  # no term at all
        return [], np.zeros((len(texts), 0), dtype=np.int64)
    return vec.get_feature_names_out().tolist(), counts.toarray()


def _vocab_shared(texts: list[str], opts: dict[str, Any]) -> tuple[list[str], np.ndarray]:
    from framelens.distributed import _vocab_from_words
    from framelens.text import word_matrix

    types, words = word_matrix(texts)
    terms, counts, source = _vocab_from_words(types, words, texts, opts)
    found = source >= 0  # the terms that are word types name their type
    assert (types[source[found]] == terms[found]).all()
    assert counts.has_sorted_indices and (counts.data > 0).all() and counts.dtype == np.int64
    return terms.tolist(), counts.toarray()


_PIECES = list("aAbB zZ1_.-'’‐‑\u0130\u03a3\u03c3\u00df\u0301\u00bd\u01c5\n") + [
    "the ", " and", "U.S.", "e.g.", "Kyiv", "NATO-led", "Ukraine's", "ΟΔΟΣ", "İstanbul"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=25).map("".join),
                min_size=1, max_size=6),
       st.sampled_from(["english", None]))
def test_vocab_from_shared_words_equals_count_vectorizer(texts: list[str],
                                                         stop_words: str | None) -> None:
    """The vocabulary counted from word_matrix equals CountVectorizer on the texts: dotted
    initialisms, apostrophes, unicode hyphens, U+0130/U+03A3 (the analyser's path),
    combining marks, stop words."""
    from framelens.distributed import _TERM_SETTINGS

    opts = {**_TERM_SETTINGS, "stop_words": stop_words}
    got_terms, got = _vocab_shared(texts, opts)
    want_terms, want = _vocab_reference(texts, opts)
    assert got_terms == want_terms
    np.testing.assert_array_equal(got, want)


def test_vocab_from_shared_words_on_real_articles(real: pd.DataFrame) -> None:
    from framelens.distributed import _TERM_SETTINGS

    texts = clean(real.head(400), text_col="text_raw")[0]["text"].tolist()
    texts.append("İstanbul’s U.S.-backed ΟΔΟΣ talks, e.g. NATO-NATO")  # the analyser's path
    got_terms, got = _vocab_shared(texts, _TERM_SETTINGS)
    want_terms, want = _vocab_reference(texts, _TERM_SETTINGS)
    assert got_terms == want_terms and len(got_terms) > 5000
    np.testing.assert_array_equal(got, want)


def test_vocab_with_other_settings_uses_count_vectorizer(small: pd.DataFrame) -> None:
    """Bigrams cannot be read off single words: analyse counts them with CountVectorizer."""
    res = analyse(small, steps=["clean", "vocab"], chunk_size=2,
                  term_settings={"ngram_range": (1, 2), "min_df": 1})
    texts = clean(small)[0]["text"].tolist()
    ref = TfidfVectorizer(sublinear_tf=True, stop_words="english", ngram_range=(1, 2))
    m = ref.fit_transform(texts)
    assert res.tfidf.terms.tolist() == ref.get_feature_names_out().tolist()
    assert any(" " in t for t in res.tfidf.terms)  # bigrams are there
    np.testing.assert_allclose(res.tfidf.matrix.toarray(), m.toarray(), atol=1e-12)


def test_analyse_chunk_reads_the_pipeline_settings() -> None:
    """The per-chunk path cleans with Settings.rules and rates per Settings.rate_per."""
    from framelens.distributed import analyse_chunk
    from framelens.pipeline import Settings

    df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"], "lean": ["left"],
                       "text_raw": ["The dictator may go. Share"]})
    default = analyse_chunk(df, steps=["clean", "lexicon"])
    assert default["text"].tolist() == ["The dictator may go."]
    kept = analyse_chunk(df, steps=["clean", "lexicon"], settings=Settings(rules=("date-header",), rate_per=100))
    assert kept["text"].tolist() == ["The dictator may go. Share"] and kept["audit"].empty
    rates = kept["rates"].set_index("register")
    # 1 delegitimising hit in 5 words: 20 per 100 words
    assert rates.loc["delegitimising", "words"] == 5 and rates.loc["delegitimising", "rate"] == 20.0


def test_rates_from_counted_hits_equal_the_hits_table_on_real_articles(real: pd.DataFrame) -> None:
    """keep_hits=False counts hits with lexicon.count_hits (no keyword-in-context table);
    the counts and rates equal those of the full table on 1,000 real articles."""
    from framelens.distributed import analyse_chunk

    full = analyse_chunk(real, steps=["clean", "lexicon"], keep_hits=True)
    counted = analyse_chunk(real, steps=["clean", "lexicon"], keep_hits=False)
    assert "hits" not in counted
    by_pair = full["hits"].groupby(["outlet", "register"]).size()
    assert by_pair.sum() == counted["rates"]["hits"].sum() > 1000
    pd.testing.assert_frame_equal(counted["rates"], full["rates"])
    got = counted["rates"].set_index(["outlet", "register"])["hits"]
    assert (got[by_pair.index] == by_pair).all() and (got.drop(by_pair.index) == 0).all()


# --------------------------------------------------------------------------- memory
def _write_jsonl(frame: pd.DataFrame, path: Path) -> Path:
    names = {"doc_id": "id", "outlet": "source", "text_raw": "text"}
    with lzma.open(path, "wt", encoding="utf-8") as fh:
        for row in frame.to_dict("records"):
            fh.write(json.dumps({names.get(k, k): v for k, v in row.items()}) + "\n")
    return path


@pytest.mark.parametrize("engine", ["serial", "processes"])
def test_a_file_read_chunk_by_chunk_equals_the_loaded_corpus(real: pd.DataFrame, tmp_path: Path,
                                                             engine: str) -> None:
    """analyse(path) reads the file chunk by chunk and gives the tables of the loaded
    corpus, with its rows' metadata (no text) as the corpus."""
    f = _write_jsonl(real.iloc[:300], tmp_path / "part.jsonl.xz")
    loaded = load_jsonl(f)
    steps = ["clean", "actors", "lexicon", "term_counts", "vocab"]
    want = analyse(loaded, steps=steps, chunk_size=70, actors=ACTORS)
    got = analyse(f, steps=steps, chunk_size=70, actors=ACTORS, engine=engine, n_jobs=2,
                  keep_text=False)
    pd.testing.assert_frame_equal(got.corpus, loaded.drop(columns="text_raw"))
    assert_same(got, {k: getattr(want, k) for k in ("audit", "mentions", "hits", "rates",
                                                    "term_counts")},
                ("audit", "mentions", "hits", "rates", "term_counts"))
    assert len(got.mentions) > 300 and len(got.hits) > 300
    assert got.tfidf.terms.tolist() == want.tfidf.terms.tolist()
    assert abs(got.tfidf.matrix - want.tfidf.matrix).max() == 0
    kept = analyse(f, steps=["clean", "lexicon"], chunk_size=70, engine=engine)
    pd.testing.assert_series_equal(kept.corpus["text"], want.corpus["text"])
    first = analyse(iter_jsonl(f, n=120, chunk_size=50), steps=["clean", "lexicon"],
                    engine=engine, keep_text=False)
    pd.testing.assert_frame_equal(first.corpus, loaded.iloc[:120].drop(columns="text_raw"))
    pd.testing.assert_frame_equal(
        first.rates, analyse(loaded.iloc[:120], steps=["clean", "lexicon"]).rates)


def test_without_texts_the_tables_are_the_same(small: pd.DataFrame) -> None:
    full = analyse(small, chunk_size=2, actors=ACTORS)
    lean = analyse(small, chunk_size=2, actors=ACTORS, keep_text=False, engine="processes")
    assert lean.corpus.columns.tolist() == ["doc_id", "outlet", "lean"]
    assert_same(lean, {k: getattr(full, k) for k in ("audit", "mentions", "hits", "rates",
                                                     "term_counts")},
                ("audit", "mentions", "hits", "rates", "term_counts"))
    assert (lean.tfidf.matrix != full.tfidf.matrix).nnz == 0
    with pytest.raises(ValueError, match="keep_text='no' must be True or False"):
        analyse(small, keep_text="no")
    with pytest.raises(TypeError, match=r"pass bag_from_jsonl\('x.jsonl'\)"):
        analyse("x.jsonl", engine="dask")


def test_bounded_map_reads_only_a_few_chunks_ahead() -> None:
    """The process pool is fed as results come back, not with the whole file at once."""
    from concurrent.futures import ThreadPoolExecutor

    from framelens.distributed import _bounded_map

    drawn: list[int] = []

    def parts() -> Iterator[int]:
        for i in range(20):
            drawn.append(i)
            yield i

    with ThreadPoolExecutor(max_workers=2) as pool:
        seen = []
        for out in _bounded_map(pool, lambda x: x * x, parts(), ahead=4):
            seen.append((out, len(drawn)))
    assert [o for o, _ in seen] == [i * i for i in range(20)]  # in order
    assert all(n <= i + 4 for i, (_, n) in enumerate(seen))  # never more than 4 ahead


def test_release_free_memory_hands_pages_back() -> None:
    import platform

    import psutil

    from framelens.distributed import release_free_memory

    if platform.libc_ver()[0] != "glibc":
        assert release_free_memory() is False
        return
    proc = psutil.Process()
    held = [("x" * 6000) + str(i) for i in range(40_000)]  # 240 MB of article-sized strings
    keep = held[::50]  # one in fifty stays: the heap cannot shrink from its top
    del held
    before = proc.memory_info().rss
    assert release_free_memory() is True
    after = proc.memory_info().rss
    assert before - after > 150 * 2 ** 20, (before, after)
    assert len(keep) == 800


@settings(max_examples=500, deadline=None)
@given(st.text(min_size=0, max_size=12))
def test_a_word_of_word_characters_is_its_own_token(word: str) -> None:
    """The shortcut of _vocab_from_words: a string of two or more characters that are
    all str.isalnum is one TOKEN_PATTERN token, itself (re's \\w is isalnum or "_")."""
    import re

    from framelens.features import TOKEN_PATTERN

    if len(word) > 1 and word.isalnum():
        assert re.findall(TOKEN_PATTERN, word) == [word]
    assert all(re.fullmatch(r"\w", c) is not None for c in word if c.isalnum())
