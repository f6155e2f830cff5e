"""Align sentences across articles: the shared core, each outlet's own material, the facts.

Every sentence (from :func:`framelens.text.sentences`) is compared with every
sentence of every *other* article by two measures:

* **cosine**: cosine similarity of the two sentences' TF-IDF vectors (word
  unigrams from :func:`framelens.text.words`, English stop words dropped,
  sublinear tf, idf over the sentences of the corpus). High when the two
  sentences use the same content words, whatever the order: translations and
  rewrites of one fact land here.
* **containment**: Broder's (1997) containment of word n-grams,
  :math:`C(a, b) = |G_n(a) \\cap G_n(b)| / |G_n(a)|`, the share of sentence
  ``a``'s word n-grams (``n=3`` by default, stop words kept) that occur in ``b``.
  High only when ``a`` was copied from ``b`` with few edits.

For each sentence and each other article the best counterpart (highest cosine)
is kept, and the pair of a sentence at least ``min_words`` words long is
labelled ``shared-verbatim`` (containment at least ``verbatim``), ``paraphrased``
(cosine at least ``paraphrase`` and the two sentences each other's best match,
"mutual") or ``none``. A sentence is ``shared-verbatim`` / ``paraphrased`` if
any of its pairs is, otherwise ``unique`` to its outlet.

The default thresholds were chosen on evidence (see :func:`threshold_curve`
and ``notebooks/04-sources-and-shared-core.ipynb``): on the five seed articles,
pairs of sentences that the fact table (``seeds/facts.csv``) assigns to the same
fact against pairs it assigns to different facts.

Designed for one event's articles (tens to a few hundred documents): the
cosine is computed in row chunks, so memory is ``chunk_size x n_sentences``,
time grows with the square of the number of sentences (200 article-bias-prediction
articles, 9,825 sentences: about 6 s on one core). The thresholds were chosen for
versions of one report; on articles that merely share a topic, most sentences
find some counterpart above the paraphrase threshold, so the labels then mean
"similar wording somewhere", not "the same fact".
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer

from framelens.notes import NotEnoughData
from framelens.plots import PALETTE, new_axes
from framelens.text import words

__all__ = [
    "VERBATIM", "PARAPHRASE", "CLUSTER", "MIN_WORDS", "LABELS",
    "align", "label_sentences", "core_share", "load_facts", "facts_or_empty", "fact_coverage",
    "coverage_matrix", "omitted_facts", "fact_pairs", "threshold_curve", "core_clusters", "core_matrix", "check_facts",
    "additions", "plot_scores", "plot_threshold_curve", "plot_coverage", "plot_core_share",
]

#: Default containment threshold for ``shared-verbatim``: at least half of the
#: sentence's word trigrams occur in the counterpart.
VERBATIM: float = 0.5
#: Default cosine threshold for ``paraphrased`` (mutual best matches only);
#: chosen as the F1-best threshold on the seed fact pairs (precision 0.98,
#: recall 0.78, F1 0.87 over 139 fact-sharing pairs), see :func:`threshold_curve`.
PARAPHRASE: float = 0.14
#: Default cosine cut for :func:`core_clusters`: average linkage needs a group's
#: *average* similarity above it, stricter than one pair's best match.
CLUSTER: float = 0.2
#: Sentences shorter than this many words are never aligned (headings and
#: captions such as "Ukraine's entry into NATO." or "What is Zelensky saying now"
#: share a name or two with many sentences).
MIN_WORDS: int = 6
#: Sentence labels, from most to least shared.
LABELS: tuple[str, ...] = ("shared-verbatim", "paraphrased", "unique")

_SENT_COLS = ("doc_id", "outlet", "sent_id", "sentence")


def _check_sents(sents: pd.DataFrame) -> None:
    if not isinstance(sents, pd.DataFrame):
        raise TypeError(f"expected the sentence table of framelens.text.sentences(), "
                        f"got {type(sents).__name__}")
    missing = [c for c in _SENT_COLS if c not in sents.columns]
    if missing:
        raise ValueError(f"sentence table lacks columns {missing}; it needs {list(_SENT_COLS)} "
                         "(make it with framelens.text.sentences(corpus))")


def _check_unit(name: str, value: float) -> None:
    if not isinstance(value, (int, float)) or not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"{name}={value!r} must be a number between 0 and 1")


def _vectorize(texts: Sequence[str], stop_words: str | None) -> tuple[sparse.csr_matrix, TfidfVectorizer]:
    if stop_words not in ("english", None):
        raise ValueError(f"stop_words={stop_words!r}; allowed: 'english' or None")
    vec = TfidfVectorizer(tokenizer=words, lowercase=False, token_pattern=None,
                          stop_words=sorted(ENGLISH_STOP_WORDS) if stop_words else None,
                          sublinear_tf=True)
    try:
        X = vec.fit_transform(list(texts))
    except ValueError as err:  # empty vocabulary
        raise NotEnoughData(f"comparing sentences needs content words; the {len(texts)} sentences "
                            "hold none (only stop words, numbers or punctuation)") from err
    return X.tocsr(), vec


def _ngrams(text: str, n: int) -> frozenset[tuple[str, ...]]:
    w = words(text)
    if len(w) < n:
        return frozenset([tuple(w)]) if w else frozenset()
    return frozenset(zip(*(w[i:] for i in range(n))))


def align(sents: pd.DataFrame, *, ngram: int = 3, verbatim: float = VERBATIM,
          paraphrase: float = PARAPHRASE, min_words: int = MIN_WORDS, mutual: bool = True,
          stop_words: str | None = "english", chunk_size: int = 1000,
          between: str = "outlets") -> pd.DataFrame:
    """Best counterpart of every sentence in every other document, with scores and a label.

    Parameters
    ----------
    sents : pandas.DataFrame
        Sentence table from :func:`framelens.text.sentences` (``doc_id``, ``outlet``,
        ``sent_id``, ``sentence``).
    ngram : int, default 3
        Word n-gram length for containment.
    verbatim : float, default :data:`VERBATIM`
        Containment at or above which a pair is ``shared-verbatim``.
    paraphrase : float, default :data:`PARAPHRASE`
        Cosine at or above which a pair is ``paraphrased``.
    min_words : int, default :data:`MIN_WORDS`
        Minimum words for a sentence to be aligned at all (shorter ones: ``none``).
    mutual : bool, default True
        Require ``paraphrased`` pairs to be each other's best match between the
        two documents (drops one-sided matches of a generic sentence).
    stop_words : {"english", None}, default "english"
        Drop scikit-learn's English stop words before the cosine.
    chunk_size : int, default 1000
        Rows of the sentence-by-sentence cosine computed at once.
    between : {"outlets", "documents"}, default "outlets"
        ``"outlets"``: a sentence is compared only with documents of *other*
        outlets, so a sentence an outlet repeats in two of its own articles is
        still its own material, not shared core. ``"documents"``: with every
        other document, whatever its outlet. The same when each outlet has one
        article.

    Raises
    ------
    NotEnoughData
        Fewer than two documents (``"documents"``) or outlets (``"outlets"``) to
        compare, or no content word in any sentence.

    Returns
    -------
    pandas.DataFrame
        One row per (sentence, other document) sharing at least one content
        word (cosine > 0): ``doc_id``, ``outlet``, ``sent_id``, ``other_doc_id``,
        ``other_outlet``, ``other_sent_id``, ``cosine``, ``containment``,
        ``mutual`` (bool), ``label`` (``shared-verbatim``, ``paraphrased``, ``none``),
        ``sentence``, ``other_sentence``, ``paraphrase_threshold`` and
        ``verbatim_threshold`` (the thresholds that decided ``label``, so a table
        built from it can state them).

    Examples
    --------
    >>> s = pd.DataFrame({"doc_id": ["a", "a", "b"], "outlet": ["A", "A", "B"],
    ...                   "sent_id": [0, 1, 0],
    ...                   "sentence": ["NATO must invite Ukraine to join the alliance now.",
    ...                                "Rain fell on Paris.",
    ...                                "NATO must invite Ukraine to join the alliance soon."]})
    >>> align(s)[["doc_id", "sent_id", "other_doc_id", "label"]].values.tolist()
    [['a', 0, 'b', 'shared-verbatim'], ['b', 0, 'a', 'shared-verbatim']]
    """
    _check_sents(sents)
    _check_unit("verbatim", verbatim)
    _check_unit("paraphrase", paraphrase)
    if not isinstance(ngram, int) or ngram < 1:
        raise ValueError(f"ngram={ngram!r} must be a positive integer")
    if not isinstance(min_words, int) or min_words < 0:
        raise ValueError(f"min_words={min_words!r} must be a non-negative integer")
    if not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size={chunk_size!r} must be a positive integer")
    if between not in ("outlets", "documents"):
        raise ValueError(f"between={between!r}; allowed: 'outlets' or 'documents'")
    cols = ["doc_id", "outlet", "sent_id", "other_doc_id", "other_outlet", "other_sent_id",
            "cosine", "containment", "mutual", "label", "sentence", "other_sentence",
            "paraphrase_threshold", "verbatim_threshold"]
    s = sents.reset_index(drop=True)
    docs = s["doc_id"].astype(str).to_numpy()
    uniq = sorted(set(docs))
    outlet_of = dict(zip(docs, s["outlet"].astype(str)))
    groups = sorted(set(outlet_of.values())) if between == "outlets" else uniq
    if len(groups) < 2:
        unit = "outlets" if between == "outlets" else "articles"
        raise NotEnoughData(f"aligning sentences across {unit} needs at least 2 {unit} with "
                            f"sentences; got {len(groups)}"
                            + (f" ({', '.join(map(str, groups))})" if groups else ""))
    X, _ = _vectorize(s["sentence"].tolist(), stop_words)
    members = {d: np.flatnonzero(docs == d) for d in uniq}
    n = len(s)
    best = np.full((n, len(uniq)), -1, dtype=np.int64)
    best_cos = np.zeros((n, len(uniq)))
    XT = X.T.tocsc()
    for lo in range(0, n, chunk_size):
        block = (X[lo:lo + chunk_size] @ XT).toarray()
        for k, d in enumerate(uniq):
            idx = members[d]
            sub = block[:, idx]
            arg = sub.argmax(axis=1)
            best[lo:lo + len(block), k] = idx[arg]
            best_cos[lo:lo + len(block), k] = sub[np.arange(len(block)), arg]
    # word n-gram sets as a binary sparse matrix: containment of i in j is G[i].G[j] / |G[i]|
    G = CountVectorizer(analyzer=lambda t: ["\x1f".join(g) for g in _ngrams(t, ngram)],
                        binary=True, lowercase=False).fit_transform(s["sentence"]).tocsr()
    sizes = np.asarray(G.sum(axis=1)).ravel()
    nwords = np.array([len(words(t)) for t in s["sentence"]])
    own = pd.Index(uniq).get_indexer(docs)
    if between == "outlets":  # same outlet (the sentence's own document included): not compared
        doc_outlets = np.array([outlet_of[d] for d in uniq], dtype=object)
        other = doc_outlets[None, :] != s["outlet"].astype(str).to_numpy(dtype=object)[:, None]
    else:
        other = np.arange(len(uniq))[None, :] != own[:, None]
    I, K = np.nonzero((best_cos > 0) & other)
    J = best[I, K]
    cos = best_cos[I, K]
    inter = np.asarray(G[I].multiply(G[J]).sum(axis=1)).ravel()
    cont = np.where(sizes[I] > 0, inter / np.maximum(sizes[I], 1), 0.0)
    is_mutual = best[J, own[I]] == I
    label = np.select(
        [nwords[I] < min_words, cont >= verbatim, (cos >= paraphrase) & (is_mutual | (not mutual))],
        ["none", "shared-verbatim", "paraphrased"], default="none")
    out = pd.DataFrame({
        "doc_id": s["doc_id"].to_numpy()[I], "outlet": s["outlet"].to_numpy()[I],
        "sent_id": s["sent_id"].to_numpy()[I].astype("int64"),
        "other_doc_id": s["doc_id"].to_numpy()[J], "other_outlet": s["outlet"].to_numpy()[J],
        "other_sent_id": s["sent_id"].to_numpy()[J].astype("int64"),
        "cosine": np.round(cos, 6), "containment": np.round(cont, 6), "mutual": is_mutual,
        "label": label, "sentence": s["sentence"].to_numpy()[I],
        "other_sentence": s["sentence"].to_numpy()[J],
        "paraphrase_threshold": float(paraphrase), "verbatim_threshold": float(verbatim)})
    return out[cols]


def label_sentences(sents: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Label each sentence ``shared-verbatim``, ``paraphrased`` or ``unique``.

    A sentence takes the strongest label among its pairs in :func:`align`
    (verbatim over paraphrased); with none it is ``unique`` to its outlet.

    Parameters
    ----------
    sents : pandas.DataFrame
        Sentence table from :func:`framelens.text.sentences`.
    pairs : pandas.DataFrame
        Output of :func:`align` on the same table.

    Returns
    -------
    pandas.DataFrame
        ``sents`` plus ``label``, ``n_words``, ``n_outlets`` (other outlets
        sharing the sentence), ``shared_with`` (their outlet names, sorted, joined
        by ``"; "``), ``best_cosine`` and ``best_containment``; with ``pairs`` from
        :func:`align`, also its ``paraphrase_threshold`` and ``verbatim_threshold``.

    Examples
    --------
    >>> s = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"], "sent_id": [0, 0],
    ...                   "sentence": ["Kyiv asked NATO for an invitation next week.",
    ...                                "Kyiv asked NATO for an invitation next week."]})
    >>> label_sentences(s, align(s))["label"].tolist()
    ['shared-verbatim', 'shared-verbatim']
    """
    _check_sents(sents)
    out = sents.copy()
    key = ["doc_id", "sent_id"]
    rank = {"shared-verbatim": 0, "paraphrased": 1, "none": 2}
    p = pairs.assign(_rank=pairs["label"].map(rank))
    shared = p[p["label"] != "none"]
    agg = p.groupby(key).agg(best_cosine=("cosine", "max"), best_containment=("containment", "max"),
                             _rank=("_rank", "min"))
    who = shared.groupby(key).agg(n_outlets=("other_outlet", "nunique"),
                                  shared_with=("other_outlet", lambda x: "; ".join(sorted(set(map(str, x))))))
    out = out.merge(agg, on=key, how="left").merge(who, on=key, how="left")
    names = {0: "shared-verbatim", 1: "paraphrased", 2: "unique"}
    out["label"] = out.pop("_rank").map(names).fillna("unique")
    out["n_outlets"] = out["n_outlets"].fillna(0).astype("int64")
    out["shared_with"] = out["shared_with"].fillna("")
    out["best_cosine"] = out["best_cosine"].fillna(0.0)
    out["best_containment"] = out["best_containment"].fillna(0.0)
    out["n_words"] = [len(words(t)) for t in out["sentence"]]
    for col in ("paraphrase_threshold", "verbatim_threshold"):
        if col in pairs.columns and len(pairs):
            out[col] = float(pairs[col].iloc[0])
    return out


def core_share(labelled: pd.DataFrame, *, within: str | None = None) -> pd.DataFrame:
    """Each outlet's share of shared core versus its own material, in words.

    Parameters
    ----------
    labelled : pandas.DataFrame
        Output of :func:`label_sentences`.
    within : str, optional
        A column of ``labelled`` (e.g. ``story``) whose groups are counted apart:
        the index is then (``within``, ``outlet``), sorted by ``within`` first.

    Returns
    -------
    pandas.DataFrame
        Index ``outlet``; for each label in :data:`LABELS` the words in such
        sentences (``words_<label>``) and their share of the outlet's words
        (``share_<label>``, summing to 1), plus ``n_sentences`` and ``n_words``,
        and the ``paraphrase_threshold`` / ``verbatim_threshold`` of the labels when
        ``labelled`` carries them (:func:`label_sentences` of :func:`align` output).
        Sorted by the core share (verbatim + paraphrased), largest first.

    Examples
    --------
    >>> lab = pd.DataFrame({"outlet": ["A", "A"], "label": ["paraphrased", "unique"],
    ...                     "n_words": [30, 10]})
    >>> core_share(lab).loc["A", "share_paraphrased"]
    np.float64(0.75)
    """
    key = ["outlet"] if within is None else [within, "outlet"]
    for c in (*key, "label", "n_words"):
        if c not in labelled.columns:
            raise ValueError(f"labelled table lacks column {c!r}; make it with label_sentences()")
    bad = sorted(set(labelled["label"]) - set(LABELS))
    if bad:
        raise ValueError(f"unknown labels {bad}; allowed: {list(LABELS)}")
    w = labelled.pivot_table(index=key, columns="label", values="n_words", aggfunc="sum",
                             fill_value=0).reindex(columns=list(LABELS), fill_value=0)
    total = w.sum(axis=1)
    out = pd.DataFrame(index=w.index)
    out["n_sentences"] = labelled.groupby(key).size()
    out["n_words"] = total
    for lab in LABELS:
        out[f"words_{lab}"] = w[lab].astype("int64")
    for lab in LABELS:
        out[f"share_{lab}"] = (w[lab] / total.where(total > 0)).fillna(0.0)
    for col in ("paraphrase_threshold", "verbatim_threshold"):
        if col in labelled.columns:
            out[col] = float(labelled[col].iloc[0])
    core = out["share_shared-verbatim"] + out["share_paraphrased"]
    if within is None:
        out = out.assign(_core=core).sort_values(["_core"], ascending=False, kind="stable")
    else:
        out = out.assign(_core=-core).sort_values([within, "_core"], kind="stable")
    out = out.drop(columns="_core")
    out.index.names = key
    return out


# --- facts: a named, data-driven check ---------------------------------------------------

def load_facts(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Read and validate a fact table (``fact``, ``pattern``, optional ``note``).

    Each row is one case-insensitive regular expression; a sentence carries a
    fact when any of that fact's patterns matches it. Keep the table next to
    the corpus (``seeds/facts.csv``), so a researcher edits facts, not code.

    Examples
    --------
    >>> load_facts(pd.DataFrame({"fact": ["x"], "pattern": ["irreversible"]}))["fact"].tolist()
    ['x']
    """
    where = str(source) if not isinstance(source, pd.DataFrame) else "the fact table"
    df = source.copy() if isinstance(source, pd.DataFrame) else pd.read_csv(source, dtype=str,
                                                                            keep_default_na=False)
    for c in ("fact", "pattern"):
        if c not in df.columns:
            raise ValueError(f"{where}: missing column {c!r}; needs 'fact' and 'pattern' "
                             f"(found {list(df.columns)})")
    if "note" not in df.columns:
        df["note"] = ""
    for i, row in enumerate(df.itertuples(index=False), start=2):
        if not str(row.fact).strip() or not str(row.pattern).strip():
            raise ValueError(f"{where}, line {i}: empty fact or pattern; fill both or delete the row")
        try:
            re.compile(str(row.pattern))
        except re.error as err:
            raise ValueError(f"{where}, line {i} (fact {row.fact!r}): pattern {row.pattern!r} "
                             f"is not a valid regular expression: {err}") from err
    return df[["fact", "pattern", "note"]].reset_index(drop=True)


def fact_coverage(sents: pd.DataFrame, facts: pd.DataFrame | str | Path) -> pd.DataFrame:
    """Every sentence that carries each fact (evidence for :func:`coverage_matrix`).

    Returns
    -------
    pandas.DataFrame
        ``fact``, ``doc_id``, ``outlet``, ``sent_id``, ``sentence``, one row per
        (fact, sentence), facts in table order.

    Examples
    --------
    >>> s = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"], "sent_id": [0],
    ...                   "sentence": ["NATO calls the path irreversible."]})
    >>> fact_coverage(s, pd.DataFrame({"fact": ["path"], "pattern": ["irreversible"]}))["outlet"].tolist()
    ['A']
    """
    _check_sents(sents)
    facts = load_facts(facts)
    rows = []
    order = list(dict.fromkeys(facts["fact"]))
    for fact in order:
        pats = [re.compile(p, re.IGNORECASE) for p in facts.loc[facts["fact"] == fact, "pattern"]]
        hit = sents["sentence"].map(lambda t: any(p.search(t) for p in pats))
        sub = sents.loc[hit.astype(bool), ["doc_id", "outlet", "sent_id", "sentence"]]
        rows.append(sub.assign(fact=fact))
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["fact", *_SENT_COLS])
    out["fact"] = pd.Categorical(out["fact"], categories=order, ordered=True)
    out = out.sort_values(["fact", "doc_id", "sent_id"], kind="stable")
    out["fact"] = out["fact"].astype(str)
    return out[["fact", "doc_id", "outlet", "sent_id", "sentence"]].reset_index(drop=True)


def coverage_matrix(coverage: pd.DataFrame, *, outlets: Sequence[str] | None = None,
                    facts: Sequence[str] | None = None) -> pd.DataFrame:
    """Facts x outlets: number of sentences of each outlet carrying each fact.

    Parameters
    ----------
    coverage : pandas.DataFrame
        Output of :func:`fact_coverage` (or any table with ``fact`` and ``outlet``).
    outlets, facts : sequence of str, optional
        Column and row order (and the outlets/facts to show even with zero hits);
        repeated outlets (e.g. the corpus's ``outlet`` column) are kept once.

    Examples
    --------
    >>> cov = pd.DataFrame({"fact": ["f", "f"], "outlet": ["A", "A"]})
    >>> coverage_matrix(cov, outlets=["A", "B"]).loc["f"].tolist()
    [2, 0]
    """
    m = pd.crosstab(coverage["fact"], coverage["outlet"])
    rows = list(facts) if facts is not None else list(dict.fromkeys(coverage["fact"]))
    cols = list(dict.fromkeys(outlets)) if outlets is not None else sorted(m.columns)
    m = m.reindex(index=rows, columns=cols, fill_value=0).astype("int64")
    m.index.name, m.columns.name = "fact", "outlet"
    return m


def omitted_facts(coverage: pd.DataFrame, *, outlets: Sequence[str]) -> pd.DataFrame:
    """Every (outlet, fact) where the outlet carries none of a fact another outlet carries.

    Parameters
    ----------
    coverage : pandas.DataFrame
        Output of :func:`fact_coverage`.
    outlets : sequence of str
        All outlets of the corpus, in order (an outlet with no fact at all omits every fact).

    Returns
    -------
    pandas.DataFrame
        ``outlet``, ``fact``, ``n_carrying`` (outlets carrying the fact), ``n_outlets``,
        ``carried_by`` (those outlets, in ``outlets`` order, ``", "``-joined); outlets
        in order, facts in coverage order. Listed in full: a page states all of them.

    Examples
    --------
    >>> cov = pd.DataFrame({"fact": ["f", "g", "g"], "outlet": ["A", "A", "B"]})
    >>> omitted_facts(cov, outlets=["A", "B", "C"])[["outlet", "fact", "carried_by"]].values.tolist()
    [['B', 'f', 'A'], ['C', 'f', 'A'], ['C', 'g', 'A, B']]
    """
    order = list(dict.fromkeys(map(str, outlets)))
    facts = list(dict.fromkeys(coverage["fact"]))
    have = coverage.assign(outlet=coverage["outlet"].astype(str)).groupby("fact")["outlet"].agg(set)
    rows = []
    for o in order:
        for f in facts:
            if o not in have[f]:
                by = [x for x in order if x in have[f]]
                rows.append((o, f, len(by), len(order), ", ".join(by)))
    return pd.DataFrame(rows, columns=["outlet", "fact", "n_carrying", "n_outlets", "carried_by"])


def fact_pairs(coverage: pd.DataFrame) -> pd.DataFrame:
    """Sentence pairs from different documents, both carrying a fact: same fact or not.

    The evidence for choosing :func:`align`'s thresholds: a good cosine
    threshold keeps pairs that share a fact and drops pairs that do not.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``sent_id``, ``other_doc_id``, ``other_sent_id``, ``same_fact``
        (bool), both orders of each pair.

    Examples
    --------
    >>> cov = pd.DataFrame({"fact": ["f", "f", "g"], "doc_id": ["a", "b", "b"],
    ...                     "sent_id": [0, 0, 1]})
    >>> fact_pairs(cov)["same_fact"].tolist()
    [True, False, True, False]
    """
    sets = coverage.groupby(["doc_id", "sent_id"])["fact"].agg(frozenset)
    keys = list(sets.index)
    rows = []
    for a, fa in zip(keys, sets):
        for b, fb in zip(keys, sets):
            if a[0] != b[0]:
                rows.append((a[0], a[1], b[0], b[1], bool(fa & fb)))
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "other_doc_id", "other_sent_id",
                                       "same_fact"])


def threshold_curve(pairs: pd.DataFrame, gold: pd.DataFrame, *, measure: str = "cosine",
                    thresholds: Iterable[float] | None = None, mutual: bool = True) -> pd.DataFrame:
    """Precision, recall and F1 of "pair is aligned" against fact pairs, per threshold.

    The candidate pairs are :func:`align`'s best counterparts whose two
    sentences both carry a fact (they appear in ``gold``); a pair is predicted
    aligned when ``measure >= threshold`` (and, with ``mutual``, the two
    sentences are each other's best match). Precision is the share of
    predicted pairs that share a fact; recall the share of fact-sharing
    candidate pairs that are predicted; :math:`F_1 = 2PR/(P+R)`.

    Returns
    -------
    pandas.DataFrame
        ``threshold``, ``predicted``, ``precision``, ``recall``, ``f1``,
        index named ``row``.

    Examples
    --------
    >>> pairs = pd.DataFrame({"doc_id": ["a", "a"], "sent_id": [0, 1], "other_doc_id": ["b", "b"],
    ...                       "other_sent_id": [0, 1], "cosine": [0.6, 0.3], "mutual": [True, True]})
    >>> gold = pairs[["doc_id", "sent_id", "other_doc_id", "other_sent_id"]].assign(same_fact=[True, False])
    >>> threshold_curve(pairs, gold, thresholds=[0.2, 0.5])["f1"].round(2).tolist()
    [0.67, 1.0]
    """
    if measure not in ("cosine", "containment"):
        raise ValueError(f"measure={measure!r}; allowed: 'cosine', 'containment'")
    key = ["doc_id", "sent_id", "other_doc_id", "other_sent_id"]
    cand = pairs.merge(gold[key + ["same_fact"]], on=key, how="inner")
    if not cand["same_fact"].any():
        raise NotEnoughData(
            "choosing a threshold needs aligned sentence pairs that share a fact of the fact "
            f"table; there are none ({len(gold)} fact pairs, {len(cand)} among the aligned pairs). "
            "Write facts.csv (fact, pattern) next to the corpus, with facts found in 2 or more articles")
    ts = np.round(np.arange(0.05, 0.71, 0.01), 2) if thresholds is None else np.asarray(list(thresholds))
    pos = int(cand["same_fact"].sum())
    rows = []
    for t in ts:
        pred = cand[measure] >= t
        if mutual:
            pred &= cand["mutual"].astype(bool)
        tp = int((pred & cand["same_fact"]).sum())
        npred = int(pred.sum())
        p = tp / npred if npred else 1.0
        r = tp / pos if pos else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        rows.append((float(t), npred, p, r, f))
    out = pd.DataFrame(rows, columns=["threshold", "predicted", "precision", "recall", "f1"])
    out.index.name = "row"
    return out


# --- derived core facts and added context ----------------------------------------------

def _top_terms(X: sparse.csr_matrix, vocab: np.ndarray, idx: np.ndarray, n_terms: int) -> str:
    w = np.asarray(X[idx].sum(axis=0)).ravel()
    order = np.lexsort((vocab, -w))[:n_terms]
    return ", ".join(vocab[i] for i in order if w[i] > 0)


def _cluster(X: sparse.csr_matrix, docs: np.ndarray | None, threshold: float) -> np.ndarray:
    """Average-linkage clusters on cosine distance; same-document pairs kept apart."""
    if X.shape[0] == 1:
        return np.zeros(1, dtype=int)
    sim = (X @ X.T).toarray()
    dist = np.clip(1.0 - sim, 0.0, 1.0)
    if docs is not None:
        dist[docs[:, None] == docs[None, :]] = 1.0
    np.fill_diagonal(dist, 0.0)
    model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                    distance_threshold=1.0 - threshold)
    return model.fit_predict(dist)


def _renumber(labels: np.ndarray, key: Sequence[object]) -> np.ndarray:
    """Number clusters 0, 1, ... by first appearance in ``key`` order (deterministic)."""
    order = sorted(range(len(key)), key=lambda i: key[i])  # type: ignore[index]
    mapping: dict[int, int] = {}
    for i in order:
        mapping.setdefault(int(labels[i]), len(mapping))
    return np.array([mapping[int(x)] for x in labels])


def core_clusters(sents: pd.DataFrame, *, threshold: float = CLUSTER, min_outlets: int = 2,
                  n_terms: int = 4, stop_words: str | None = "english") -> pd.DataFrame:
    """Derive the core facts: clusters of sentences from different outlets that say one thing.

    Average-linkage agglomerative clustering (scikit-learn) of all sentences
    on cosine distance (TF-IDF as in :func:`align`), with sentences of the same
    document kept apart (distance 1), cut where the average cosine within a
    cluster drops below ``threshold``. Clusters spanning at least
    ``min_outlets`` outlets are the shared core; each is named by its top
    ``n_terms`` terms (largest summed TF-IDF).

    Returns
    -------
    pandas.DataFrame
        One row per sentence in a core cluster: ``cluster`` (numbered by first
        appearance), ``name``, ``n_outlets``, ``doc_id``, ``outlet``, ``sent_id``,
        ``sentence``; sorted by cluster size (outlets, largest first), then cluster.

    Examples
    --------
    >>> s = pd.DataFrame({"doc_id": list("ab"), "outlet": list("AB"), "sent_id": [0, 0],
    ...                   "sentence": ["NATO path irreversible.", "Path to NATO irreversible."]})
    >>> core_clusters(s)[["cluster", "n_outlets"]].values.tolist()
    [[0, 2], [0, 2]]
    """
    _check_sents(sents)
    _check_unit("threshold", threshold)
    s = sents.reset_index(drop=True)
    cols = ["cluster", "name", "n_outlets", "doc_id", "outlet", "sent_id", "sentence"]
    if len(s) == 0:
        return pd.DataFrame(columns=cols)
    X, vec = _vectorize(s["sentence"].tolist(), stop_words)
    vocab = vec.get_feature_names_out()
    docs = s["doc_id"].astype(str).to_numpy()
    lab = _renumber(_cluster(X, docs, threshold), list(zip(docs, s["sent_id"])))
    s = s.assign(cluster=lab)
    n_out = s.groupby("cluster")["outlet"].nunique()
    keep = n_out[n_out >= min_outlets].index
    names = {c: _top_terms(X, vocab, np.flatnonzero(lab == c), n_terms) for c in keep}
    out = s[s["cluster"].isin(keep)].assign(
        name=lambda d: d["cluster"].map(names), n_outlets=lambda d: d["cluster"].map(n_out))
    out = out.sort_values(["n_outlets", "cluster", "doc_id", "sent_id"],
                          ascending=[False, True, True, True], kind="stable")
    return out[cols].reset_index(drop=True)


def core_matrix(core: pd.DataFrame, *, outlets: Sequence[str] | None = None) -> pd.DataFrame:
    """Derived core facts x outlets: sentences of each outlet in each :func:`core_clusters` group.

    Rows are the clusters' names (top terms), most widely shared first; the
    data-driven counterpart of :func:`coverage_matrix`, and drawn the same way
    with :func:`plot_coverage`.

    Examples
    --------
    >>> core = pd.DataFrame({"cluster": [0, 0], "name": ["irreversible, path"] * 2,
    ...                      "outlet": ["A", "B"]})
    >>> core_matrix(core, outlets=["A", "B", "C"]).values.tolist()
    [[1, 1, 0]]
    """
    for c in ("cluster", "name", "outlet"):
        if c not in core.columns:
            raise ValueError(f"core table lacks column {c!r}; make it with core_clusters()")
    order = list(dict.fromkeys(core["name"]))
    m = coverage_matrix(core.rename(columns={"name": "fact"}), outlets=outlets, facts=order)
    m.index.name = "core fact (top terms)"
    return m


def check_facts(core: pd.DataFrame, coverage: pd.DataFrame) -> pd.DataFrame:
    """Compare the named facts with the derived core clusters.

    For each named fact: the outlets whose sentences match its patterns, the
    derived cluster holding most of those sentences, its name and outlets, and
    whether the derived cluster finds the fact in the same outlets.

    Returns
    -------
    pandas.DataFrame
        Index ``fact``; ``outlets_by_pattern``, ``cluster``, ``cluster_name``,
        ``outlets_in_cluster``, ``sentences_in_cluster`` (of the fact's
        sentences), ``agree`` (bool: same outlet set).

    Examples
    --------
    >>> core = pd.DataFrame({"cluster": [0, 0], "name": ["x", "x"], "doc_id": ["a", "b"],
    ...                      "outlet": ["A", "B"], "sent_id": [0, 0]})
    >>> cov = pd.DataFrame({"fact": ["f", "f"], "doc_id": ["a", "b"], "outlet": ["A", "B"],
    ...                     "sent_id": [0, 0]})
    >>> bool(check_facts(core, cov).loc["f", "agree"])
    True
    """
    key = ["doc_id", "sent_id"]
    merged = coverage.merge(core[key + ["cluster", "name", "outlet"]].rename(
        columns={"outlet": "_o"}), on=key, how="left")
    rows = []
    for fact in dict.fromkeys(coverage["fact"]):
        sub = merged[merged["fact"] == fact]
        by_pat = sorted(set(sub["outlet"]))
        inc = sub.dropna(subset=["cluster"])
        if len(inc):
            counts = inc.groupby("cluster").size()
            c = int(counts.sort_values(ascending=False, kind="stable").index[0])
            name = str(inc.loc[inc["cluster"] == c, "name"].iloc[0])
            in_cl = sorted(set(core.loc[core["cluster"] == c, "outlet"]))
            n_in = int(counts.loc[c])
        else:
            c, name, in_cl, n_in = -1, "", [], 0
        rows.append((fact, "; ".join(by_pat), c, name, "; ".join(in_cl), n_in, by_pat == in_cl))
    out = pd.DataFrame(rows, columns=["fact", "outlets_by_pattern", "cluster", "cluster_name",
                                      "outlets_in_cluster", "sentences_in_cluster", "agree"])
    return out.set_index("fact")


def additions(labelled: pd.DataFrame, *, threshold: float = 0.1, n_terms: int = 4,
              stop_words: str | None = "english") -> pd.DataFrame:
    """Group each outlet's unique sentences into what they are about.

    The ``unique`` sentences of all outlets are clustered together
    (average-linkage on TF-IDF cosine distance, cut where average cosine drops
    below ``threshold``; sentences of different outlets may share a topic), and
    each group is named by its top ``n_terms`` terms, so a reader can check the
    name against the sentences.

    Returns
    -------
    pandas.DataFrame
        ``topic`` (numbered by size, largest first), ``topic_terms``, ``outlet``,
        ``doc_id``, ``sent_id``, ``sentence``.

    Examples
    --------
    >>> lab = pd.DataFrame({"doc_id": ["a", "a", "b"], "outlet": ["A", "A", "B"],
    ...     "sent_id": [0, 1, 0], "label": ["unique"] * 3,
    ...     "sentence": ["Oreshnik missile hit Dnipro.", "Power outages hit Kyiv.",
    ...                  "Putin threatened the Oreshnik missile."]})
    >>> additions(lab)["topic"].tolist()
    [0, 0, 1]
    """
    _check_sents(labelled)
    _check_unit("threshold", threshold)
    cols = ["topic", "topic_terms", "outlet", "doc_id", "sent_id", "sentence"]
    u = labelled[labelled["label"] == "unique"].reset_index(drop=True)
    if len(u) == 0:
        return pd.DataFrame(columns=cols)
    X, vec = _vectorize(u["sentence"].tolist(), stop_words)
    vocab = vec.get_feature_names_out()
    lab = _cluster(X, None, threshold)
    sizes = pd.Series(lab).value_counts()
    first = pd.Series(range(len(lab))).groupby(lab).min()
    order = sorted(sizes.index, key=lambda c: (-sizes[c], first[c]))
    rank = {c: r for r, c in enumerate(order)}
    u = u.assign(topic=[rank[c] for c in lab])
    names = {rank[c]: _top_terms(X, vocab, np.flatnonzero(lab == c), n_terms) for c in order}
    u["topic_terms"] = u["topic"].map(names)
    u = u.sort_values(["topic", "doc_id", "sent_id"], kind="stable")
    return u[cols].reset_index(drop=True)


# --- figures -------------------------------------------------------------------------------

def plot_scores(pairs: pd.DataFrame, *, paraphrase: float = PARAPHRASE, verbatim: float = VERBATIM,
                ax: Axes | None = None) -> Axes:
    """Scatter of every best-counterpart pair: cosine (x) against containment (y).

    Threshold lines show where ``paraphrased`` (vertical) and ``shared-verbatim``
    (horizontal) begin; points are coloured by label.

    Examples
    --------
    >>> p = pd.DataFrame({"cosine": [0.8, 0.3, 0.05], "containment": [0.7, 0.1, 0.0],
    ...                   "label": ["shared-verbatim", "paraphrased", "none"]})
    >>> plot_scores(p).get_title()
    '2 of 3 sentence pairs pass a threshold'
    """
    ax = new_axes(ax, figsize=(6.5, 4.5))
    colours = {"shared-verbatim": PALETTE[3], "paraphrased": PALETTE[0], "none": "#BBBBBB"}
    for lab in ("none", "paraphrased", "shared-verbatim"):
        sub = pairs[pairs["label"] == lab]
        ax.scatter(sub["cosine"], sub["containment"], s=14, alpha=0.75, color=colours[lab],
                   label=f"{lab} ({len(sub)})")
    ax.axvline(paraphrase, color=PALETTE[0], ls="--", lw=1)
    ax.axhline(verbatim, color=PALETTE[3], ls="--", lw=1)
    ax.set_xlabel("TF-IDF cosine with the best counterpart")
    ax.set_ylabel("word-trigram containment")
    n_shared = int((pairs["label"] != "none").sum())
    ax.set_title(f"{n_shared} of {len(pairs)} sentence pairs pass a threshold")
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return ax


def plot_threshold_curve(curve: pd.DataFrame, *, chosen: float = PARAPHRASE,
                         ax: Axes | None = None) -> Axes:
    """Precision, recall and F1 against the cosine threshold, the chosen one marked.

    Examples
    --------
    >>> c = pd.DataFrame({"threshold": [0.1, 0.2], "precision": [0.5, 1.0],
    ...                   "recall": [1.0, 0.8], "f1": [0.67, 0.89]})
    >>> plot_threshold_curve(c, chosen=0.2).get_title()
    'F1 peaks at 0.89 for cosine 0.20'
    """
    ax = new_axes(ax)
    for col, c in (("precision", PALETTE[0]), ("recall", PALETTE[1]), ("f1", PALETTE[2])):
        ax.plot(curve["threshold"], curve[col], color=c, label=col)
    ax.axvline(chosen, color="black", ls="--", lw=1, label=f"chosen {chosen:.2f}")
    best = curve.loc[curve["f1"].idxmax()]
    ax.set_xlabel("cosine threshold for 'paraphrased'")
    ax.set_ylabel("against fact pairs")
    ax.set_ylim(0, 1.05)
    ax.set_title(f"F1 peaks at {best['f1']:.2f} for cosine {best['threshold']:.2f}")
    ax.legend(frameon=False, fontsize=8)
    return ax


def plot_coverage(matrix: pd.DataFrame, *, max_rows: int = 30, ax: Axes | None = None) -> Axes:
    """Facts x outlets grid: filled cell = the outlet carries the fact (count written in).

    Parameters
    ----------
    matrix : pandas.DataFrame
        :func:`coverage_matrix` or :func:`core_matrix` output.
    max_rows : int, default 30
        Draw at most this many facts: those carried by the most outlets (ties in
        table order); the title says how many were left out.
    ax : Axes, optional

    Raises
    ------
    NotEnoughData
        When the matrix has no fact or no outlet.

    Examples
    --------
    >>> m = pd.DataFrame([[1, 2], [0, 1]], index=["letter", "Trump"], columns=["A", "B"])
    >>> plot_coverage(m).get_title()
    '1 of 2 core facts appear in every outlet'
    >>> plot_coverage(m, max_rows=1).get_title()
    '1 of 2 core facts appear in every outlet (1 most widely carried shown)'
    """
    if matrix.shape[0] == 0 or matrix.shape[1] == 0:
        rows, cols = matrix.shape
        raise NotEnoughData(f"a coverage grid needs at least one fact and one outlet; got "
                            f"{rows} fact{'' if rows == 1 else 's'} x {cols} "
                            f"outlet{'' if cols == 1 else 's'} (no facts.csv, or no fact found "
                            "in any article)")
    if isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows < 1:
        raise ValueError(f"max_rows={max_rows!r} must be a positive integer")
    total = matrix.shape[0]
    n_full = int((matrix.to_numpy() > 0).all(axis=1).sum())
    if total > max_rows:
        spread = (matrix > 0).sum(axis=1).to_numpy()
        keep = sorted(np.argsort(-spread, kind="stable")[:max_rows])
        matrix = matrix.iloc[keep]
    from framelens.viz import heatmap

    ax = new_axes(ax, figsize=(min(0.95 * matrix.shape[1] + 3, 9.0), 0.45 * matrix.shape[0] + 1.5))
    text = matrix.astype(int).astype(str).where(matrix.to_numpy() > 0, "\u2013")  # a fact not carried: a dash
    shown = f" ({matrix.shape[0]} most widely carried shown)" if total > matrix.shape[0] else ""
    heatmap((matrix > 0).astype(float), ax=ax, text=text, cmap="Blues", vmin=0, vmax=1.6, colorbar=False,
            fontsize=9, title=f"{n_full} of {total} core facts appear in every outlet{shown}")
    return ax


def plot_core_share(share: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Stacked horizontal bars: each outlet's words in verbatim, paraphrased and unique sentences.

    Examples
    --------
    >>> lab = pd.DataFrame({"outlet": ["A", "B"], "label": ["unique", "paraphrased"],
    ...                     "n_words": [10, 10]})
    >>> plot_core_share(core_share(lab)).get_title()
    'A adds the most own material (100% of words)'
    """
    ax = new_axes(ax, figsize=(6.5, 0.5 * len(share) + 1.5))
    left = np.zeros(len(share))
    from framelens.viz import CATEGORY_PALETTE  # not the outlet colours: these bars are kinds of sentence

    colours = dict(zip(LABELS, (CATEGORY_PALETTE[0], CATEGORY_PALETTE[1], CATEGORY_PALETTE[5])))
    names = [str(i) for i in share.index]
    for lab in LABELS:
        v = share[f"share_{lab}"].to_numpy()
        ax.barh(names, v, left=left, color=colours[lab], label=lab)
        left += v
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the article's words")
    own = share["share_unique"]
    ax.set_title(f"{own.idxmax()} adds the most own material ({own.max():.0%} of words)")
    ax.legend(frameon=False, fontsize=8, ncol=3, loc="lower center", bbox_to_anchor=(0.5, 1.08))
    return ax


def facts_or_empty(folder: str | Path) -> tuple[pd.DataFrame, str]:
    """The corpus's fact table ``FOLDER/facts.csv``, or an empty one when there is none.

    Returns ``(table, note)``; the note says which, so a notebook run on a corpus
    without facts states it and the fact-based sections show empty tables. ``folder`` may also be
    a single-file corpus (``articles.csv``): the table is then looked for next to
    the file (:func:`framelens.corpus.corpus_folder`).

    Examples
    --------
    >>> import tempfile
    >>> t, note = facts_or_empty(tempfile.mkdtemp())
    >>> len(t), list(t.columns), note.startswith("No facts.csv")
    (0, ['fact', 'pattern', 'note'], True)
    """
    from framelens.corpus import corpus_folder

    path = corpus_folder(folder) / "facts.csv"
    if path.is_file():
        table = load_facts(path)
        return table, f"Facts from the corpus's facts.csv ({table['fact'].nunique()} facts)."
    table = pd.DataFrame({"fact": pd.Series(dtype=str), "pattern": pd.Series(dtype=str),
                          "note": pd.Series(dtype=str)})
    return table, ("No facts.csv in the corpus folder: the fact coverage sections are "
                   "empty; write facts.csv (fact, pattern) to fill them.")
