"""The tables behind the findings page's checks: sentence labels, own material, sensitivity.

Each function takes the cleaned corpus (one row per article, ``doc_id``, ``outlet``,
``text``, ``text_raw``) and returns its tables by name, ready to be saved as CSV
(:func:`framelens.findings.compute_tables` writes them under ``OUT/tables/``):

* :func:`sentence_tables`: every sentence with its alignment label
  (``sentence_labels``), the matched pairs (``alignment``), each outlet's own material
  at several paraphrase thresholds (``unique_by_threshold``) and the words one outlet
  alone uses (``own_words``).
* :func:`sensitivity_tables`: the grouping under the settings grid and under the
  bootstrap with stop words removed and kept (``stability_checks``,
  ``stability_partitions``), and every pair's cosine with stop words removed and kept
  (``similarity_checks``).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from framelens.notes import NotEnoughData

__all__ = ["THRESHOLDS", "sentence_tables", "sensitivity_tables"]

#: Paraphrase thresholds (TF-IDF cosine) at which own material is recounted.
THRESHOLDS: tuple[float, ...] = (0.10, 0.14, 0.20, 0.30, 0.40)


def _own_words(labelled: pd.DataFrame) -> pd.DataFrame:
    """Words (no stop word, no digit, 3+ letters) one outlet alone uses, with the first sentence holding each."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from framelens.text import words

    seen: dict[str, set[str]] = {}
    first: dict[tuple[str, str], tuple[int, str, str]] = {}
    counts: dict[tuple[str, str], int] = {}
    for r in labelled.itertuples():
        for w in words(str(r.sentence)):
            w = w[:-2] if w.endswith("'s") else w  # Kyiv's, Kyiv: one word
            if w in ENGLISH_STOP_WORDS or any(c.isdigit() for c in w) or len(w) < 3:
                continue
            seen.setdefault(w, set()).add(str(r.outlet))
            counts[(str(r.outlet), w)] = counts.get((str(r.outlet), w), 0) + 1
            first.setdefault((str(r.outlet), w), (int(r.sent_id), str(r.label), str(r.sentence)))
    own = [(o, w, counts[(o, w)], *first[(o, w)]) for (o, w) in first if seen[w] == {o}]
    table = pd.DataFrame(own, columns=["outlet", "word", "count", "sent_id", "label", "sentence"])
    at = [str(t).lower().replace("\u2019", "'").find(w) for w, t in zip(table["word"], table["sentence"])]
    table = table.assign(_at=at).sort_values(["outlet", "sent_id", "_at", "word"], kind="mergesort")
    return table.drop(columns="_at").reset_index(drop=True)


def sentence_tables(docs: pd.DataFrame, *, thresholds: Sequence[float] = THRESHOLDS) -> dict[str, pd.DataFrame]:
    """Sentence labels, matched pairs, own material by threshold and own words.

    The sentences are aligned once (:func:`framelens.align.align`); own material at
    another paraphrase threshold ``t`` relabels the same best counterparts (a pair is
    ``shared-verbatim`` at containment :math:`\\ge` :data:`framelens.align.VERBATIM`,
    ``paraphrased`` at cosine :math:`\\ge t` when mutual, ``none`` below
    :data:`framelens.align.MIN_WORDS` words), which gives what aligning again at ``t`` gives.

    Parameters
    ----------
    docs : DataFrame
        Cleaned corpus (``doc_id``, ``outlet``, ``text``).
    thresholds : sequence of float, default :data:`THRESHOLDS`
        Paraphrase thresholds for ``unique_by_threshold`` (the default
        :data:`framelens.align.PARAPHRASE` is always included).

    Returns
    -------
    dict of str to DataFrame
        ``sentence_labels`` (``doc_id``, ``outlet``, ``sent_id``, ``start``, ``end``,
        ``label``, ``shared_with``, ``best_cosine``, ``best_containment``, ``n_words``,
        ``sentence``), ``alignment`` (the pairs labelled other than ``none``),
        ``unique_by_threshold`` (``threshold``, ``outlet``, ``words_unique``,
        ``n_words``, ``share_unique``), ``own_words`` (``outlet``, ``word``, ``count``,
        ``sent_id``, ``label``, ``sentence``).

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"], "text": [
    ...     "NATO must invite Ukraine to join the alliance now. Rain fell on Paris all day long.",
    ...     "NATO must invite Ukraine to join the alliance soon."]})
    >>> t = sentence_tables(d, thresholds=[0.5])
    >>> t["sentence_labels"]["label"].tolist()
    ['shared-verbatim', 'unique', 'shared-verbatim']
    >>> t["own_words"].query("outlet == 'A'")["word"].tolist()
    ['rain', 'fell', 'paris', 'day', 'long']
    """
    from framelens.align import MIN_WORDS, PARAPHRASE, VERBATIM, align, core_share, label_sentences
    from framelens.text import sentences, words

    sents = sentences(docs)
    pairs = align(sents)
    labelled = label_sentences(sents, pairs)
    cols = ["doc_id", "outlet", "sent_id", "start", "end", "label", "shared_with", "best_cosine",
            "best_containment", "n_words", "sentence"]
    rows = []
    short = np.array([len(words(str(t))) for t in pairs["sentence"]], dtype=int) < MIN_WORDS
    for t in sorted(set(float(x) for x in thresholds) | {PARAPHRASE}):
        label = np.select([short, pairs["containment"] >= VERBATIM, (pairs["cosine"] >= t) & pairs["mutual"]],
                          ["none", "shared-verbatim", "paraphrased"], default="none")
        extra = {"paraphrase_threshold": t} if "paraphrase_threshold" in pairs else {}
        share = core_share(label_sentences(sents, pairs.assign(label=label, **extra)))
        for outlet, r in share.iterrows():
            rows.append((t, outlet, int(r["words_unique"]), int(r["n_words"]), round(float(r["share_unique"]), 6)))
    return {
        "sentence_labels": labelled[cols].round({"best_cosine": 6, "best_containment": 6}),
        "alignment": pairs[pairs["label"] != "none"].drop(columns=["sentence", "other_sentence"])
                     .round({"cosine": 6, "containment": 6}),
        "unique_by_threshold": pd.DataFrame(rows, columns=["threshold", "outlet", "words_unique", "n_words",
                                                           "share_unique"]),
        "own_words": _own_words(labelled),
    }


def sensitivity_tables(docs: pd.DataFrame, *, n_boot: int = 200, random_state: int = 0,
                       stop_words: str = "english", label_col: str = "outlet") -> dict[str, pd.DataFrame]:
    """The grouping and the similarity when one setting changes.

    Three checks of the grouping, each cut at k = 2 and 3 (k below the number of
    articles): the 16-setting grid of :func:`framelens.clusters.settings_grid`
    (cleaned / published text x words / word pairs x stop words removed / kept x raw /
    sublinear tf) and :func:`framelens.clusters.bootstrap_terms` with stop words
    removed (the main setting) and kept; and the cosine of every pair with stop
    words removed and kept.

    Parameters
    ----------
    docs : DataFrame
        Cleaned corpus, one row per article with unique ``label_col`` labels (an outlet
        with several articles: label them with :func:`framelens.features.article_labels`),
        ``text`` and ``text_raw``.
    n_boot, random_state : int
        Bootstrap samples and seed (same seed, same tables).
    stop_words : str, default "english"
        The main setting's stop-word list.
    label_col : str, default "outlet"

    Returns
    -------
    dict of str to DataFrame
        ``stability_checks`` (``check``, ``k``, ``outlet_a``, ``outlet_b``, ``together``,
        ``runs``, ``share``), ``stability_partitions`` (``check``, ``k``, ``partition``,
        ``runs``, ``share``), ``similarity_checks`` (``check``, ``outlet_a``, ``outlet_b``,
        ``cosine``).

    Raises
    ------
    ValueError
        Fewer than 3 articles.

    Examples
    --------
    >>> d = pd.DataFrame({"outlet": list("ABC"), "text": ["nato kyiv nato", "kyiv nato the", "rain snow the"]})
    >>> t = sensitivity_tables(d.assign(text_raw=d["text"]), n_boot=5)
    >>> sorted(t["stability_checks"]["check"].unique())
    ['16 settings', 'bootstrap, stop words kept', 'bootstrap, stop words removed']
    """
    from framelens.clusters import bootstrap_terms, pair_table, partitions, settings_grid
    from framelens.features import similarity, tfidf

    if len(docs) < 3:
        raise NotEnoughData(f"the sensitivity checks need at least 3 articles; the corpus has {len(docs)}")
    ks = tuple(k for k in (2, 3) if k < len(docs))
    grid = settings_grid(docs, text_cols=("text", "text_raw"), ks=ks, label_col=label_col)
    runs = {
        f"{grid['run'].nunique()} settings": grid,
        "bootstrap, stop words removed": bootstrap_terms(
            tfidf(docs, text_col="text", label_col=label_col, stop_words=stop_words), n_boot=n_boot, ks=ks,
            random_state=random_state),
        "bootstrap, stop words kept": bootstrap_terms(
            tfidf(docs, text_col="text", label_col=label_col, stop_words=None), n_boot=n_boot, ks=ks,
            random_state=random_state),
    }
    pairs = pd.concat([pair_table(a, label_col=label_col).assign(check=c) for c, a in runs.items()],
                      ignore_index=True)
    parts = pd.concat([partitions(a, label_col=label_col).assign(check=c) for c, a in runs.items()],
                      ignore_index=True)
    pairs = pairs.rename(columns={f"{label_col}_a": "outlet_a", f"{label_col}_b": "outlet_b"})
    sims = []
    for check, sw in (("stop words removed", stop_words), ("stop words kept", None)):
        sim = similarity(docs, text_col="text", label_col=label_col, stop_words=sw)
        names = [str(x) for x in sim.index]
        values = sim.to_numpy(dtype=float)
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                sims.append((check, names[i], names[j], round(float(values[i, j]), 6)))
    return {
        "stability_checks": pairs[["check", "k", "outlet_a", "outlet_b", "together", "runs", "share"]].round(6),
        "stability_partitions": parts[["check", "k", "partition", "runs", "share"]].round(6),
        "similarity_checks": pd.DataFrame(sims, columns=["check", "outlet_a", "outlet_b", "cosine"]),
    }
