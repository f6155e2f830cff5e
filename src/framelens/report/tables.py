"""The report's tables: run the analysis once (:func:`framelens.pipeline.run`) and save every
table as CSV under ``OUT/tables/`` (:data:`TABLES`; :data:`REPORT_TABLES` for the two the
figures add).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from framelens.corpus import Corpus
from framelens.progress import step
from framelens.report.common import write_csv

if TYPE_CHECKING:
    from framelens.pipeline import Results, Settings

__all__ = [
    "TABLES",
    "REPORT_TABLES",
    "compute_tables",
    "write_tables",
]


#: CSV tables written under ``OUT/tables/``: file stem -> what one row is.
TABLES: dict[str, str] = {
    "corpus": "one article: outlet, language, translation, words before/after cleaning, first sentence",
    "cleaning_audit": "one span of page furniture removed by framelens.corpus.clean, with its rule",
    "similarity": "outlet x outlet cosine similarity of TF-IDF word profiles (unigrams, cleaned text, English stop words left out)",
    "cluster_pairs": "one pair of articles and k: share of bootstrap samples in which they share a cluster",
    "cluster_cooccurrence_k2": "outlet x outlet share of bootstrap samples in the same cluster (k=2)",
    "keyness": "one distinctive word of one outlet against the rest (log-odds, informative Dirichlet prior; English stop words left out)",
    "label_matrix": "actor x outlet: the labels each outlet gives each actor, with counts (actors from CORPUS/actors.csv, else proposed)",
    "actor_labels": "one label of one actor in one outlet: count and an example sentence",
    "lexicon_hits": "one hit of the loaded/neutral wording lexicon, in context (left, match, right, sentence), in the outlet's voice or a quotation (voice, speaker)",
    "register_rates": "one outlet, voice (all, narration: the outlet's own words, quotation: inside quotation marks) and register: hits, words, hits per 1,000 words and its 95% exact Poisson interval (low, high)",
    "lexicon_used": "the lexicon the hits were counted with (term, register, note, source; origin names the corpus's lexicon*.csv for added terms)",
    "word_choice": "one word an outlet used where other outlets wrote different words in the same place of the same sentence, both sentences side by side (candidates for a lexicon*.csv)",
    "spelling_marked": "one name, spelling variant and outlet: how often the outlet uses that spelling",
    "quotes": "one quotation: outlet, speaker, reporting verb, quoted words and sentence",
    "quote_matches": "one quotation kept by several outlets: each outlet's wording side by side",
    "attribution": "one article: whom the report is credited to, and the sentence saying so",
    "core_share": "one outlet: share of its words shared verbatim, paraphrased or unique to it",
    "coverage_matrix": "fact x outlet: sentences carrying each fact of the event (needs CORPUS/facts.csv)",
    "traces": "one trace of translation (untranslated fragment, pronoun slip, calque) or piece of page furniture (category says which), with its evidence",
    "actor_titles": "one actor, outlet and label, a bare name counted as (no title): count, share of the outlet's mentions, whether the outlet never gives a title, example",
    "who_said_what": "one speaker and outlet: quoted verbatim, paraphrased (reported speech, or a sentence aligned with a quotation) or absent, with the passages",
    "quoted_regions": "one stretch of quoted words (a quotation, a block quote or scare quotes): offsets into the cleaned text, speaker, passage",
    "framing_choices": "one outlet's headline, lead, subhead, omitted core fact or added sentence, with the sentence as evidence",
    "spelling_table": "one name spelled in more than one way, spelling and outlet: how often (zeros included), whether the outlet mixes spellings",
    "mixed_spellings": "one text that writes a name in two or more spellings: each spelling with its sentences",
    "sentence_labels": "one sentence of one article: shared-verbatim (word-trigram containment >= 0.5), paraphrased (TF-IDF cosine >= 0.14, mutual best match) or unique, with the outlets sharing it",
    "alignment": "one matched pair of sentences (shared-verbatim or paraphrased): the sentence, its counterpart in another article, cosine and trigram containment",
    "unique_by_threshold": "one paraphrase threshold (TF-IDF cosine) and outlet: words in sentences no other version matches at that threshold",
    "own_words": "one word (no stop word, no digit) that one outlet alone uses: count and the first sentence holding it, with that sentence's alignment label",
    "stability_checks": "one check (settings grid; bootstrap over the vocabulary with stop words removed / kept), k and pair of articles: share of runs in the same cluster",
    "stability_partitions": "one check, k and grouping of the articles: how many runs produced it",
    "similarity_checks": "one pair of articles: TF-IDF cosine with English stop words removed (the main setting) and kept",
    "sections": "one analysis section: computed or not, the tables it wrote, and why not",
    "rejects": "one input article left out of the analysis: its file (FILE:line for a CSV/JSONL corpus) and the reason, with the fix",
}


#: Tables the page writes beside the pipeline's (not every report has them).
REPORT_TABLES: dict[str, str] = {
    "figures_left_out": "one figure not drawn because it would be taller than framelens.storyreport.MAX_FIGURE_PX (a story with many outlets or pairs): its height and the table that holds every row",
    "figures_truncated": "one list a figure shows only the top N of (a story with too many articles, outlets, actors or speakers for a figure at most framelens.storyreport.MAX_FIGURE_PX tall with text readable at the page width): how many it shows of how many, which ones (the ordering that keeps the finding) and the table that holds them all",
}


def compute_tables(
    corpus: str | Path | Corpus,
    *,
    out: str | Path,
    settings: Settings | None = None,
    story: str | None = None,
    columns: dict[str, str] | None = None,
    verbose: bool | None = None,
    **changes: Any,
) -> pd.DataFrame:
    """Run the analysis (:func:`framelens.pipeline.run`) on a corpus and save its tables as CSV.

    Parameters
    ----------
    corpus : str, Path or Corpus
        A corpus folder (``.txt`` articles + ``manifest.csv``) or one CSV/JSONL file
        with an article per row, read with :func:`framelens.pipeline.load` (or a corpus
        already read). Articles
        that cannot be read (not UTF-8, empty, duplicate id, no manifest row, too short
        to analyse once cleaned...) are left out and listed in ``out/tables/rejects.csv``
        (columns ``path``, ``reason``; header only when none), so every input article is
        either analysed or listed. Companion files are read from
        :func:`framelens.corpus.corpus_folder` (the folder, or the folder holding the
        file): ``actors.csv`` (actors and aliases), ``facts.csv`` (facts of the event) and
        ``lexicon*.csv`` (terms added to the shipped lexicon, same columns, read in name
        order, see :func:`framelens.lexicon.load_lexicon`).
    out : str or Path
        Report folder; tables go to ``out/tables/NAME.csv`` (names in :data:`TABLES`).
        CSV files already in ``out/tables/`` are deleted first, so no table of an earlier
        run (another corpus) can feed the page.
    settings : framelens.pipeline.Settings, optional
        Every setting of the analysis (default ``Settings()``).
    story : str, optional
        One story of a many-story corpus (``run(story=)``).
    columns : dict, optional
        A single-file corpus's column renaming, as ``load_corpus(columns=)``.
    verbose : bool or None, default None
        Name each section on standard error as it starts; ``None``: only on a terminal.
    **changes
        Settings to change, by name (``n_boot=50``, ``max_docs=500``, ``min_words=20``):
        ``settings.replace(**changes)``.

    Returns
    -------
    pandas.DataFrame
        One row per analysis section: ``section``, ``status`` (``"computed"`` or
        ``"not computed"``), ``tables`` (comma-separated stems written) and ``note``
        (which alias table was used, or why a section was not computed). Also saved as
        ``out/tables/sections.csv``. Only a reason in the data (one outlet for a
        section comparing outlets, fewer articles than a section needs, no actors,
        more than ``max_docs`` articles for a pairwise section) makes a section "not
        computed"; any other error stops the run.

    Raises
    ------
    framelens.corpus.CorpusError
        When the corpus as a whole cannot be read, or no article is left to analyse.
    """
    from framelens.pipeline import Settings, run

    settings = (Settings() if settings is None else settings).replace(**changes)
    out = Path(out)
    step(f"loading {getattr(corpus, 'source', corpus)}", verbose)
    results = run(corpus, settings, story=story, columns=None if isinstance(corpus, Corpus) else columns,
                  on_section=lambda name: step(f"tables: {name}", verbose))
    write_tables(results, out)
    return results.sections


def write_tables(results: Results, out: str | Path) -> Path:
    """Write every table of ``results`` as ``out/tables/NAME.csv``; returns the folder.

    CSV files already in ``out/tables/`` are deleted first, so no table of an earlier
    run (another corpus) can feed the page.
    """
    from framelens.pipeline import INDEXED_TABLES

    tables = Path(out) / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    for stale in tables.glob("*.csv"):  # a table from an earlier run must not feed this page
        stale.unlink()
    for name, table in results.tables.items():
        write_csv(table, tables / f"{name}.csv", index=name in INDEXED_TABLES)
    return tables
