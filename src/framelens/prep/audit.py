"""The cleaning audit summarised: each article's length before and after, what each outlet lost
to each rule, and one figure of it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from framelens.io.rows import DESCRIPTIVE_COLUMNS, UNKNOWN
from framelens.prep.rules import RULES
from framelens.text import count_words

if TYPE_CHECKING:  # matplotlib is imported only when a figure is drawn
    from matplotlib.axes import Axes

__all__ = ["describe_corpus", "audit_summary", "plot_removed"]


# A word, for describe_corpus and the too-short check of prepare, is a framelens.text.WORD
# match (count_words, word_matrix): one definition, so every word count in a report agrees.

_DESCRIBE_COLUMNS = [
    "doc_id", "outlet", "origin_language", "translated", "date",
    "words_raw", "words", "chars_raw", "chars", "chars_removed", "spans_removed",
]


def describe_corpus(corpus: pd.DataFrame, audit: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per article: who published it, its length before and after cleaning.

    Parameters
    ----------
    corpus : pandas.DataFrame
        From :func:`~framelens.corpus.load_corpus`, optionally cleaned by
        :func:`~framelens.prep.clean.clean` (then it has a ``text`` column; otherwise
        ``text_raw`` counts for both).
    audit : pandas.DataFrame, optional
        The audit from :func:`~framelens.prep.clean.clean`; gives ``chars_removed`` and
        ``spans_removed`` (0 when omitted).

    Returns
    -------
    pandas.DataFrame
        Sorted by doc_id, RangeIndex, columns ``doc_id, outlet,
        origin_language, translated, date`` (as loaded; ``unknown`` where the
        manifest does not say), ``words_raw`` and ``words`` (number of words
        before and after cleaning; a word is a run of letters or digits joined
        by inner apostrophes or hyphens, so "Ukraine's" and "33-month-old" are
        one word each), ``chars_raw`` and ``chars`` (characters before and after
        cleaning, whitespace included), ``chars_removed`` (characters in the
        audited spans; ``chars_raw - chars`` is larger when cleaning also tidied
        whitespace) and ``spans_removed`` (number of audited spans).

    Examples
    --------
    >>> from framelens.prep.clean import clean
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "outlet": ["Daily A"],
    ...                        "text_raw": ["Kyiv's plan, Nov. 29. Share"]})
    >>> cleaned, audit = clean(corpus)
    >>> describe_corpus(cleaned, audit)[["outlet", "words_raw", "words", "chars_raw", "chars", "spans_removed"]]
        outlet  words_raw  words  chars_raw  chars  spans_removed
    0  Daily A          5      4         27     21              1
    """
    for col in ("doc_id", "text_raw"):
        if col not in corpus.columns:
            raise ValueError(f"corpus has no column {col!r}; pass a corpus from load_corpus (columns: "
                             f"{', '.join(map(str, corpus.columns))}).")
    text = corpus["text"] if "text" in corpus.columns else corpus["text_raw"]
    out = pd.DataFrame({
        "doc_id": corpus["doc_id"].to_numpy(),
        "outlet": (corpus["outlet"] if "outlet" in corpus.columns else corpus["doc_id"]).to_numpy(),
    })
    for col in DESCRIPTIVE_COLUMNS:
        out[col] = corpus[col].to_numpy() if col in corpus.columns else UNKNOWN
    out["words_raw"] = [count_words(t) for t in corpus["text_raw"]]
    out["words"] = [count_words(t) for t in text]
    out["chars_raw"] = [len(t) for t in corpus["text_raw"]]
    out["chars"] = [len(t) for t in text]
    if audit is not None and len(audit):
        lengths = (audit["end"] - audit["start"]).groupby(audit["doc_id"]).agg(["sum", "size"])
        out["chars_removed"] = out["doc_id"].map(lengths["sum"]).fillna(0).astype("int64")
        out["spans_removed"] = out["doc_id"].map(lengths["size"]).fillna(0).astype("int64")
    else:
        out["chars_removed"] = 0
        out["spans_removed"] = 0
    out = out.astype({c: "int64" for c in _DESCRIBE_COLUMNS[5:]})
    return out.sort_values("doc_id", kind="stable").reset_index(drop=True)[_DESCRIBE_COLUMNS]


def audit_summary(audit: pd.DataFrame) -> pd.DataFrame:
    """What cleaning removed, per outlet and rule: spans and characters.

    Parameters
    ----------
    audit : pandas.DataFrame
        The audit from :func:`~framelens.prep.clean.clean`.

    Returns
    -------
    pandas.DataFrame
        One row per (outlet, rule) that removed something, sorted by outlet
        then rule, RangeIndex, columns ``outlet``, ``rule``, ``spans`` (number
        of removed spans) and ``chars`` (characters removed).

    Examples
    --------
    >>> from framelens.prep.clean import clean
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"],
    ...                        "text_raw": ["Kyiv. Share\\nSource: A\\nSource: B"]})
    >>> audit_summary(clean(corpus)[1])
      outlet           rule  spans  chars
    0      A  share-residue      1      5
    1      A    source-line      2     18
    """
    missing = {"outlet", "rule", "start", "end"} - set(audit.columns)
    if missing:
        raise ValueError(f"audit lacks column(s) {sorted(missing)}; pass the audit returned by clean().")
    chars = (audit["end"] - audit["start"]).rename("chars")
    out = (pd.concat([audit[["outlet", "rule"]], chars], axis=1)
           .groupby(["outlet", "rule"], sort=True)["chars"].agg(spans="size", chars="sum")
           .reset_index())
    return out.astype({"spans": "int64", "chars": "int64"})


def plot_removed(audit: pd.DataFrame, corpus: pd.DataFrame, *, ax: Axes | None = None,
                 title: str | None = None, max_outlets: int = 40) -> Axes:
    """Horizontal bars: characters each outlet lost to cleaning, stacked by rule.

    An outlet with several articles is one bar (its articles summed).

    Parameters
    ----------
    audit : pandas.DataFrame
        The audit from :func:`~framelens.prep.clean.clean`.
    corpus : pandas.DataFrame
        The corpus (for every outlet, including those that lost nothing, and
        the raw lengths used in the title).
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    title : str, optional
        Defaults to a sentence naming the outlet that lost the largest share of
        its characters.
    max_outlets : int, default 40
        With more outlets than this, only the ``max_outlets`` that lost the most
        characters are drawn, and the y label says how many are left out.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from framelens.prep.clean import clean
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"],
    ...                        "text_raw": ["Kyiv. Share", "Kyiv said."]})
    >>> ax = plot_removed(clean(corpus)[1], corpus)
    >>> ax.get_title()
    'A lost the largest share to page furniture: 5 of 11 characters (45%)'
    >>> plt.close(ax.figure)
    """
    from framelens.plots import PALETTE, new_axes

    if not isinstance(max_outlets, int) or isinstance(max_outlets, bool) or max_outlets < 1:
        raise ValueError(f"max_outlets={max_outlets!r} is not allowed; use a positive integer.")
    desc = describe_corpus(corpus, audit)
    per_outlet = (desc.groupby("outlet", sort=False)[["chars_raw", "chars_removed"]].sum()
                  .astype("int64"))  # first outlet in file order first
    shown = per_outlet
    if len(per_outlet) > max_outlets:
        order = per_outlet["chars_removed"].sort_values(ascending=False, kind="stable")
        shown = per_outlet.loc[order.index[:max_outlets]]
    outlets = shown.index.tolist()[::-1]  # first at the top
    summary = audit_summary(audit)
    rules = [r.name for r in RULES if r.name in set(summary["rule"])]
    rules += sorted(set(summary["rule"]) - set(rules))
    ax = new_axes(ax, figsize=(7.5, 0.45 * len(outlets) + 1.6))
    left = pd.Series(0, index=outlets, dtype="int64")
    for i, rule in enumerate(rules):
        part = summary[summary["rule"] == rule].set_index("outlet")["chars"]
        width = part.reindex(outlets).fillna(0).astype("int64")
        ax.barh(outlets, width, left=left, color=PALETTE[i % len(PALETTE)], label=rule)
        left = left + width
    for y, total in enumerate(left):
        ax.text(total, y, f" {total}", va="center", fontsize=8)
    ax.set_xlabel("characters removed by cleaning")
    left_out = len(per_outlet) - len(shown)
    ax.set_ylabel("outlet" if not left_out else
                  f"outlet ({len(shown)} that lost most; {left_out} more not shown)")
    if rules:
        ax.legend(title="rule", fontsize=8, title_fontsize=8, frameon=False, loc="lower right")
    if title is None:
        share = per_outlet["chars_removed"] / per_outlet["chars_raw"].where(per_outlet["chars_raw"] > 0)
        top = share.fillna(0).idxmax()
        row = per_outlet.loc[top]
        if row["chars_removed"] == 0:
            title = "Cleaning removed nothing"
        else:
            title = (f"{top} lost the largest share to page furniture: "
                     f"{row['chars_removed']:,} of {row['chars_raw']:,} characters ({share[top]:.0%})")
    ax.set_title(title)
    return ax
