"""Rates of lexicon hits per outlet and register, with exact Poisson intervals, and their figure.

:func:`register_rates` (every outlet x register), :func:`voice_rates` (narration and quotation
apart), :func:`poisson_interval` (the exact interval of a count) and
:func:`plot_register_rates`.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from framelens.plots import PALETTE, new_axes
from framelens.text import count_words
from framelens.wording.hits import VOICES, quote_index
from framelens.wording.loading import REGISTERS

__all__ = ["poisson_interval", "register_rates", "voice_rates", "plot_register_rates"]


def poisson_interval(hits: int | np.ndarray, *, confidence: float = 0.95
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) Poisson interval of a count.

    ``low = chi2.ppf(a/2, 2k) / 2`` (0 when ``k = 0``) and
    ``high = chi2.ppf(1 - a/2, 2k + 2) / 2`` with ``a = 1 - confidence``; divide by
    the exposure (words / per) for a rate's interval.

    Examples
    --------
    >>> low, high = poisson_interval(np.array([0, 4]))
    >>> [round(float(x), 3) for x in low], [round(float(x), 3) for x in high]
    ([0.0, 1.09], [3.689, 10.242])
    """
    from scipy.stats import chi2

    if not 0 < confidence < 1:
        raise ValueError(f"confidence={confidence!r} must lie strictly between 0 and 1")
    k = np.asarray(hits, dtype=float)
    a = 1 - confidence
    low = np.where(k > 0, chi2.ppf(a / 2, 2 * np.maximum(k, 1)) / 2, 0.0)
    high = chi2.ppf(1 - a / 2, 2 * k + 2) / 2
    return low, high


def _rate_table(counts: pd.Series, words: pd.Series, keys: list[tuple], names: list[str],
                per: int, confidence: float) -> pd.DataFrame:
    counted, worded = counts.to_dict(), words.to_dict()  # a dict lookup per key, not an index's
    h = np.array([int(counted.get(k, 0)) for k in keys], dtype=np.int64)
    w = np.array([int(worded.get(k[:-1] if len(k) > 2 else k[0], 0)) for k in keys], dtype=np.int64)
    low, high = poisson_interval(h, confidence=confidence)
    scale = np.divide(per, w, out=np.full(len(w), np.nan), where=w > 0)
    columns: dict[str, Any] = {c: pd.array([k[j] for k in keys], dtype="string") for j, c in enumerate(names)}
    columns.update(hits=h, words=w, rate=h * scale, low=low * scale, high=high * scale)
    return pd.DataFrame(columns)


def _check_rates_args(hits: pd.DataFrame, per: Any, confidence: float) -> None:
    if isinstance(per, bool) or not isinstance(per, (int, np.integer)) or per <= 0:
        raise ValueError(f"per must be a positive integer, got {per!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence={confidence!r} must lie strictly between 0 and 1")
    for col in ("outlet", "register"):
        if col not in hits.columns:
            raise ValueError(f"hits lacks column {col!r}; pass the output of lexicon_hits()")


def register_rates(hits: pd.DataFrame, corpus: pd.DataFrame, *, text_col: str = "text",
                   label_col: str = "outlet", per: int = 1000,
                   doc_words: Sequence[int] | np.ndarray | None = None,
                   confidence: float = 0.95) -> pd.DataFrame:
    """Hits per register per outlet, the rate per ``per`` words and its interval.

    ``rate = hits / words * per``, with ``words`` the outlet's token count
    (:func:`framelens.text.count_words` over ``text_col``); ``low``/``high`` is the
    exact Poisson interval of the count (:func:`poisson_interval`) on the same scale.
    Two outlets whose intervals overlap are not shown to differ.

    ``doc_words`` gives each row's word count when it is known already (the row sums
    of :func:`framelens.text.word_matrix`), so the texts are not tokenised again.

    Returns
    -------
    pandas.DataFrame
        Tidy, every outlet x register (zeros included): ``outlet``, ``register``,
        ``hits``, ``words``, ``rate`` (per ``per`` words; pass the same ``per`` to
        :func:`plot_register_rates`), ``low``, ``high`` (the exact Poisson interval of
        the rate); sorted by outlet, register order of :data:`~framelens.wording.loading.REGISTERS`.

    Examples
    --------
    >>> from framelens.wording.hits import lexicon_hits
    >>> df = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"],
    ...                    "text": ["The dictator may go.", "The president went home."]})
    >>> r = register_rates(lexicon_hits(df), df)
    >>> r[r["hits"] > 0][["outlet", "register", "hits", "words", "rate"]].to_dict("records")
    [{'outlet': 'A', 'register': 'delegitimising', 'hits': 1, 'words': 4, 'rate': 250.0}]
    """
    _check_rates_args(hits, per, confidence)
    if doc_words is None:
        per_doc = corpus[text_col].map(count_words)
    else:
        given = np.asarray(doc_words, dtype=np.int64).ravel()
        if len(given) != len(corpus):
            raise ValueError(f"doc_words has {len(given)} counts for {len(corpus)} rows of corpus")
        per_doc = pd.Series(given, index=corpus.index)
    n_words = per_doc.groupby(corpus[label_col].astype(str)).sum()
    keys_ = [hits["outlet"].astype(str), hits["register"].astype(str)]
    # a table of counts (count_hits) is summed; a table of hits (lexicon_hits) counted
    counts = (hits.groupby(keys_)["hits"].sum() if "hits" in hits.columns
              else hits.groupby(keys_).size())
    keys = [(o, r) for o in sorted(n_words.index) for r in REGISTERS]
    out = _rate_table(counts, n_words, keys, ["outlet", "register"], int(per), confidence)
    return out


def voice_rates(hits: pd.DataFrame, corpus: pd.DataFrame, *, quotes: pd.DataFrame,
                text_col: str = "text", label_col: str = "outlet", per: int = 1000,
                confidence: float = 0.95) -> pd.DataFrame:
    """Rates per outlet and register, for the outlet's narration and its quotations apart.

    Words are split by the same ``quotes`` table the hits were marked with: an
    outlet's ``quotation`` words are the :func:`framelens.text.count_words` of its
    quoted passages (overlapping passages counted once), its ``narration`` words
    the rest. ``rate = hits / words * per`` within each voice, with the exact
    Poisson interval (:func:`poisson_interval`).

    Returns
    -------
    pandas.DataFrame
        Every outlet x voice x register: ``outlet``, ``voice``, ``register``,
        ``hits``, ``words``, ``rate``, ``low``, ``high``.

    Examples
    --------
    >>> from framelens.wording.hits import lexicon_hits
    >>> df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"],
    ...                    "text": ['The dictator fell. "A brutal end," Ann said.']})
    >>> q = pd.DataFrame({"doc_id": ["a"], "start": [20], "end": [32], "speaker": ["Ann"]})
    >>> r = voice_rates(lexicon_hits(df, quotes=q), df, quotes=q)
    >>> r[r["hits"] > 0][["voice", "register", "hits", "words", "rate"]].round(1).to_dict("records")
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'voice': 'narration', 'register': 'delegitimising', 'hits': 1, 'words': 5, 'rate': 200.0},
     {'voice': 'quotation', 'register': 'negative', 'hits': 1, 'words': 3, 'rate': 333.3}]
    """
    _check_rates_args(hits, per, confidence)
    if "voice" not in hits.columns or hits["voice"].isna().any():
        raise ValueError("hits have no voice; make them with lexicon_hits(..., quotes=) using the "
                         "same quotes table")
    qindex = quote_index(quotes)
    ids = corpus["doc_id"].tolist() if "doc_id" in corpus.columns else corpus.index.tolist()
    words: dict[tuple[str, str], int] = {}
    for doc_id, outlet, text in zip(ids, corpus[label_col].astype(str), corpus[text_col]):
        total = count_words(text)
        quoted = 0
        end = -1
        for qs, qe, _ in qindex.get(doc_id, ([], []))[1]:
            qs = max(qs, end)
            if qe > qs:
                quoted += count_words(text[qs:qe])
                end = qe
        words[(outlet, "narration")] = words.get((outlet, "narration"), 0) + total - quoted
        words[(outlet, "quotation")] = words.get((outlet, "quotation"), 0) + quoted
    counts = hits.groupby([hits["outlet"].astype(str), hits["voice"].astype(str),
                           hits["register"].astype(str)]).size()
    outlets = sorted({o for o, _ in words})
    keys = [(o, v, r) for o in outlets for v in VOICES for r in REGISTERS]
    out = _rate_table(counts, pd.Series(words), keys, ["outlet", "voice", "register"], int(per),
                      confidence)
    return out


def plot_register_rates(rates: pd.DataFrame, *, registers: Sequence[str] | None = None,
                        ax: Axes | None = None, title: str | None = None,
                        per: int = 1000) -> Axes:
    """Grouped horizontal bars: rate per 1,000 words of each register, per outlet.

    When ``rates`` has ``low`` and ``high`` (:func:`register_rates`), each bar carries
    its interval as an error bar; the raw hit count is written at the bar's end.

    Parameters
    ----------
    rates : pandas.DataFrame
        Output of :func:`register_rates` (or one voice of :func:`voice_rates`).
    registers : list of str, optional
        Registers to show, in order (default: all of :data:`~framelens.wording.loading.REGISTERS`).
    ax : matplotlib Axes, optional
    title : str, optional
        Default names the outlet with the highest rate of the first register shown.
    per : int, default 1000
        The ``per`` the rates were computed with (:func:`register_rates`), for the labels.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> r = pd.DataFrame({"outlet": ["A", "A", "B", "B"],
    ...                   "register": ["delegitimising", "neutral"] * 2,
    ...                   "hits": [2, 1, 0, 3], "words": [100, 100, 100, 100],
    ...                   "rate": [20.0, 10.0, 0.0, 30.0]})
    >>> ax = plot_register_rates(r, registers=["delegitimising", "neutral"])
    >>> ax.get_title()
    'A uses the most delegitimising wording (20.0 per 1,000 words)'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    regs = list(registers) if registers is not None else list(REGISTERS)
    bad = sorted(set(regs) - set(REGISTERS))
    if bad:
        raise ValueError(f"unknown register(s) {bad}; allowed: {list(REGISTERS)}")
    for col in ("outlet", "register", "rate"):
        if col not in rates.columns:
            raise ValueError(f"rates lacks column {col!r}; pass the output of register_rates()")
    if isinstance(per, bool) or not isinstance(per, (int, np.integer)) or per <= 0:
        raise ValueError(f"per must be a positive integer, got {per!r}")
    per = int(per)

    def wide(col: str) -> pd.DataFrame:
        return rates.pivot_table(index="outlet", columns="register", values=col, aggfunc="sum",
                                 observed=True).reindex(index=outlets, columns=regs).fillna(0.0)

    outlets = sorted(map(str, rates["outlet"].unique()), reverse=True)
    rate = wide("rate")
    ax = new_axes(ax, figsize=(7.0, 0.9 * len(rate) + 1.2))
    hits = wide("hits").astype(int) if "hits" in rates.columns else None
    bounds = (wide("low"), wide("high")) if {"low", "high"} <= set(rates.columns) else None
    h = 0.8 / len(regs)
    y = np.arange(len(rate))
    for j, reg in enumerate(regs):
        pos = y + (len(regs) - 1 - j - (len(regs) - 1) / 2) * h
        xerr = None
        if bounds is not None:
            xerr = np.vstack([rate[reg] - bounds[0][reg], bounds[1][reg] - rate[reg]]).clip(0)
        ax.barh(pos, rate[reg], height=h, color=PALETTE[j % len(PALETTE)], label=reg, xerr=xerr,
                error_kw={"elinewidth": 0.7, "ecolor": "#555555", "capsize": 1.5})
        if hits is not None:
            for yy, val, n in zip(pos, rate[reg], hits[reg]):
                ax.text(val, yy, f" {n}", va="center", fontsize=9, color="#444444")
    ax.set_yticks(y, rate.index)
    label = f"hits per {per:,} words"
    if hits is not None:
        label += " (raw hit counts at the bar ends"
        label += "; lines: 95% exact Poisson intervals)" if bounds is not None else ")"
    ax.set_xlabel(label)
    ax.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if title is None:
        first = regs[0]
        top = rate[first].idxmax()
        title = (f"{top} uses the most {first} wording "
                 f"({rate.loc[top, first]:.1f} per {per:,} words)")
    ax.set_title(title)
    return ax
