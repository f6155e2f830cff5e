"""Distinctive vocabulary: log-odds ratios with an informative Dirichlet prior.

Monroe, Colaresi and Quinn (2008), "Fightin' Words: Lexical Feature Selection and
Evaluation for Identifying the Content of Political Conflict", *Political Analysis*
16(4), 372-403, section 3.5 ("informative Dirichlet prior"). For a word ``w``, a
target group ``i`` and a reference group ``j`` (one outlet against the rest, or any
group of outlets against another):

* ``y_w^i``: count of ``w`` in ``i``; ``n^i = sum_w y_w^i``;
* ``alpha_w = alpha0 * y_w / n``: the prior, the whole corpus's relative frequency
  of ``w`` (``y_w`` and ``n`` summed over *every* outlet) scaled by ``alpha0``;
* ``delta_w = log[(y_w^i + alpha_w) / (n^i + alpha0 - y_w^i - alpha_w)]
  - log[(y_w^j + alpha_w) / (n^j + alpha0 - y_w^j - alpha_w)]``;
* ``variance_w ~= 1 / (y_w^i + alpha_w) + 1 / (y_w^j + alpha_w)``;
* ``z_w = delta_w / sqrt(variance_w)``; positive means "more typical of the target".

Counts below a minimum are flagged, not hidden: such a word can reach a large ``z``
from two or three occurrences, which carries no meaning about an outlet.
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from matplotlib.axes import Axes

from framelens.notes import NotEnoughData
from framelens.plots import PALETTE, new_axes
from framelens.text import word_matrix, words

__all__ = ["KeynessWarning", "term_counts", "counts_by_label", "log_odds_dirichlet", "keyness", "keyness_by_outlet", "keyness_evidence",
           "plot_keyness", "plot_keyness_by_outlet", "translation_groups"]


class KeynessWarning(UserWarning):
    """Emitted when words that look distinctive rest on too few occurrences."""


def term_counts(corpus: pd.DataFrame, *, text_col: str = "text", label_col: str = "outlet",
                stop_words: str | Sequence[str] | None = None,
                min_count: int = 1) -> pd.DataFrame:
    """Word counts per outlet (or any label), words as rows.

    Tokens are :func:`framelens.text.words` (lowercased, inner apostrophes and
    hyphens kept), counted per document by :func:`framelens.text.word_matrix` and
    summed per label by :func:`counts_by_label` (the same counts as scikit-learn's
    :class:`CountVectorizer` with ``words`` as analyzer, summed over the documents
    sharing a label, in a fraction of the time).

    Parameters
    ----------
    corpus : pandas.DataFrame
        One row per document with ``text_col`` and ``label_col``.
    text_col : str, default "text"
        Column with the cleaned text.
    label_col : str, default "outlet"
        Column whose values become the output columns.
    stop_words : "english", list of str or None, default None
        Words to drop before counting (``"english"`` is scikit-learn's list).
    min_count : int, default 1
        Keep words occurring at least this often in the whole corpus.

    Returns
    -------
    pandas.DataFrame
        Index ``term`` (sorted), one int64 column per label (sorted), columns
        index named ``label_col``.

    Examples
    --------
    >>> df = pd.DataFrame({"outlet": ["A", "B", "A"],
    ...                    "text": ["Kyiv said", "Kiev said", "Kyiv"]})
    >>> term_counts(df).to_dict("index")
    {'kiev': {'A': 0, 'B': 1}, 'kyiv': {'A': 2, 'B': 0}, 'said': {'A': 1, 'B': 1}}
    """
    for name, col in (("text_col", text_col), ("label_col", label_col)):
        if col not in corpus.columns:
            raise ValueError(f"{name}={col!r} is not a column of corpus; "
                             f"available columns: {sorted(map(str, corpus.columns))}")
    if not isinstance(min_count, (int, np.integer)) or min_count < 1:
        raise ValueError(f"min_count must be an integer >= 1, got {min_count!r}")
    if isinstance(stop_words, str) and stop_words != "english":
        raise ValueError(f"stop_words={stop_words!r} is not allowed; use 'english', a list or None")
    stop: frozenset[str] = frozenset()
    if stop_words is not None:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
        stop = frozenset(ENGLISH_STOP_WORDS if stop_words == "english" else stop_words)
    types, counts = word_matrix(corpus[text_col].tolist())
    return counts_by_label(types, counts, corpus[label_col].astype(str).tolist(),
                           label_col=label_col, stop=stop, min_count=min_count)


def counts_by_label(types: np.ndarray, counts: sp.csr_matrix, labels: Sequence[str], *,
                    label_col: str = "outlet", stop: frozenset[str] = frozenset(),
                    min_count: int = 1) -> pd.DataFrame:
    """:func:`term_counts` from words already counted by :func:`framelens.text.word_matrix`.

    The documents' rows are summed per label; words in ``stop`` and words occurring
    fewer than ``min_count`` times in all are dropped. :func:`term_counts` is this
    applied to ``word_matrix(texts)``; call it directly to reuse one tokenisation.

    Examples
    --------
    >>> from framelens.text import word_matrix
    >>> types, counts = word_matrix(["Kyiv said", "Kiev said", "Kyiv"])
    >>> counts_by_label(types, counts, ["A", "B", "A"], stop=frozenset({"said"}))
    outlet  A  B
    term        
    kiev    0  1
    kyiv    2  0
    """
    if counts.shape != (len(labels), len(types)):
        raise ValueError(f"counts has shape {counts.shape}, but there are {len(labels)} labels "
                         f"and {len(types)} word types")
    levels, codes = np.unique(np.asarray(labels, dtype=object), return_inverse=True)
    by_label = sp.csr_matrix((np.ones(len(codes), dtype=np.int64),
                              (codes.ravel(), np.arange(len(codes)))),
                             shape=(len(levels), len(codes)))
    data = np.asarray((by_label @ counts).T.todense(), dtype=np.int64)
    keep = data.sum(axis=1) >= max(min_count, 1)
    if stop:
        keep &= np.fromiter((t not in stop for t in types), dtype=bool, count=len(types))
    out = pd.DataFrame(data[keep], index=pd.Index(list(types[keep]), name="term", dtype="str"),
                       columns=pd.Index(list(levels), name=label_col))
    return out.sort_index()


def _validate_counts(counts: pd.DataFrame) -> None:
    if not isinstance(counts, pd.DataFrame):
        raise TypeError(f"counts must be a DataFrame (terms x labels), got {type(counts).__name__}")
    if counts.shape[1] < 2:
        raise NotEnoughData(f"comparing vocabularies needs at least 2 outlets (label columns); "
                            f"the counts have {counts.shape[1]}: {list(counts.columns)}")
    values = counts.to_numpy()
    if not np.issubdtype(values.dtype, np.number):
        raise ValueError("counts must be numeric word counts (terms as rows, labels as columns)")
    if (values < 0).any():
        bad = counts.index[(values < 0).any(axis=1)][0]
        raise ValueError(f"counts must be >= 0; term {bad!r} has a negative count")


def log_odds_dirichlet(y_i: np.ndarray, y_j: np.ndarray, *, alpha0: float = 100.0,
                       prior: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Monroe et al.'s log-odds ratio with informative Dirichlet prior, on two count vectors.

    With ``n^i = sum(y_i)``, ``n^j = sum(y_j)`` and the prior ``a_w = alpha0 * p_w / sum(p)``, ``p`` being
    ``prior`` (the whole corpus's counts; default ``y_i + y_j``):
    ``delta_w = log[(y_i + a_w) / (n^i + alpha0 - y_i - a_w)] - log[(y_j + a_w) / (n^j + alpha0 - y_j - a_w)]``,
    ``var_w = 1 / (y_i + a_w) + 1 / (y_j + a_w)``, ``z_w = delta_w / sqrt(var_w)``
    (the formula :func:`keyness` applies, on arrays).

    >>> d, v, z = log_odds_dirichlet(np.array([10., 0, 90]), np.array([0., 10, 90]), alpha0=10)
    >>> z.round(2).tolist()
    [2.17, -2.17, 0.0]
    """
    y_i = np.asarray(y_i, dtype=float)
    y_j = np.asarray(y_j, dtype=float)
    n_i, n_j = y_i.sum(), y_j.sum()
    p = y_i + y_j if prior is None else np.asarray(prior, dtype=float)
    a_w = alpha0 * p / p.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = (np.log((y_i + a_w) / (n_i + alpha0 - y_i - a_w))
                 - np.log((y_j + a_w) / (n_j + alpha0 - y_j - a_w)))
        variance = 1.0 / (y_i + a_w) + 1.0 / (y_j + a_w)
        z = delta / np.sqrt(variance)
    return delta, variance, z


def keyness(counts: pd.DataFrame, *, target: str | Sequence[str],
            reference: str | Sequence[str] | None = None,
            groups: Mapping[str, str] | None = None, alpha0: float = 100.0,
            min_count: int = 5, min_words: int = 1000,
            warn: bool = True) -> pd.DataFrame:
    """Log-odds ratio with informative Dirichlet prior, target against reference.

    Parameters
    ----------
    counts : pandas.DataFrame
        Terms as rows, labels (outlets) as columns, non-negative counts, as from
        :func:`term_counts`.
    target : str or list of str
        The label (or group name, when ``groups`` is given), or several labels
        pooled into one target.
    reference : str, list of str or None, default None
        Labels/groups to compare against; None means every column not in ``target``
        ("one against the rest").
    groups : mapping label -> group name, optional
        Pool labels into groups first (e.g. outlet -> "translated"/"original");
        ``target`` and ``reference`` then name groups. Labels not in the mapping
        stay in the prior but belong to no group.
    alpha0 : float, default 100.0
        Total prior "pseudo-count" (Monroe et al.'s alpha_0): each word's prior is
        ``alpha0 * (its corpus count / corpus size)``. Larger values shrink rare
        words' log-odds more towards zero.
    min_count : int, default 5
        Gate: a word whose count in target plus reference is below this is flagged
        ``low_count=True`` with a ``warning`` text.
    min_words : int, default 1000
        Gate on the comparison as a whole: when target or reference has fewer words
        than this, every z-score rests on little text (column ``small_sample``).
    warn : bool, default True
        Emit a :class:`KeynessWarning` when any word with ``|z| >= 1.96`` is
        below ``min_count``, or when target or reference is below ``min_words``.

    Returns
    -------
    pandas.DataFrame
        Index ``term``; columns ``count_target``, ``count_reference`` (int),
        ``prior`` (alpha_w), ``delta``, ``variance``, ``z``, ``low_count`` (bool),
        ``warning`` (str, empty when the count passes the gate), and, the same on
        every row, ``n_target``, ``n_reference`` (the two sides' word counts) and
        ``small_sample`` (bool: either side below ``min_words``). Sorted by ``z``
        descending then term. The gate messages are emitted as
        :class:`KeynessWarning` when ``warn``.

    Examples
    --------
    >>> c = pd.DataFrame({"A": [10, 0, 90], "B": [0, 10, 90]},
    ...                  index=pd.Index(["kyiv", "kiev", "the"], name="term"))
    >>> k = keyness(c, target="A", alpha0=10, warn=False)
    >>> k["z"].round(2).to_dict()
    {'kyiv': 2.17, 'the': 0.0, 'kiev': -2.17}
    """
    _validate_counts(counts)
    if not (isinstance(alpha0, (int, float, np.number)) and np.isfinite(alpha0) and alpha0 > 0):
        raise ValueError(f"alpha0 must be a positive finite number, got {alpha0!r}")
    if not isinstance(min_count, (int, np.integer)) or min_count < 0:
        raise ValueError(f"min_count must be an integer >= 0, got {min_count!r}")
    if not isinstance(min_words, (int, np.integer)) or min_words < 0:
        raise ValueError(f"min_words must be an integer >= 0, got {min_words!r}")
    counts = counts.astype("float64")
    if groups is not None:
        missing = sorted(set(map(str, groups)) - set(map(str, counts.columns)))
        if missing:
            raise ValueError(f"groups names labels not in counts: {missing}; "
                             f"available: {sorted(map(str, counts.columns))}")
        pooled = counts.T.groupby(pd.Series(groups)).sum().T
    else:
        pooled = counts
    available = sorted(map(str, pooled.columns))
    tgt = [target] if isinstance(target, str) else list(target)
    for t in tgt:
        if t not in pooled.columns:
            raise ValueError(f"target {t!r} is not a label/group in counts; available: {available}")
    if reference is None:
        ref = [c for c in pooled.columns if c not in tgt]
    else:
        ref = [reference] if isinstance(reference, str) else list(reference)
        for r in ref:
            if r not in pooled.columns:
                raise ValueError(f"reference {r!r} is not a label/group in counts; "
                                 f"available: {available}")
        overlap = sorted(set(tgt) & set(ref))
        if overlap:
            raise ValueError(f"target and reference share {overlap}; they must be disjoint")
    if not ref:
        raise ValueError(f"nothing to compare {tgt} against: reference is empty")

    total = counts.sum(axis=1).to_numpy()  # whole corpus: prior source
    n = total.sum()
    if n <= 0:
        raise NotEnoughData("the counts are all zero (no words left after stop words and min_count); "
                            "nothing to compare")
    y_i = pooled[tgt].sum(axis=1).to_numpy()
    y_j = pooled[ref].sum(axis=1).to_numpy()
    n_i, n_j = y_i.sum(), y_j.sum()
    a_w = alpha0 * total / n
    delta, variance, z = log_odds_dirichlet(y_i, y_j, alpha0=alpha0, prior=total)
    both = (y_i + y_j).astype(np.int64)
    low = both < min_count
    warning = np.where(low, [f"only {b} occurrence{'s' if b != 1 else ''} "
                             f"(< min_count={min_count}): too few to mean anything"
                             for b in both], "")
    out = pd.DataFrame({
        "count_target": y_i.astype(np.int64), "count_reference": y_j.astype(np.int64),
        "prior": a_w, "delta": delta, "variance": variance, "z": z,
        "low_count": low, "warning": pd.array(warning, dtype="string"),
    }, index=pd.Index(counts.index.astype(str), name="term"))
    out = out[(out["count_target"] + out["count_reference"]) > 0]
    out = out.iloc[np.lexsort((out.index.to_numpy(), -out["z"].round(12).to_numpy()))]
    name_t = "+".join(map(str, tgt))
    name_r = "+".join(map(str, ref))
    small = bool(min(n_i, n_j) < min_words)
    messages = []
    shaky = out[(out["z"].abs() >= 1.96) & out["low_count"]]
    if len(shaky):
        messages.append(
            f"{name_t} vs {name_r}: {len(shaky)} of {int((out['z'].abs() >= 1.96).sum())} "
            f"words with |z| >= 1.96 occur fewer than min_count={min_count} times; their "
            "z-scores carry no meaning (see the 'low_count' and 'warning' columns)")
    if small:
        messages.append(
            f"{name_t} vs {name_r}: only {int(n_i)} vs {int(n_j)} words (< min_words="
            f"{min_words}); distinctive words of so little text are anecdotes, not evidence")
    out["n_target"] = np.int64(n_i)
    out["n_reference"] = np.int64(n_j)
    out["small_sample"] = small
    if warn:
        for msg in messages:
            warnings.warn(msg, KeynessWarning, stacklevel=2)
    return out


def keyness_by_outlet(counts: pd.DataFrame, *, alpha0: float = 100.0, min_count: int = 5,
                      min_words: int = 1000, top: int | None = None,
                      warn: bool = True) -> pd.DataFrame:
    """Each label (outlet) against all the others, stacked into one tidy table.

    Parameters
    ----------
    counts : pandas.DataFrame
        Terms x labels, as from :func:`term_counts`.
    alpha0, min_count, min_words : see :func:`keyness`.
    top : int or None, default None
        Keep only the ``top`` highest-z words per outlet (None keeps all).
    warn : bool, default True
        Emit the :class:`KeynessWarning` of each comparison (see :func:`keyness`).

    Returns
    -------
    pandas.DataFrame
        Columns ``outlet``, ``rank`` (1 = most distinctive), ``term``, the
        columns of :func:`keyness`, and ``n_words`` (the outlet's word count) and
        ``small_sample`` (outlet or rest below ``min_words``); RangeIndex; sorted by
        outlet then rank. The gates are data: ``low_count`` and ``warning`` per
        word, ``small_sample`` per outlet (their messages are emitted as
        :class:`KeynessWarning` when ``warn``).

    Examples
    --------
    >>> c = pd.DataFrame({"A": [10, 0, 90], "B": [0, 10, 90]},
    ...                  index=pd.Index(["kyiv", "kiev", "the"], name="term"))
    >>> keyness_by_outlet(c, alpha0=10, top=1, warn=False)[["outlet", "term", "z"]].round(2)
      outlet  term     z
    0      A  kyiv  2.17
    1      B  kiev  2.17
    """
    if top is not None and (not isinstance(top, (int, np.integer)) or top < 1):
        raise ValueError(f"top must be a positive integer or None, got {top!r}")
    _validate_counts(counts)
    parts = []
    for label in sorted(map(str, counts.columns)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", KeynessWarning)
            k = keyness(counts.rename(columns=str), target=label, alpha0=alpha0,
                        min_count=min_count, min_words=min_words, warn=warn)
        for w in caught:  # re-emitted from here, so the warning names the caller's line
            warnings.warn(w.message, KeynessWarning, stacklevel=2)
        if top is not None:
            k = k.head(top)
        k = k.reset_index().rename(columns={"n_target": "n_words"}).drop(columns="n_reference")
        k = k[[c for c in k.columns if c != "small_sample"] + ["small_sample"]]
        k.insert(0, "rank", np.arange(1, len(k) + 1))
        k.insert(0, "outlet", label)
        parts.append(k)
    out = pd.concat(parts, ignore_index=True)
    out = out[["outlet", "rank", "term"] + [c for c in out.columns
                                            if c not in ("outlet", "rank", "term")]]
    return out


def keyness_evidence(table: pd.DataFrame, corpus: pd.DataFrame, *, top: int = 3,
                     max_sentences: int = 2, text_col: str = "text",
                     label_col: str = "outlet") -> pd.DataFrame:
    """The sentences behind each outlet's most distinctive words.

    For each outlet of ``table`` (from :func:`keyness_by_outlet`) and each of its
    ``top`` words with ``z > 0``, the first ``max_sentences`` sentences of that
    outlet containing the word (as a :func:`framelens.text.words` token).

    Returns
    -------
    pandas.DataFrame
        Columns ``outlet``, ``rank``, ``term``, ``z``, ``low_count``, ``doc_id``,
        ``sentence``; sorted by outlet, rank, then document order.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"],
    ...                        "text": ["Kyiv said no. Kyiv waits.", "Kiev said yes."]})
    >>> k = keyness_by_outlet(term_counts(corpus), alpha0=1, warn=False)
    >>> keyness_evidence(k, corpus, top=1)[["outlet", "term", "sentence"]].to_dict("records")
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'outlet': 'A', 'term': 'kyiv', 'sentence': 'Kyiv said no.'},
     {'outlet': 'A', 'term': 'kyiv', 'sentence': 'Kyiv waits.'},
     {'outlet': 'B', 'term': 'kiev', 'sentence': 'Kiev said yes.'}]
    """
    from framelens.text import sentences

    for col in ("outlet", "rank", "term", "z"):
        if col not in table.columns:
            raise ValueError(f"table lacks column {col!r}; pass keyness_by_outlet() output")
    if not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"top must be a positive integer, got {top!r}")
    sents = sentences(corpus, text_col=text_col, label_col=label_col)
    sents["outlet"] = sents["outlet"].astype(str)
    tokens = sents["sentence"].map(lambda t: set(words(t)))
    rows = []
    for outlet, part in table[table["z"] > 0].groupby("outlet", sort=True):
        mine = sents["outlet"] == str(outlet)
        for r in part.sort_values("rank").head(top).itertuples(index=False):
            hit = sents[mine & tokens.map(lambda ts, t=r.term: t in ts)].head(max_sentences)
            for d, sentence in zip(hit["doc_id"], hit["sentence"]):
                rows.append((outlet, r.rank, r.term, r.z,
                             bool(getattr(r, "low_count", False)), d, sentence))
    out = pd.DataFrame(rows, columns=["outlet", "rank", "term", "z", "low_count", "doc_id",
                                      "sentence"])
    return out.astype({"rank": "int64", "z": "float64", "low_count": "bool"})


def plot_keyness(table: pd.DataFrame, *, n: int = 10, ax: Axes | None = None,
                 title: str | None = None, target: str = "target",
                 reference: str = "the rest") -> Axes:
    """Horizontal bars of the ``n`` most and least distinctive words of one comparison.

    Bars are z-scores; words below the minimum-count gate are drawn hatched and
    pale (explained in a legend), so a reader sees at a glance which
    "distinctive" words rest on a handful of occurrences.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`keyness` (index ``term``) or one outlet's rows of
        :func:`keyness_by_outlet` (column ``term``).
    n : int, default 10
        Words shown at each end (most typical of target, most typical of reference).
    ax : matplotlib Axes, optional
    title : str, optional
        Defaults to a title naming the top word and the comparison.
    target, reference : str, default "target", "the rest"
        Names of the two sides, for the axis label and the default title.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> c = pd.DataFrame({"A": [10, 0, 90], "B": [0, 10, 90]},
    ...                  index=pd.Index(["kyiv", "kiev", "the"], name="term"))
    >>> ax = plot_keyness(keyness(c, target="A", alpha0=10, warn=False), n=2)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['kiev', 'the', 'kyiv']
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    for col in ("z", "low_count"):
        if col not in table.columns:
            raise ValueError(f"table lacks column {col!r}; pass the output of keyness()")
    t = table.set_index("term") if "term" in table.columns else table
    t = t.sort_values("z", ascending=False, kind="mergesort")
    shown = pd.concat([t.head(n), t.tail(n)])
    shown = shown[~shown.index.duplicated()].sort_values("z", kind="mergesort")
    ax = new_axes(ax, figsize=(6.0, max(2.5, 0.28 * len(shown) + 1)))
    colors = [PALETTE[0] if z > 0 else PALETTE[1] for z in shown["z"]]
    bars = ax.barh(range(len(shown)), shown["z"], color=colors)
    for bar, low in zip(bars, shown["low_count"]):
        if low:
            bar.set_alpha(0.35)
            bar.set_hatch("///")
    ax.set_yticks(range(len(shown)), [str(term) for term in shown.index])
    if shown["low_count"].any():
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(facecolor=PALETTE[0], alpha=0.35, hatch="///",
                                 label="hatched: too few occurrences to score")],
                  frameon=False, loc="lower right", fontsize=9)
    ax.axvline(0, color="black", linewidth=0.8)
    for x in (-1.96, 1.96):
        ax.axvline(x, color="grey", linewidth=0.6, linestyle=":")
    tgt, ref = str(target), str(reference)
    ax.set_xlabel(f"z-score of log-odds ratio (> 0: more typical of {tgt})")
    if title is None:
        top = shown.index[-1]
        gate = " (hatched: too few occurrences)" if shown["low_count"].any() else ""
        title = f"{tgt}: '{top}' is the most distinctive word vs {ref}{gate}"
    ax.set_title(title)
    return ax


def plot_keyness_by_outlet(table: pd.DataFrame, *, n: int = 5,
                           axes: Sequence[Axes] | None = None,
                           order: Sequence[str] | None = None,
                           colours: dict[str, str] | None = None,
                           min_count: int | None = None) -> list[Axes]:
    """Small multiples: each outlet's ``n`` highest-scoring words (z > 0), one panel each,
    stacked vertically on a shared z axis that starts at 0.

    Words below the minimum-count gate are hatched and pale; the legend says what
    hatching means. The panel title gives the outlet and its word count.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`keyness_by_outlet`.
    n : int, default 5
        Words per outlet.
    axes : sequence of Axes, optional
        One per outlet; default a new figure with one column of panels.
    order : sequence of str, optional
        Outlet order (:func:`framelens.viz.outlet_order`); default sorted by name.
    colours : dict, optional
        Outlet -> bar colour (:func:`framelens.viz.outlet_colours`); default one blue.
    min_count : int, optional
        The gate behind ``low_count``, named in the legend ("fewer than 5 occurrences").

    Returns
    -------
    list of matplotlib.axes.Axes

    Examples
    --------
    >>> c = pd.DataFrame({"A": [10, 0, 90], "B": [0, 10, 90]},
    ...                  index=pd.Index(["kyiv", "kiev", "the"], name="term"))
    >>> axs = plot_keyness_by_outlet(keyness_by_outlet(c, alpha0=10, warn=False), n=1, order=["B", "A"])
    >>> [ax.get_title(loc="left") for ax in axs]
    ['B (100 words)', 'A (100 words)']
    >>> float(axs[0].get_xlim()[0])
    0.0
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    import matplotlib.pyplot as plt

    from framelens.viz import outlet_order

    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    for col in ("outlet", "term", "z", "low_count"):
        if col not in table.columns:
            raise ValueError(f"table lacks column {col!r}; pass keyness_by_outlet() output")
    outlets = outlet_order(table["outlet"].astype(str), order=order)
    if axes is None:
        fig, grid = plt.subplots(len(outlets), 1, sharex=True, squeeze=False,
                                 figsize=(6.5, (0.3 * n + 0.75) * len(outlets) + 0.9),
                                 layout="constrained")
        axes = list(grid[:, 0])
    axes = list(axes)
    if len(axes) != len(outlets):
        raise ValueError(f"need one Axes per outlet ({len(outlets)}), got {len(axes)}")
    top = float(table["z"].max()) if len(table) else 1.0
    any_low = False
    for ax, outlet in zip(axes, outlets):
        colour = (colours or {}).get(outlet, PALETTE[0])
        part = table[(table["outlet"].astype(str) == outlet) & (table["z"] > 0)]
        part = part.sort_values("z", ascending=False, kind="mergesort").head(n)[::-1]
        bars = ax.barh(range(len(part)), part["z"], color=colour)
        for bar, low in zip(bars, part["low_count"]):
            if low:
                any_low = True
                bar.set_alpha(0.35)
                bar.set_hatch("///")
        ax.set_yticks(range(len(part)), [str(t) for t in part["term"]], fontsize=10)
        ax.axvline(1.96, color="grey", linewidth=0.8, linestyle=":")
        ax.set_xlim(0, max(2.2, top * 1.08))
        words_n = int(part["n_words"].iloc[0]) if "n_words" in part and len(part) else None
        ax.set_title(f"{outlet} ({words_n} words)" if words_n is not None else outlet,
                     fontsize=10, loc="left", color=colour, fontweight="bold")
    label = "z-score of the log-odds ratio, outlet vs the rest (dotted line: z = 1.96)"
    if any_low:  # said under the axis, where no bar can hide it
        gate = f"fewer than {min_count} occurrences in all texts" if min_count is not None else "too few occurrences"
        label += f"\nhatched, pale bars: {gate}"
    axes[-1].set_xlabel(label)
    return axes


def translation_groups(corpus: pd.DataFrame, *, label_col: str = "outlet",
                       translated_col: str = "translated") -> tuple[dict[str, str], str, str]:
    """Outlet groups for comparing machine-translated texts with the others.

    Outlets whose ``translated`` value is "yes" form "machine-translated", the
    rest "origin not stated". When the corpus has no translated outlet (or only
    translated ones) the comparison falls back to the first outlet in sorted
    order against "other outlets", so a notebook runs on any corpus.

    Returns
    -------
    tuple
        ``(groups, target, reference)``: outlet -> group mapping and the two group names.

    Examples
    --------
    >>> c = pd.DataFrame({"outlet": ["B", "A"], "translated": ["unknown", "unknown"]})
    >>> translation_groups(c)
    ({'A': 'A', 'B': 'other outlets'}, 'A', 'other outlets')
    >>> translation_groups(c.assign(translated=["yes", "no"]))[1:]
    ('machine-translated', 'origin not stated')
    """
    if label_col not in corpus.columns:
        raise ValueError(f"translation_groups: column {label_col!r} not in corpus "
                         f"(columns: {list(corpus.columns)})")
    flags = (corpus.get(translated_col, pd.Series("", index=corpus.index)).astype(str)
             .str.strip().str.lower().eq("yes"))
    by_outlet = flags.groupby(corpus[label_col].astype(str)).any()
    if by_outlet.any() and not by_outlet.all():
        groups = {o: ("machine-translated" if t else "origin not stated")
                  for o, t in by_outlet.items()}
        return groups, "machine-translated", "origin not stated"
    first = sorted(by_outlet.index)[0]
    return ({o: (o if o == first else "other outlets") for o in sorted(by_outlet.index)},
            first, "other outlets")
