"""Across-story outlet contrasts: outlets compared on the stories they both cover.

A corpus of many stories mixes events: an outlet that covered more wars than
elections "uses" more war words without framing anything. Every measure is
therefore compared **within stories** and only then summarised across them:

* :func:`paired_contrasts` compares two outlets (or two groups of outlets, e.g.
  AllSides lean) on each story both cover, as the paired difference of a
  measure, then gives the mean difference over those stories, the number of
  stories behind it and a percentile bootstrap interval over stories (stories
  are resampled, not articles or words: the story is the unit of replication).
* :func:`rate_contrasts` does the same for a rate (hits per 1,000 words),
  computing each outlet's rate within a story from its summed counts and words.
* :func:`contrast_evidence` lists the sentences that carry a contrast: the
  hits of the two outlets in the stories behind it.
* :func:`keyness_within_stories` gives each outlet's distinctive words against
  the *same stories'* other outlets (log-odds with an informative Dirichlet
  prior, Monroe, Colaresi and Quinn 2008, stratified by story), and sets house
  style (honorifics, abbreviated titles, the outlet's own name) apart, from the
  editable list ``framelens/data/house_style.csv`` (:func:`house_style_terms`).

Stories with a single outlet enter no contrast; :func:`coverage` says which
outlet covers which story. :func:`within_stories` runs any analysis (DataFrame
in, tidy DataFrame out) inside each story, so that no article is aligned with,
matched against or clustered with another story's articles, and lists the
stories it left out and why.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from importlib import resources

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framelens.keyness import log_odds_dirichlet
from framelens.notes import NotEnoughData

__all__ = ["within_stories", "coverage", "paired_contrasts", "rate_contrasts", "contrast_evidence", "false_discovery",
           "house_style_terms", "keyness_within_stories", "HOUSE_STYLE_KINDS"]

#: Kinds of house-style words in ``data/house_style.csv``; ``outlet name`` words are
#: derived from the outlets' own names by :func:`house_style_terms`.
HOUSE_STYLE_KINDS = ("honorific", "abbreviated title", "title written out", "credit line",
                     "outlet name")


def _need(df: pd.DataFrame, cols: Sequence[str], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{what} lacks column(s) {missing}; it has {sorted(map(str, df.columns))}")


def _check_boot(n_boot: int, random_state: int, level: float) -> None:
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise ValueError(f"n_boot must be an integer >= 0, got {n_boot!r}")
    if isinstance(random_state, bool) or not isinstance(random_state, (int, np.integer)):
        raise ValueError(f"random_state must be an integer seed, got {random_state!r}")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")


def within_stories(articles: pd.DataFrame, analysis: Callable[[pd.DataFrame], pd.DataFrame], *,
                   story_col: str = "story", outlet_col: str = "outlet",
                   min_outlets: int = 2) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run ``analysis`` on each story's articles alone and stack the results.

    Parameters
    ----------
    articles : pandas.DataFrame
        One row per article with ``story_col`` and ``outlet_col``.
    analysis : callable
        Takes one story's rows (a DataFrame), returns a DataFrame (e.g.
        ``lambda d: align(sentence_table(d))``).
    story_col, outlet_col : str
    min_outlets : int, default 2
        Stories covered by fewer outlets are not analysed (a comparison of outlets
        needs two) and are listed in the second table instead.

    Returns
    -------
    (results, skipped) : tuple of pandas.DataFrame
        ``results``: the analyses' rows with ``story_col`` as first column, in story
        order. ``skipped``: ``story``, ``n_articles``, ``n_outlets``, ``reason`` for
        each story not analysed (too few outlets, or
        :class:`framelens.notes.NotEnoughData` raised by the analysis, whose message
        is the reason). Any other exception propagates: a bug is not a note.

    >>> a = pd.DataFrame({"story": ["s1", "s1", "s2"], "outlet": ["A", "B", "A"], "n": [1, 2, 3]})
    >>> res, skipped = within_stories(a, lambda d: d[["outlet", "n"]].assign(total=d["n"].sum()))
    >>> res
      story outlet  n  total
    0    s1      A  1      3
    1    s1      B  2      3
    >>> skipped[["story", "n_outlets", "reason"]].values.tolist()
    [['s2', 1, 'covered by 1 outlet (A); comparing outlets needs 2']]
    """
    _need(articles, [story_col, outlet_col], "articles")
    if isinstance(min_outlets, bool) or not isinstance(min_outlets, (int, np.integer)) or min_outlets < 1:
        raise ValueError(f"min_outlets must be an integer >= 1, got {min_outlets!r}")
    frames, skipped = [], []
    for story, part in articles.groupby(articles[story_col].astype(str), sort=True):
        outlets = sorted(map(str, part[outlet_col].unique()))
        if len(outlets) < min_outlets:
            skipped.append((story, len(part), len(outlets),
                            f"covered by {len(outlets)} outlet{'s' if len(outlets) != 1 else ''} "
                            f"({', '.join(outlets)}); comparing outlets needs {min_outlets}"))
            continue
        try:
            out = analysis(part.reset_index(drop=True))
        except NotEnoughData as err:
            skipped.append((story, len(part), len(outlets), str(err)))
            continue
        out = out.drop(columns=[story_col], errors="ignore")
        out.insert(0, story_col, story)
        frames.append(out)
    results = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[story_col])
    return results, pd.DataFrame(skipped, columns=["story", "n_articles", "n_outlets", "reason"])


def coverage(articles: pd.DataFrame, *, story_col: str = "story",
             outlet_col: str = "outlet") -> pd.DataFrame:
    """Which outlet covers which story: articles per story (rows) and outlet (columns).

    >>> a = pd.DataFrame({"story": ["s1", "s1", "s2"], "outlet": ["A", "B", "A"]})
    >>> coverage(a)
    outlet  A  B
    story       
    s1      1  1
    s2      1  0
    """
    _need(articles, [story_col, outlet_col], "articles")
    table = pd.crosstab(articles[story_col].astype(str), articles[outlet_col].astype(str))
    table.index.name, table.columns.name = story_col, outlet_col
    return table.sort_index().sort_index(axis=1)


def _bootstrap(diffs: np.ndarray, n_boot: int, rng: np.random.Generator,
               level: float) -> tuple[float, float, float]:
    """(low, high, p): the percentile interval of the mean difference, and the bootstrap p-value."""
    if n_boot == 0 or len(diffs) < 2:
        return (np.nan, np.nan, np.nan)
    idx = rng.integers(0, len(diffs), size=(n_boot, len(diffs)))
    means = diffs[idx].mean(axis=1)
    tail = (1 - level) / 2
    lo, hi = np.quantile(means, [tail, 1 - tail])
    # two-sided, from the share of resampled means on the far side of 0 (Davison & Hinkley 1997,
    # eq. 4.11: (k + 1) / (B + 1) per side, so no p is 0 for a finite B)
    side = min(int((means <= 0).sum()), int((means >= 0).sum()))
    return float(lo), float(hi), min(1.0, 2 * (side + 1) / (n_boot + 1))


def paired_contrasts(values: pd.DataFrame, *, value_col: str, story_col: str = "story",
                     outlet_col: str = "outlet", groups: Mapping[str, str] | None = None,
                     min_stories: int = 1, n_boot: int = 2000, random_state: int = 0,
                     level: float = 0.95) -> pd.DataFrame:
    """Paired differences of a measure between outlets, on the stories both cover.

    For outlets (or groups) ``a`` and ``b`` let ``S_ab`` be the stories where both
    have a value; with ``v_a(s)`` the mean of ``value_col`` over ``a``'s rows of story
    ``s``, the contrast is ``mean_{s in S_ab} [v_a(s) - v_b(s)]``, with ``n_stories =
    |S_ab|``. The interval is the percentile bootstrap of that mean over stories
    (``n_boot`` resamples of ``S_ab`` with replacement, seeded by ``random_state``);
    with fewer than 2 stories it is missing (one story says nothing about spread).

    Parameters
    ----------
    values : pandas.DataFrame
        One row per article (or per story and outlet) with ``story_col``,
        ``outlet_col`` and a numeric ``value_col``.
    value_col : str
        The measure.
    story_col, outlet_col : str
        Column names.
    groups : mapping outlet -> group, optional
        Compare groups of outlets (e.g. lean left/center/right) instead of outlets:
        within a story, a group's value is the mean over its outlets' values.
        Outlets missing from the mapping are left out.
    min_stories : int, default 1
        Pairs sharing fewer stories are left out.
    n_boot : int, default 2000
    random_state : int, default 0
    level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per pair ``a < b``: ``a``, ``b``, ``n_stories`` (shared stories),
        ``n_differing`` (those where the two values differ: the stories that carry
        the contrast), ``mean_a``,
        ``mean_b``, ``difference`` (a minus b), ``ci_low``, ``ci_high``, ``p_boot``
        (two-sided bootstrap p-value of "no difference": with ``k`` the smaller of
        the numbers of resampled means ``<= 0`` and ``>= 0``,
        ``min(1, 2 (k + 1) / (n_boot + 1))``, Davison & Hinkley 1997; missing with
        the interval), ``stories`` (the story ids, ``;``-separated, sorted). Sorted by
        ``a``, ``b``. Many pairs and measures make some intervals exclude 0 by
        chance: :func:`false_discovery` adjusts ``p_boot`` over a whole table.

    Examples
    --------
    >>> v = pd.DataFrame({"story": ["s1", "s1", "s2", "s2", "s3"],
    ...                   "outlet": ["A", "B", "A", "B", "A"],
    ...                   "value": [3.0, 1.0, 2.0, 1.0, 9.0]})
    >>> paired_contrasts(v, value_col="value", n_boot=0)[["a", "b", "n_stories", "difference", "stories"]]
       a  b  n_stories  difference stories
    0  A  B          2         1.5   s1;s2
    """
    _need(values, [story_col, outlet_col, value_col], "values")
    _check_boot(n_boot, random_state, level)
    if isinstance(min_stories, bool) or not isinstance(min_stories, (int, np.integer)) or min_stories < 1:
        raise ValueError(f"min_stories must be an integer >= 1, got {min_stories!r}")
    df = values[[story_col, outlet_col, value_col]].copy()
    df[story_col] = df[story_col].astype(str)
    df[outlet_col] = df[outlet_col].astype(str)
    if not pd.api.types.is_numeric_dtype(df[value_col]):
        raise ValueError(f"{value_col!r} must be numeric, got dtype {df[value_col].dtype}")
    per = df.groupby([story_col, outlet_col], sort=True)[value_col].mean()
    if groups is not None:
        g = per.reset_index()
        g["unit"] = g[outlet_col].map({str(k): str(v) for k, v in groups.items()})
        g = g.dropna(subset=["unit"])
        per = g.groupby([story_col, "unit"], sort=True)[value_col].mean()
    return _pair_table(per.dropna(), min_stories=int(min_stories), n_boot=int(n_boot),
                       rng=np.random.default_rng(random_state), level=level)


_PAIR_COLS = ["a", "b", "n_stories", "n_differing", "mean_a", "mean_b", "difference", "ci_low",
              "ci_high", "p_boot", "stories"]


def _pair_table(per: pd.Series, *, min_stories: int, n_boot: int, rng: np.random.Generator,
                level: float) -> pd.DataFrame:
    """The rows of :func:`paired_contrasts` from ``per`` (index story, unit; no missing values).

    Only pairs sharing a story are visited (found from the sparse story x unit
    incidence ``M`` as the non-zero entries of ``M.T @ M``), in the order of
    ``combinations(sorted(units), 2)``, so the bootstrap draws the same random
    numbers as a loop over every pair would.
    """
    if not len(per):
        return pd.DataFrame(columns=_PAIR_COLS)
    s_codes, s_names = pd.factorize(per.index.get_level_values(0).astype(str), sort=True)
    u_codes, u_names = pd.factorize(per.index.get_level_values(1).astype(str), sort=True)
    values = per.to_numpy(dtype=float)
    order = np.lexsort((s_codes, u_codes))  # per unit, stories ascending
    bounds = np.searchsorted(u_codes[order], np.arange(len(u_names) + 1))
    st = [s_codes[order[bounds[u]:bounds[u + 1]]] for u in range(len(u_names))]
    va = [values[order[bounds[u]:bounds[u + 1]]] for u in range(len(u_names))]
    m = sp.csr_matrix((np.ones(len(per)), (s_codes, u_codes)), shape=(len(s_names), len(u_names)))
    shared = sp.triu(m.T @ m, k=1).tocoo()
    keep = shared.data >= min_stories
    pi, pj = shared.row[keep], shared.col[keep]
    pair_order = np.lexsort((pj, pi))
    names = np.asarray(s_names, dtype=object)
    rows = []
    for i, j in zip(pi[pair_order].tolist(), pj[pair_order].tolist()):
        common, ia, ib = np.intersect1d(st[i], st[j], assume_unique=True, return_indices=True)
        x, y = va[i][ia], va[j][ib]
        d = x - y
        lo, hi, p = _bootstrap(d, n_boot, rng, level)
        rows.append((str(u_names[i]), str(u_names[j]), len(d), int((d != 0).sum()), float(x.mean()),
                     float(y.mean()), float(d.mean()), lo, hi, p, ";".join(names[common].tolist())))
    return pd.DataFrame(rows, columns=_PAIR_COLS)


def rate_contrasts(per_article: pd.DataFrame, *, count_col: str, words_col: str = "words",
                   story_col: str = "story", outlet_col: str = "outlet",
                   groups: Mapping[str, str] | None = None, per: int = 1000,
                   min_stories: int = 1, n_boot: int = 2000, random_state: int = 0,
                   level: float = 0.95) -> pd.DataFrame:
    """:func:`paired_contrasts` of a rate: ``per * sum(count) / sum(words)`` within a story.

    Each outlet's (or group's) rate in a story is its summed ``count_col`` over its
    summed ``words_col`` in that story, times ``per``; a story-outlet with no words
    is left out. Columns as :func:`paired_contrasts`, values per ``per`` words.

    >>> a = pd.DataFrame({"story": ["s1", "s1", "s2", "s2"], "outlet": ["A", "B", "A", "B"],
    ...                   "hits": [2, 0, 1, 0], "words": [1000, 1000, 500, 500]})
    >>> rate_contrasts(a, count_col="hits", n_boot=0)[["a", "b", "difference"]]
       a  b  difference
    0  A  B         2.0
    """
    _need(per_article, [story_col, outlet_col, count_col, words_col], "per_article")
    units = per_article[[story_col, outlet_col, count_col, words_col]].copy()
    units[story_col] = units[story_col].astype(str)
    units[outlet_col] = units[outlet_col].astype(str)
    key = outlet_col
    if groups is not None:
        units["unit"] = units[outlet_col].map({str(k): str(v) for k, v in groups.items()})
        units = units.dropna(subset=["unit"])
        key = "unit"
    summed = units.groupby([story_col, key], sort=True)[[count_col, words_col]].sum().reset_index()
    summed = summed[summed[words_col] > 0]
    summed["rate"] = per * summed[count_col] / summed[words_col]
    summed = summed.rename(columns={key: "unit_"})
    return paired_contrasts(summed, value_col="rate", story_col=story_col, outlet_col="unit_",
                            min_stories=min_stories, n_boot=n_boot, random_state=random_state,
                            level=level)


def false_discovery(contrasts: pd.DataFrame, *, p_col: str = "p_boot", min_stories: int = 1) -> pd.DataFrame:
    """Add ``q_value``: Benjamini–Hochberg adjusted ``p_col`` over every tested row of the table.

    The family is every row with at least ``min_stories`` shared stories and a p-value
    (all measures, levels and pairs together, as a reader scans them on one page);
    other rows get a missing ``q_value``. A row with ``q_value <= 0.05`` keeps the
    expected share of false discoveries among such rows at or below 5% (Benjamini and
    Hochberg 1995; computed by :func:`scipy.stats.false_discovery_control`, ``method="bh"``).

    >>> t = pd.DataFrame({"n_stories": [9, 9, 9, 2], "p_boot": [0.001, 0.04, 0.5, 0.001]})
    >>> false_discovery(t, min_stories=5)["q_value"].round(3).tolist()
    [0.003, 0.06, 0.5, nan]
    """
    from scipy.stats import false_discovery_control

    _need(contrasts, ["n_stories", p_col], "contrasts")
    out = contrasts.copy()
    p = pd.to_numeric(out[p_col], errors="coerce")
    tested = p.notna() & (out["n_stories"] >= min_stories)
    q = pd.Series(np.nan, index=out.index, dtype=float)
    if tested.any():
        q[tested] = false_discovery_control(p[tested].to_numpy(dtype=float), method="bh")
    out["q_value"] = q
    return out


def contrast_evidence(contrasts: pd.DataFrame, hits: pd.DataFrame, *, story_col: str = "story",
                      outlet_col: str = "outlet", groups: Mapping[str, str] | None = None,
                      max_per_contrast: int | None = None) -> pd.DataFrame:
    """The hits (sentences) behind each contrast: the two sides' hits in its stories.

    ``hits`` has one row per hit with ``story_col`` and ``outlet_col`` (and whatever
    evidence columns it carries: ``sentence``, ``term``, ``doc_id``...). Returns those
    rows with ``a``, ``b`` and ``side`` (``a`` or ``b``) prepended, ordered by contrast,
    story and side; ``max_per_contrast`` keeps the first N rows of each contrast.
    """
    _need(contrasts, ["a", "b", "stories"], "contrasts")
    _need(hits, [story_col, outlet_col], "hits")
    if max_per_contrast is not None and (isinstance(max_per_contrast, bool) or not isinstance(
            max_per_contrast, (int, np.integer)) or max_per_contrast < 0):
        raise ValueError(f"max_per_contrast must be an integer >= 0 or None, got {max_per_contrast!r}")
    cols = ["a", "b", "side"] + [c for c in hits.columns]
    unit = hits[outlet_col].astype(str)
    if groups is not None:
        unit = unit.map({str(k): str(v) for k, v in groups.items()})
    # the hits of each (story, unit), in their table order
    key = pd.Series(hits[story_col].astype(str).to_numpy(dtype=object) + "\x1f"
                    + unit.fillna("\x1e").astype(str).to_numpy(dtype=object))
    codes, uniq = pd.factorize(key)
    codes = np.where(unit.isna().to_numpy(), -1, codes)
    by_key = np.argsort(codes, kind="stable")
    first = np.searchsorted(codes[by_key], np.arange(len(uniq)))
    n_hits = np.bincount(codes[codes >= 0], minlength=len(uniq))
    lookup = pd.Index(uniq)
    # one entry per contrast row, story and side, in the order the rows are listed
    e_row, e_side, e_key = [], [], []
    for r, row in enumerate(contrasts.itertuples(index=False)):
        stories = sorted(set(str(row.stories).split(";"))) if row.stories else []
        for side, name in (("a", row.a), ("b", row.b)):
            e_row += [r] * len(stories)
            e_side += [side] * len(stories)
            e_key += [f"{st}\x1f{name}" for st in stories]
    k = lookup.get_indexer(e_key) if e_key else np.array([], dtype=np.int64)
    has = k >= 0
    if has.any():
        has[has] = n_hits[k[has]] > 0
    if not has.any():
        return pd.DataFrame(columns=cols)
    e_row, e_side, k = np.asarray(e_row)[has], np.asarray(e_side, dtype=object)[has], k[has]
    rows_of = contrasts.reset_index(drop=True)
    entries = pd.DataFrame({"a": rows_of["a"].to_numpy()[e_row], "b": rows_of["b"].to_numpy()[e_row],
                            "_story": hits[story_col].to_numpy()[by_key[first[k]]], "side": e_side,
                            "_key": k})
    # the order of the listing: contrast pair, story, side (ties: row order), as sorted below
    entries = entries.sort_values(["a", "b", "_story", "side"], kind="stable")
    take = n_hits[entries["_key"].to_numpy()]
    if max_per_contrast is not None:
        before = entries.assign(_n=take).groupby(["a", "b"], sort=False)["_n"].cumsum().to_numpy() - take
        take = np.clip(max_per_contrast - before, 0, take)
    rep = np.repeat(np.arange(len(entries)), take)
    offset = np.arange(int(take.sum())) - np.repeat(np.cumsum(take) - take, take)
    pos = by_key[np.repeat(first[entries["_key"].to_numpy()], take) + offset]
    out = hits.iloc[pos].reset_index(drop=True)
    for c, values in (("side", entries["side"]), ("b", entries["b"]), ("a", entries["a"])):
        out.insert(0, c, values.to_numpy()[rep])
    out = out[cols].sort_values(["a", "b", story_col, "side"], kind="stable").reset_index(drop=True)
    return out


def _own_name_words(outlet: str) -> set[str]:
    """The words of an outlet's name and their possessives (``fox``, ``fox's``)."""
    base = {w for w in re.findall(r"[a-z0-9]+", outlet.lower()) if len(w) > 1} - {"the", "of", "and"}
    return base | {f"{w}'s" for w in base}


def house_style_terms(outlets: Sequence[str] = (), *,
                      source: str | pd.DataFrame | None = None) -> pd.DataFrame:
    """House-style words: the shipped list plus each outlet's own name words.

    The list (``framelens/data/house_style.csv``: ``term, kind, note``) holds
    honorifics (``mr``, ``ms``), abbreviated titles (``sen``, ``rep``), titles written
    out on first reference (``senator``, ``representative``) and credit-line words
    (``reuters``, ``ap``); each outlet's name adds its own words (``fox``, ``news`` for
    "Fox News") as kind ``outlet name``. A researcher edits the CSV or passes their
    own table as ``source``.

    Returns
    -------
    pandas.DataFrame
        ``term`` (lower case), ``kind``, ``outlet`` (empty for the shipped list),
        ``note``; one row per term and outlet.

    >>> t = house_style_terms(["Fox News"])
    >>> sorted(t.loc[t["kind"] == "outlet name", "term"])
    ['fox', "fox's", 'news', "news's"]
    >>> "mr" in set(t["term"])
    True
    """
    if source is None:
        with resources.files("framelens").joinpath("data/house_style.csv").open(encoding="utf-8") as f:
            table = pd.read_csv(f, dtype=str, keep_default_na=False)
    elif isinstance(source, pd.DataFrame):
        table = source.astype(str)
    else:
        table = pd.read_csv(source, dtype=str, keep_default_na=False)
    _need(table, ["term", "kind"], "house-style table")
    bad = sorted(set(table["kind"]) - set(HOUSE_STYLE_KINDS))
    if bad:
        raise ValueError(f"house-style table: unknown kind(s) {bad}; allowed: {list(HOUSE_STYLE_KINDS)}")
    table = table.assign(term=table["term"].str.lower().str.strip(), outlet="")
    if "note" not in table.columns:
        table["note"] = ""
    own = [{"term": w, "kind": "outlet name", "outlet": str(o), "note": f"a word of the outlet's name {o!r}"}
           for o in outlets for w in sorted(_own_name_words(str(o)))]
    out = pd.concat([table[["term", "kind", "outlet", "note"]], pd.DataFrame(own, columns=["term", "kind", "outlet", "note"])],
                    ignore_index=True)
    return out.drop_duplicates(["term", "outlet"]).reset_index(drop=True)


def keyness_within_stories(types: Sequence[str] | np.ndarray, counts: sp.spmatrix, *,
                           stories: Sequence[object], outlets: Sequence[object],
                           alpha0: float = 100.0, min_count: int = 5,
                           house_style: pd.DataFrame | None = None,
                           top: int | None = 20) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each outlet's distinctive words against the same stories' other outlets.

    Method (stratified log-odds). For outlet ``o`` let ``S_o`` be the stories that
    ``o`` and at least one other outlet cover. The target counts are ``o``'s words
    in ``S_o``; the reference is the other outlets' words **in the same stories**,
    reweighted so that each story weighs in the reference as much as in the
    target: story ``s``'s reference counts are multiplied by
    ``(n_o(s) / n_o) / (n_ref(s) / n_ref)``, where ``n`` are word totals. A word
    typical of one event therefore cannot become typical of the outlet that covered
    that event more. The log-odds ratio with informative Dirichlet prior (Monroe,
    Colaresi and Quinn 2008, section 3.5; :func:`framelens.keyness.log_odds_dirichlet`) is then
    computed on these two count vectors, the prior being their sum.

    Parameters
    ----------
    types : sequence of str
        The words, one per column of ``counts``.
    counts : scipy.sparse matrix
        Word counts, one row per article (as :func:`framelens.text.word_matrix`).
    stories, outlets : sequence
        Each article's story and outlet.
    alpha0 : float, default 100.0
    min_count : int, default 5
        Words whose target plus reference count is below this are not listed.
    house_style : pandas.DataFrame, optional
        From :func:`house_style_terms`; default: the shipped list plus the outlets'
        own names. Matching words are set aside, not ranked.
    top : int or None, default 20
        Keep the ``top`` highest-z framing words per outlet (``None``: all).

    Returns
    -------
    (distinctive, set_aside) : tuple of pandas.DataFrame
        ``distinctive``: ``outlet``, ``term``, ``z``, ``delta``, ``count_target``,
        ``count_reference`` (reweighted, 2 decimals), ``n_stories``; sorted by outlet,
        then z descending, then term. ``set_aside``: the house-style words with
        ``z >= 1.96`` that would have been listed, with their ``kind``.

    Raises
    ------
    NotEnoughData
        When no story has two outlets.
    """
    types = np.asarray(types, dtype=object)
    counts = sp.csr_matrix(counts, dtype=np.float64)
    if counts.shape != (len(stories), len(types)) or len(outlets) != len(stories):
        raise ValueError(f"counts has shape {counts.shape}; expected ({len(stories)} articles, "
                         f"{len(types)} words) with one story and outlet per article")
    story = pd.Series(np.asarray(stories, dtype=object)).astype(str)
    outlet = pd.Series(np.asarray(outlets, dtype=object)).astype(str)
    unit = pd.MultiIndex.from_arrays([story, outlet]).codes
    units = pd.DataFrame({"story": story, "outlet": outlet}).drop_duplicates().sort_values(["story", "outlet"])
    n_per_story = units.groupby("story")["outlet"].nunique()
    shared = set(n_per_story[n_per_story >= 2].index)
    if not shared:
        raise NotEnoughData("no story is covered by two outlets, so no outlet can be compared "
                            "with others on the same stories")
    # story x outlet unit matrix U and story totals T (rows: units; sparse sums of articles)
    key = story + "\x1f" + outlet
    levels, inverse = np.unique(key.to_numpy(), return_inverse=True)
    agg = sp.csr_matrix((np.ones(len(key)), (inverse, np.arange(len(key)))), shape=(len(levels), len(key)))
    U = (agg @ counts).tocsr()
    u_story = np.array([k.split("\x1f")[0] for k in levels], dtype=object)
    u_outlet = np.array([k.split("\x1f")[1] for k in levels], dtype=object)
    s_levels, s_inv = np.unique(u_story, return_inverse=True)
    T = (sp.csr_matrix((np.ones(len(levels)), (s_inv, np.arange(len(levels)))),
                       shape=(len(s_levels), len(levels))) @ U).tocsr()
    u_words = np.asarray(U.sum(axis=1)).ravel()
    s_words = np.asarray(T.sum(axis=1)).ravel()
    shared_story = np.isin(s_levels, sorted(shared))
    if house_style is None:
        house_style = house_style_terms(sorted(set(outlet)))
    distinctive, aside = [], []
    for o in sorted(set(outlet)):
        rows = np.flatnonzero((u_outlet == o) & shared_story[s_inv])
        if not len(rows):
            continue
        st = s_inv[rows]
        n_t = u_words[rows]
        n_r = s_words[st] - n_t
        ok = (n_t > 0) & (n_r > 0)
        rows, st, n_t, n_r = rows[ok], st[ok], n_t[ok], n_r[ok]
        if not len(rows):
            continue
        w = (n_t / n_t.sum()) / (n_r / n_r.sum())
        tgt = np.asarray(U[rows].sum(axis=0)).ravel()
        ref = np.asarray(T[st].multiply(w[:, None]).sum(axis=0)).ravel() - np.asarray(
            U[rows].multiply(w[:, None]).sum(axis=0)).ravel()
        ref = np.clip(ref, 0, None)
        present = np.flatnonzero((tgt + ref) > 0)
        delta, _, z = log_odds_dirichlet(tgt[present], ref[present], alpha0=alpha0)
        enough = (tgt[present] + ref[present]) >= min_count
        table = pd.DataFrame({"outlet": o, "term": types[present], "z": z, "delta": delta,
                              "count_target": tgt[present].astype(np.int64),
                              "count_reference": ref[present].round(2), "n_stories": len(rows)})[enough]
        mine = house_style[(house_style["outlet"] == "") | (house_style["outlet"] == o)]
        kinds = table["term"].map(dict(zip(mine["term"], mine["kind"])))
        aside.append(table[kinds.notna() & (table["z"] >= 1.96)].assign(kind=kinds))
        keep = table[kinds.isna()]
        keep = keep.iloc[np.lexsort((keep["term"].to_numpy(), -keep["z"].round(12).to_numpy()))]
        distinctive.append(keep.head(top) if top is not None else keep)
    cols = ["outlet", "term", "z", "delta", "count_target", "count_reference", "n_stories"]
    dist = pd.concat(distinctive, ignore_index=True)[cols] if distinctive else pd.DataFrame(columns=cols)
    a_cols = ["outlet", "term", "kind", "z", "count_target"]
    set_aside = pd.concat(aside, ignore_index=True)[a_cols] if aside else pd.DataFrame(columns=a_cols)
    set_aside = set_aside.sort_values(["outlet", "z"], ascending=[True, False], kind="stable")
    return dist.reset_index(drop=True), set_aside.reset_index(drop=True)
