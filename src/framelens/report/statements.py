"""The page's findings in words: :data:`FINDINGS` (each section's heading, sentences, figures,
notebook keywords and tables), :func:`summarize` (one or two sentences per finding) and
:func:`caveats`. Every number in a sentence is read from a saved table, none is typed in.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd

from framelens.report.common import read_table
from framelens.report.phrases import counted
from framelens.report.statements_texts import (state_corpus, state_coverage, state_framing, state_keyness,
                                               state_sensitivity, state_similarity, state_stability)
from framelens.report.statements_words import (state_labels, state_lexicon, state_quotes, state_spelling,
                                               state_traces, state_who_said)

__all__ = [
    "FINDINGS",
    "summarize",
    "caveats",
]


#: section -> (heading, statement function, figure stem, notebook keywords, heading keywords, tables)
FINDINGS: dict[str, tuple[str, Callable[[Path], tuple[str, ...] | None], str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "corpus": ("The corpus", state_corpus, "corpus_words_per_article",
               ("corpus",), ("removed", "clean", "corpus"), ("corpus", "cleaning_audit")),
    "similarity": ("Which versions are alike", state_similarity, "similarity_heatmap",
                   ("cluster", "tfidf", "similar"), ("cosine", "similar"), ("similarity", "similarity_checks")),
    "stability": ("How stable the grouping is", state_stability, "cluster_stability_k2",
                  ("cluster", "tfidf"), ("bootstrap", "stab"),
                  ("cluster_pairs", "cluster_cooccurrence_k2", "stability_checks", "stability_partitions")),
    "labels": ("How each outlet names the actors", state_labels, "actor_label_variety",
               ("label", "actor"), ("matrix", "putin", "label"), ("label_matrix", "actor_labels")),
    "lexicon": ("Loaded versus neutral wording", state_lexicon, "register_rates",
                ("loaded", "lexicon"), ("lexicon", "loaded", "kwic"), ("register_rates", "lexicon_hits", "lexicon_used")),
    "spelling": ("Spelling and transliteration", state_spelling, "spelling_variants",
                 ("spelling", "loaded", "label"), ("spelling", "kyiv", "translit"),
                 ("spelling_table", "mixed_spellings", "spelling_marked")),
    "quotes": ("Sources and attribution", state_quotes, "quotes_by_speaker",
               ("quote", "source", "attribution"), ("credit", "attribut", "quote"), ("attribution", "quotes", "quote_matches")),
    "coverage": ("The shared core and what each outlet added", state_coverage,
                 "core_share_by_outlet,fact_coverage",
                 ("align", "core", "shared", "coverage"), ("core", "shared", "cover", "fact"),
                 ("core_share", "coverage_matrix")),
    "keyness": ("Distinctive vocabulary", state_keyness, "keyness_by_outlet",
                ("keyness", "vocab", "distinct", "words"), ("against the rest", "keyness", "distinct"), ("keyness",)),
    "traces": ("Traces of translation and republishing", state_traces, "traces_by_outlet",
               ("sources", "corpus"), ("trace", "translat", "republish"), ("traces",)),
    "who_said": ("Who said what", state_who_said, "who_said_what", ("source", "quote"), ("who", "quot", "speaker"),
                 ("who_said_what", "quotes")),
    "framing": ("Framing choices: headline, lead, what each left out and added", state_framing, "",
                ("source", "core"), ("framing", "added", "core", "shared"), ("framing_choices",)),
    "sensitivity": ("How much the findings depend on the settings", state_sensitivity,
                    "sensitivity_pairs,unique_by_threshold", ("cluster", "tfidf"), ("grid", "settings", "stab"),
                    ("similarity_checks", "stability_checks", "stability_partitions", "unique_by_threshold")),
}


def summarize(out: str | Path) -> pd.DataFrame:
    """State each finding in one or two sentences, numbers read from the saved tables.

    Parameters
    ----------
    out : str or Path
        Report folder holding ``tables/`` (from :func:`framelens.report.tables.compute_tables`).

    Returns
    -------
    pandas.DataFrame
        One row per finding whose tables exist: ``section``, ``heading``,
        ``statement`` (plain text, not yet escaped), ``figure`` (comma-separated stems) and ``tables``
        (comma-separated stems of the tables the numbers come from).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = Path(d, "tables").mkdir()
    ...     pd.DataFrame([[1.0, 0.4], [0.4, 1.0]], index=pd.Index(["A", "B"], name="outlet"),
    ...                  columns=["A", "B"]).to_csv(Path(d, "tables", "similarity.csv"))
    ...     print(summarize(d)["statement"].iloc[0])
    A and B have a cosine similarity of 0.40 between their TF-IDF word profiles (English stop words left out; 1 is the same profile, 0 no word in common).
    """
    out = Path(out)
    rows = []
    for section, (heading, state, figure, _, _, tables) in FINDINGS.items():
        sentences = state(out)
        if sentences is None:
            continue
        rows.append((section, heading, " ".join(sentences), figure, ",".join(tables)))
    return pd.DataFrame(rows, columns=["section", "heading", "statement", "figure", "tables"])


def caveats(out: str | Path) -> list[str]:
    """The limits a reader must keep in mind, with numbers from the saved tables.

    Parameters
    ----------
    out : str or Path
        Report folder holding ``tables/``.

    Returns
    -------
    list of str
        Plain-text sentences (escaped when placed in HTML).
    """
    out = Path(out)
    t = read_table(out, "corpus")
    lines = []
    if t is not None:
        n = len(t)
        translated = int((t["translated"].astype(str) == "yes").sum())
        unknown = int((t["translated"].astype(str) == "unknown").sum())
        lines.append(
            f"Only {counted(n, 'article')}: every similarity, cluster and keyness number rests on a handful of "
            "documents and a few hundred words each. Read the figures as descriptions of these "
            "texts, not estimates about the outlets."
        )
        if translated or (unknown and unknown < n):
            lines.append(
                f"Machine translation: {translated} of {n} texts are marked as translated and "
                f"{unknown} of unknown origin, so a word choice may be the translator's (human or "
                "machine), not the outlet's."
            )
        elif unknown:
            lines.append(
                f"Translation: the corpus does not say whether any of its {counted(n, 'text')} was translated "
                "(no translated column, or \"unknown\" for all); if some were, a word choice may be the "
                "translator's, not the outlet's."
            )
    lexicon = read_table(out, "lexicon_used")
    size = f" of {len(lexicon)} terms" if lexicon is not None else ""
    some_translated = t is not None and bool((t["translated"].astype(str) == "yes").any())
    lines.append(
        f"Lexicon limits: loaded and neutral wording is counted from a fixed word list{size}; it misses "
        "synonyms it does not list, reads a word out of context (a sentiment rating is not a "
        "frame), "
        + ("tells quotation from the outlet's own voice only by quotation marks, and English lists judge "
           "texts that were first written in other languages." if some_translated else
           "and tells quotation from the outlet's own voice only by quotation marks.")
    )
    lines.append(
        "Cleaning removes page furniture by general rules; the audit table lists every removed "
        "span so a reader can check that nothing of the report itself was lost."
    )
    return lines
